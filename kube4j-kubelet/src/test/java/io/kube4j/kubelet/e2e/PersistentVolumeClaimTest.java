package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pod's persistentVolumeClaim volume on a real node: it waits while its claim is missing, then runs once the claim
 * is bound to a hostPath PersistentVolume, writes through a subPath and cannot write through a read-only claim.
 * kube4j has no PV binder controller yet, so the test binds the claim itself, as the binder would.
 */
class PersistentVolumeClaimTest {
    private static final String NODE = "pvc-node";
    static RealStack stack;

    @BeforeAll
    static void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        stack = RealStack.start(NODE, o -> o);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static ContainerStatus status(Pod p, String name) {
        return p.getStatus().getContainerStatuses().stream().filter(s -> s.getName().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void aPodWaitsForItsClaimThenUsesTheBoundHostPathVolume() throws Exception {
        var pods = stack.client.pods().inNamespace("default");
        pods.resource(new PodBuilder().withNewMetadata().withName("claimer").endMetadata()
                .withNewSpec().withNodeName(NODE).withRestartPolicy("Never").withTerminationGracePeriodSeconds(1L)
                .addNewContainer().withName("writer").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "echo written-by-pod > /data/out")
                .addNewVolumeMount().withName("data").withMountPath("/data").withSubPath("sub").endVolumeMount().endContainer()
                .addNewContainer().withName("reader").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("sh", "-c", "if touch /ro/x; then exit 1; fi; exit 0")
                .addNewVolumeMount().withName("ro").withMountPath("/ro").endVolumeMount().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim("data-claim", false).endVolume()
                .addNewVolume().withName("ro").withNewPersistentVolumeClaim("data-claim", true).endVolume()
                .endSpec().build()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Pod p = pods.withName("claimer").get();
            assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
            assertThat(status(p, "writer").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
            assertThat(stack.client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
                assertThat(e.getInvolvedObject().getName()).isEqualTo("claimer");
                assertThat(e.getReason()).isEqualTo("FailedMount");
                assertThat(e.getMessage()).contains("failed to process volumes=[data ro]")
                        .contains("error processing PVC default/data-claim: failed to fetch PVC from API server: "
                                + "persistentvolumeclaims \"data-claim\" not found");
            });
        });
        assertThat(stack.containersOf(pods.withName("claimer").get().getMetadata().getUid())).isEmpty();

        Path disk = stack.base.resolve("disk-1");
        PersistentVolumeClaim claim = stack.client.persistentVolumeClaims().inNamespace("default").resource(
                new PersistentVolumeClaimBuilder().withNewMetadata().withName("data-claim").endMetadata().withNewSpec()
                        .withAccessModes("ReadWriteOnce").withStorageClassName("")
                        .withNewResources().addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
        PersistentVolume pv = stack.client.persistentVolumes().resource(new PersistentVolumeBuilder().withNewMetadata()
                .withName("pv-disk-1").endMetadata().withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName("")
                .addToCapacity("storage", new Quantity("1Gi"))
                .withNewHostPath().withPath(disk.toString()).withType("DirectoryOrCreate").endHostPath().endSpec().build()).create();
        // an unbound claim still holds the pod back
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(stack.client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e ->
                        assertThat(e.getMessage()).endsWith("error processing PVC default/data-claim: PVC is not bound")));
        bind(claim, pv);

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Pod p = pods.withName("claimer").get();
            assertThat(status(p, "writer").getState().getTerminated().getExitCode()).isZero();
            assertThat(status(p, "reader").getState().getTerminated().getExitCode()).as("the read-only claim refused a write").isZero();
            assertThat(p.getStatus().getPhase()).isEqualTo("Succeeded");
        });
        assertThat(disk.resolve("sub").resolve("out")).hasContent("written-by-pod");

        pods.withName("claimer").delete();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pods.withName("claimer").get()).isNull());
        assertThat(disk.resolve("sub").resolve("out")).as("a persistent volume outlives the pod").exists();
    }

    /** What a PV binder controller does: claim and volume point at each other, both Bound. */
    private static void bind(PersistentVolumeClaim claim, PersistentVolume pv) {
        var pvs = stack.client.persistentVolumes().withName(pv.getMetadata().getName());
        pvs.edit(v -> new PersistentVolumeBuilder(v).editSpec().withNewClaimRef().withKind("PersistentVolumeClaim").withApiVersion("v1")
                .withNamespace("default").withName(claim.getMetadata().getName()).withUid(claim.getMetadata().getUid())
                .endClaimRef().endSpec().build());
        pvs.editStatus(v -> new PersistentVolumeBuilder(v).withNewStatus().withPhase("Bound").endStatus().build());
        var claims = stack.client.persistentVolumeClaims().inNamespace("default").withName(claim.getMetadata().getName());
        claims.edit(c -> new PersistentVolumeClaimBuilder(c).editSpec().withVolumeName(pv.getMetadata().getName()).endSpec().build());
        claims.editStatus(c -> new PersistentVolumeClaimBuilder(c).withNewStatus().withPhase("Bound").withAccessModes("ReadWriteOnce")
                .addToCapacity("storage", new Quantity("1Gi")).endStatus().build());
    }
}
