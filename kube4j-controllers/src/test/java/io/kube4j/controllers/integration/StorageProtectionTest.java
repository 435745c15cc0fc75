package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
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
 * Upstream's storage defaults against a secure API server (admission on) and the PV binder, pvc-protection and
 * pv-protection controllers on their own service accounts: a claim without a class gets the default StorageClass at
 * creation or, when there was none yet, once one appears; a claim in use by a pod stays Terminating until the pod
 * is gone, and its Bound volume until the claim is.
 */
class StorageProtectionTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    /** How long a protected object is watched to stay: long enough for the controllers to have acted on it. */
    private static final Duration STAYS = Duration.ofSeconds(3);

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
    void aClaimInUseStaysTerminatingUntilItsPodIsDeletedAndItsVolumeUntilTheClaimIsGone() throws Exception {
        namespace("inuse");
        PersistentVolume createdPv = admin.persistentVolumes().resource(pv("inuse-pv", "1Gi", "prot")).create();
        assertThat(createdPv.getMetadata().getFinalizers()).containsExactly("kubernetes.io/pv-protection");
        PersistentVolumeClaim createdPvc = admin.persistentVolumeClaims().inNamespace("inuse")
                .resource(pvc("data", "1Gi", "prot")).create();
        assertThat(createdPvc.getMetadata().getFinalizers()).containsExactly("kubernetes.io/pvc-protection");
        await().atMost(WAIT).until(() -> "Bound".equals(claim("inuse", "data").getStatus().getPhase()));
        // a pod on a node (no kubelet here: the pod object is what holds the claim)
        admin.pods().inNamespace("inuse").resource(new PodBuilder().withNewMetadata().withName("user").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName("data")
                .endPersistentVolumeClaim().endVolume().endSpec().build()).create();

        admin.persistentVolumeClaims().inNamespace("inuse").withName("data").delete();
        admin.persistentVolumes().withName("inuse-pv").delete();
        await().atMost(WAIT).during(STAYS).until(() -> {
            PersistentVolumeClaim c = claim("inuse", "data");
            PersistentVolume v = admin.persistentVolumes().withName("inuse-pv").get();
            return c != null && c.getMetadata().getDeletionTimestamp() != null
                    && c.getMetadata().getFinalizers().contains("kubernetes.io/pvc-protection")
                    && v != null && v.getMetadata().getDeletionTimestamp() != null && "Bound".equals(v.getStatus().getPhase());
        });
        // what kubectl shows for it: the claim is Terminating, still bound
        assertThat(claim("inuse", "data").getStatus().getPhase()).isEqualTo("Bound");

        admin.pods().inNamespace("inuse").withName("user").withGracePeriod(0).delete();
        await().atMost(WAIT).until(() -> claim("inuse", "data") == null);
        // the claim gone, the volume is Released (Retain) and no longer protected
        await().atMost(WAIT).until(() -> admin.persistentVolumes().withName("inuse-pv").get() == null);
        assertThat(refused()).as("requests of the protection controllers refused").isEmpty();
    }

    @Test
    void aClaimNobodyUsesGoesAtOnceAndAFreeVolumeToo() {
        namespace("idle");
        admin.persistentVolumeClaims().inNamespace("idle").resource(pvc("spare", "1Gi", "idle")).create();
        admin.persistentVolumes().resource(pv("idle-pv", "5Gi", "other-class")).create();
        await().atMost(WAIT).until(() -> "Available".equals(phase(admin.persistentVolumes().withName("idle-pv").get())));
        admin.persistentVolumeClaims().inNamespace("idle").withName("spare").delete();
        admin.persistentVolumes().withName("idle-pv").delete();
        await().atMost(WAIT).until(() -> claim("idle", "spare") == null
                && admin.persistentVolumes().withName("idle-pv").get() == null);
    }

    @Test
    void aClaimWithoutClassGetsTheDefaultOnceThereIsOneAndAtCreationAfterwards() {
        namespace("dflt");
        // no default class yet: the claim is stored without one and waits
        PersistentVolumeClaim early = admin.persistentVolumeClaims().inNamespace("dflt")
                .resource(pvc("early", "1Gi", null)).create();
        assertThat(early.getSpec().getStorageClassName()).isNull();
        await().atMost(WAIT).until(() -> "Pending".equals(String.valueOf(claim("dflt", "early").getStatus().getPhase())));
        assertThat(claim("dflt", "early").getSpec().getStorageClassName()).isNull();

        admin.storage().v1().storageClasses().resource(new StorageClassBuilder().withNewMetadata().withName("standard")
                .withAnnotations(Map.of("storageclass.kubernetes.io/is-default-class", "true")).endMetadata()
                .withProvisioner("kubernetes.io/no-provisioner").build()).create();
        // the binder's retroactive assignment
        await().atMost(WAIT).until(() -> "standard".equals(claim("dflt", "early").getSpec().getStorageClassName()));

        // admission's: a new claim has the class as soon as it is stored; an explicit "" stays ""
        PersistentVolumeClaim late = admin.persistentVolumeClaims().inNamespace("dflt")
                .resource(pvc("late", "1Gi", null)).create();
        assertThat(late.getSpec().getStorageClassName()).isEqualTo("standard");
        PersistentVolumeClaim none = admin.persistentVolumeClaims().inNamespace("dflt")
                .resource(pvc("none", "1Gi", "")).create();
        assertThat(none.getSpec().getStorageClassName()).isEmpty();
        admin.storage().v1().storageClasses().withName("standard").delete();
    }

    // ------------------------------------------------------------------ helpers

    private static void namespace(String name) {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build()).create();
        // the ServiceAccount admission plugin wants the default account, which no controller creates here
        admin.serviceAccounts().inNamespace(name).resource(new ServiceAccountBuilder().withNewMetadata().withName("default")
                .endMetadata().withAutomountServiceAccountToken(false).build()).create();
    }

    private static PersistentVolumeClaim claim(String namespace, String name) {
        return admin.persistentVolumeClaims().inNamespace(namespace).withName(name).get();
    }

    private static PersistentVolume pv(String name, String size, String cls) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withCapacity(Map.of("storage", new Quantity(size))).withAccessModes("ReadWriteOnce")
                .withStorageClassName(cls).withPersistentVolumeReclaimPolicy("Retain")
                .withNewHostPath().withPath("/srv/" + name).endHostPath().endSpec().build();
    }

    private static PersistentVolumeClaim pvc(String name, String size, String cls) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withStorageClassName(cls).withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    private static String phase(PersistentVolume v) {
        return v == null || v.getStatus() == null ? "" : String.valueOf(v.getStatus().getPhase());
    }

    /** Audit lines of the protection controllers' requests answered 403: their roles must cover what they do. */
    private static List<String> refused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(dir.resolve("audit.log")).stream().filter(line -> {
            var e = json.readTree(line);
            String user = e.path("user").path("username").asString("");
            return (user.endsWith(":pvc-protection-controller") || user.endsWith(":pv-protection-controller"))
                    && e.path("responseStatus").path("code").asInt() == 403;
        }).toList();
    }
}
