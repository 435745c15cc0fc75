package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.ObjectMapper;

/**
 * The persistentvolume-binder controller on its own service account against a secure API server: claims bind to
 * the smallest fitting volume with upstream's annotations and statuses, wait with upstream's events, take the
 * default class, stay for the scheduler under WaitForFirstConsumer, and volumes follow their reclaim policy. The
 * pvc- and pv-protection controllers run beside it, as every claim and volume now carries their finalizers.
 */
class PersistentVolumeBinderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static StorageControlPlane cluster;
    private static KubernetesClient admin;

    @BeforeAll
    static void start() throws Exception {
        cluster = StorageControlPlane.start(dir);
        admin = cluster.admin();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aClaimBindsToTheSmallestFittingVolumeAndIsReleasedOnDelete() throws Exception {
        namespace("bind");
        admin.persistentVolumes().resource(pv("bind-big", "10Gi", "bind", "Retain", "/srv/big")).create();
        admin.persistentVolumes().resource(pv("bind-small", "2Gi", "bind", "Retain", "/srv/small")).create();
        await().atMost(WAIT).until(() -> phase(admin.persistentVolumes().withName("bind-small").get()).equals("Available"));
        admin.persistentVolumeClaims().inNamespace("bind").resource(pvc("data", "1Gi", "bind")).create();

        await().atMost(WAIT).untilAsserted(() -> {
            PersistentVolumeClaim c = admin.persistentVolumeClaims().inNamespace("bind").withName("data").get();
            assertThat(c.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(c.getSpec().getVolumeName()).isEqualTo("bind-small");
            assertThat(c.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bind-completed", "yes")
                    .containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
            assertThat(c.getStatus().getCapacity()).containsEntry("storage", new Quantity("2Gi"));
            assertThat(c.getStatus().getAccessModes()).containsExactly("ReadWriteOnce");
            PersistentVolume v = admin.persistentVolumes().withName("bind-small").get();
            assertThat(phase(v)).isEqualTo("Bound");
            assertThat(v.getSpec().getClaimRef().getName()).isEqualTo("data");
            assertThat(v.getSpec().getClaimRef().getUid()).isEqualTo(c.getMetadata().getUid());
            assertThat(v.getMetadata().getAnnotations()).containsEntry("pv.kubernetes.io/bound-by-controller", "yes");
        });
        assertThat(phase(admin.persistentVolumes().withName("bind-big").get())).isEqualTo("Available");

        admin.persistentVolumeClaims().inNamespace("bind").withName("data").delete();
        await().atMost(WAIT).until(() -> phase(admin.persistentVolumes().withName("bind-small").get()).equals("Released"));
        assertThat(admin.persistentVolumes().withName("bind-small").get().getSpec().getClaimRef().getName()).isEqualTo("data");
        assertThat(refused()).as("requests of the binder refused").isEmpty();
    }

    @Test
    void aClaimWithoutAVolumeWaitsWithUpstreamsEventThenBindsToANewVolume() {
        namespace("wait");
        admin.persistentVolumeClaims().inNamespace("wait").resource(pvc("late", "1Gi", "")).create();
        await().atMost(WAIT).until(() -> reasons("wait", "late").contains("FailedBinding"));
        assertThat(event("wait", "late", "FailedBinding").getMessage())
                .isEqualTo("no persistent volumes available for this claim and no storage class is set");
        assertThat(admin.persistentVolumeClaims().inNamespace("wait").withName("late").get().getStatus().getPhase())
                .isEqualTo("Pending");

        admin.persistentVolumes().resource(pv("wait-pv", "1Gi", "", "Retain", "/srv/wait")).create();
        await().atMost(WAIT).until(() -> "Bound".equals(
                admin.persistentVolumeClaims().inNamespace("wait").withName("late").get().getStatus().getPhase()));
    }

    @Test
    void reclaimPolicyDeleteRemovesATmpHostPathAndFailsElsewhere() throws Exception {
        namespace("reclaim");
        Path data = Files.createDirectories(dir.resolve("reclaim-data"));
        Files.writeString(data.resolve("file"), "x");
        admin.persistentVolumes().resource(pv("reclaim-tmp", "1Gi", "tmp", "Delete", data.toString())).create();
        admin.persistentVolumes().resource(pv("reclaim-srv", "1Gi", "srv", "Delete", "/srv/never-deleted")).create();
        admin.persistentVolumeClaims().inNamespace("reclaim").resource(pvc("a", "1Gi", "tmp")).create();
        admin.persistentVolumeClaims().inNamespace("reclaim").resource(pvc("b", "1Gi", "srv")).create();
        await().atMost(WAIT).until(() -> "Bound".equals(phase(admin.persistentVolumes().withName("reclaim-tmp").get()))
                && "Bound".equals(phase(admin.persistentVolumes().withName("reclaim-srv").get())));

        admin.persistentVolumeClaims().inNamespace("reclaim").delete();
        await().atMost(WAIT).until(() -> admin.persistentVolumes().withName("reclaim-tmp").get() == null);
        assertThat(data).doesNotExist();
        await().atMost(WAIT).untilAsserted(() -> {
            PersistentVolume v = admin.persistentVolumes().withName("reclaim-srv").get();
            assertThat(phase(v)).isEqualTo("Failed");
            assertThat(v.getStatus().getMessage())
                    .isEqualTo("host_path deleter only supports /tmp/.+ but received provided /srv/never-deleted");
        });
    }

    @Test
    void aClaimWhoseVolumeIsDeletedIsLost() {
        namespace("lost");
        admin.persistentVolumes().resource(pv("lost-pv", "1Gi", "lost", "Retain", "/srv/lost")).create();
        admin.persistentVolumeClaims().inNamespace("lost").resource(pvc("c", "1Gi", "lost")).create();
        await().atMost(WAIT).until(() -> "Bound".equals(
                admin.persistentVolumeClaims().inNamespace("lost").withName("c").get().getStatus().getPhase()));
        // a Bound volume is only marked: pv-protection keeps it while the claim holds it, as upstream
        admin.persistentVolumes().withName("lost-pv").delete();
        await().atMost(WAIT).until(() -> admin.persistentVolumes().withName("lost-pv").get().getMetadata()
                .getDeletionTimestamp() != null);
        assertThat(admin.persistentVolumes().withName("lost-pv").get().getMetadata().getFinalizers())
                .containsExactly("kubernetes.io/pv-protection");
        // an administrator who insists removes the finalizer: then the claim's volume is really gone
        admin.persistentVolumes().withName("lost-pv").edit(v -> new PersistentVolumeBuilder(v).editMetadata()
                .withFinalizers().endMetadata().build());
        await().atMost(WAIT).untilAsserted(() -> {
            PersistentVolumeClaim c = admin.persistentVolumeClaims().inNamespace("lost").withName("c").get();
            assertThat(c.getStatus().getPhase()).isEqualTo("Lost");
            assertThat(reasons("lost", "c")).contains("ClaimLost");
        });
    }

    @Test
    void waitForFirstConsumerLeavesTheChoiceToTheSchedulerAndAClaimWithoutClassTakesTheDefault() {
        namespace("wffc");
        admin.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("local-wffc")
                .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
                .withProvisioner("kubernetes.io/no-provisioner").withVolumeBindingMode("WaitForFirstConsumer").build()).create();
        admin.persistentVolumes().resource(pv("wffc-pv", "7Gi", "local-wffc", "Retain", "/srv/wffc")).create();
        // no class given: DefaultStorageClass admission gives the claim the default class, which waits for a consumer
        admin.persistentVolumeClaims().inNamespace("wffc").resource(pvc("c", "7Gi", null)).create();
        await().atMost(WAIT).until(() -> reasons("wffc", "c").contains("WaitForFirstConsumer"));
        assertThat(event("wffc", "c", "WaitForFirstConsumer").getMessage())
                .isEqualTo("waiting for first consumer to be created before binding");
        PersistentVolumeClaim c = admin.persistentVolumeClaims().inNamespace("wffc").withName("c").get();
        assertThat(c.getSpec().getStorageClassName()).isEqualTo("local-wffc");
        assertThat(c.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(admin.persistentVolumes().withName("wffc-pv").get().getSpec().getClaimRef()).isNull();

        // what the scheduler's VolumeBinding PreBind does once it picked a node: pre-bind the volume
        admin.persistentVolumes().withName("wffc-pv").edit(v -> new PersistentVolumeBuilder(v).editSpec().withNewClaimRef()
                .withKind("PersistentVolumeClaim").withApiVersion("v1").withNamespace("wffc").withName("c")
                .withUid(c.getMetadata().getUid()).endClaimRef().endSpec().editMetadata()
                .addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes").endMetadata().build());
        await().atMost(WAIT).untilAsserted(() -> {
            PersistentVolumeClaim bound = admin.persistentVolumeClaims().inNamespace("wffc").withName("c").get();
            assertThat(bound.getStatus().getPhase()).isEqualTo("Bound");
            assertThat(bound.getSpec().getVolumeName()).isEqualTo("wffc-pv");
            assertThat(phase(admin.persistentVolumes().withName("wffc-pv").get())).isEqualTo("Bound");
        });
        admin.storage().v1().storageClasses().withName("local-wffc").delete();
    }

    // ------------------------------------------------------------------ helpers

    private static void namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
    }

    private static PersistentVolume pv(String name, String size, String cls, String policy, String path) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(size))).withAccessModes("ReadWriteOnce")
                .withStorageClassName(cls).withPersistentVolumeReclaimPolicy(policy)
                .withNewHostPath().withPath(path).endHostPath().endSpec().build();
    }

    private static PersistentVolumeClaim pvc(String name, String size, String cls) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withStorageClassName(cls).withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    private static String phase(PersistentVolume v) {
        return v == null || v.getStatus() == null ? "" : String.valueOf(v.getStatus().getPhase());
    }

    private static List<Event> events(String namespace, String name) {
        return admin.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    private static List<String> reasons(String namespace, String name) {
        return events(namespace, name).stream().map(Event::getReason).toList();
    }

    private static Event event(String namespace, String name, String reason) {
        return events(namespace, name).stream().filter(e -> reason.equals(e.getReason())).findFirst().orElseThrow();
    }

    /** Audit lines of the binder's requests answered 403: its role must cover what it does. */
    private static List<String> refused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(dir.resolve("audit.log")).stream().filter(line -> {
            var e = json.readTree(line);
            return e.path("user").path("username").asString("").endsWith(":persistent-volume-binder")
                    && e.path("responseStatus").path("code").asInt() == 403;
        }).toList();
    }
}
