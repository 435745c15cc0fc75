package io.kube4j.controllers.pvcprotection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One sync at a time over a server state set up by hand (no workers): the finalizer is added, kept or removed. */
@EnableKubernetesMockClient(crud = true)
class PvcProtectionControllerTest {
    static KubernetesClient client;
    Informers informers;
    ExecutorService apiCalls;
    PvcProtectionController controller;

    @BeforeEach
    void start() {
        informers = new Informers(client.informers(), Duration.ZERO);
        apiCalls = Executors.newCachedThreadPool();
        controller = new PvcProtectionController(new ControllerContext(client, informers, c -> EventRecorder.NOOP,
                new ControllerManagerOptions(), apiCalls));
    }

    @AfterEach
    void stop() {
        controller.close();
        informers.stop();
        apiCalls.shutdownNow();
        client.pods().inNamespace("ns").delete();
        client.persistentVolumeClaims().inNamespace("ns").delete();
    }

    @Test
    void aClaimWithoutTheFinalizerGetsIt() throws Exception {
        create(claim("old", List.of("example.com/keep"), null));
        sync("ns/old");
        assertThat(finalizers("old")).containsExactly("example.com/keep", PvcProtectionController.FINALIZER);
    }

    @Test
    void aDeletedClaimStaysWhileAScheduledPodUsesItAndGoesAfter() throws Exception {
        create(claim("data", List.of(PvcProtectionController.FINALIZER, "example.com/keep"), "2026-01-01T00:00:00Z"));
        client.pods().inNamespace("ns").resource(ClaimUsersTest.pod("user", "node-a", "Succeeded", "data")).create();
        sync("ns/data");
        assertThat(finalizers("data")).contains(PvcProtectionController.FINALIZER);

        client.pods().inNamespace("ns").withName("user").delete();
        sync("ns/data");
        assertThat(finalizers("data")).containsExactly("example.com/keep");
    }

    @Test
    void aPodNotYetInTheCacheStillHoldsTheClaim() throws Exception {
        create(claim("fresh", List.of(PvcProtectionController.FINALIZER), "2026-01-01T00:00:00Z"));
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        informers.stop();
        // created after the informers stopped: only the live list can see it
        client.pods().inNamespace("ns").resource(ClaimUsersTest.pod("late", "node-a", "Running", "fresh")).create();
        controller.sync("ns/fresh");
        assertThat(finalizers("fresh")).contains(PvcProtectionController.FINALIZER);
    }

    @Test
    void aDeletedClaimNobodyUsesLosesOnlyItsOwnFinalizer() throws Exception {
        create(claim("idle", List.of(PvcProtectionController.FINALIZER), "2026-01-01T00:00:00Z"));
        client.pods().inNamespace("ns").resource(ClaimUsersTest.pod("pending", null, "Pending", "idle")).create();
        sync("ns/idle");
        PersistentVolumeClaim after = client.persistentVolumeClaims().inNamespace("ns").withName("idle").get();
        // the mock server may drop an object whose last finalizer went, as the API server does
        assertThat(after == null ? List.of() : after.getMetadata().getFinalizers()).isEmpty();
    }

    private void sync(String key) throws Exception {
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        // the informer must have seen the server state of this step before the sync decides on it
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> {
            PersistentVolumeClaim live = client.persistentVolumeClaims().inNamespace("ns").withName(key.substring(3)).get();
            PersistentVolumeClaim cached = informers.get(PersistentVolumeClaim.class, key);
            int livePods = client.pods().inNamespace("ns").list().getItems().size();
            return live != null && cached != null && live.getMetadata().getResourceVersion()
                    .equals(cached.getMetadata().getResourceVersion())
                    && informers.inNamespace(io.fabric8.kubernetes.api.model.Pod.class, "ns").size() == livePods;
        });
        controller.sync(key);
    }

    /** A claim as stored; one created "deleted" is deleted through the server, which only marks it (finalizers). */
    private static void create(PersistentVolumeClaim claim) {
        boolean deleted = claim.getMetadata().getDeletionTimestamp() != null;
        claim.getMetadata().setDeletionTimestamp(null);
        client.persistentVolumeClaims().inNamespace("ns").resource(claim).create();
        if (deleted) {
            client.persistentVolumeClaims().inNamespace("ns").withName(claim.getMetadata().getName()).delete();
            assertThat(client.persistentVolumeClaims().inNamespace("ns").withName(claim.getMetadata().getName()).get()
                    .getMetadata().getDeletionTimestamp()).as("marked for deletion").isNotNull();
        }
    }

    private static List<String> finalizers(String name) {
        return client.persistentVolumeClaims().inNamespace("ns").withName(name).get().getMetadata().getFinalizers();
    }

    private static PersistentVolumeClaim claim(String name, List<String> finalizers, String deletedAt) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("ns").withName(name)
                .withFinalizers(finalizers).withDeletionTimestamp(deletedAt).endMetadata()
                .withNewSpec().withAccessModes("ReadWriteOnce").endSpec().build();
    }
}
