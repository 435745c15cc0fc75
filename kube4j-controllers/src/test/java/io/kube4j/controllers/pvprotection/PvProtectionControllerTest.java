package io.kube4j.controllers.pvprotection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Informers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One sync at a time: a volume gets the finalizer, keeps it while Bound, loses it once not Bound. */
@EnableKubernetesMockClient(crud = true)
class PvProtectionControllerTest {
    static KubernetesClient client;
    Informers informers;
    ExecutorService apiCalls;
    PvProtectionController controller;

    @BeforeEach
    void start() {
        informers = new Informers(client.informers(), Duration.ZERO);
        apiCalls = Executors.newCachedThreadPool();
        controller = new PvProtectionController(new ControllerContext(client, informers, c -> EventRecorder.NOOP,
                new ControllerManagerOptions(), apiCalls));
    }

    @AfterEach
    void stop() {
        controller.close();
        informers.stop();
        apiCalls.shutdownNow();
        client.persistentVolumes().delete();
    }

    @Test
    void aVolumeWithoutTheFinalizerGetsIt() throws Exception {
        client.persistentVolumes().resource(pv("plain", List.of(), null, "Available")).create();
        sync("plain");
        assertThat(client.persistentVolumes().withName("plain").get().getMetadata().getFinalizers())
                .containsExactly(PvProtectionController.FINALIZER);
    }

    @Test
    void aDeletedVolumeStaysWhileBoundAndGoesOnceReleased() throws Exception {
        PersistentVolume created = client.persistentVolumes().resource(pv("held", List.of(PvProtectionController.FINALIZER),
                null, "Bound")).create();
        created.setStatus(pv("held", List.of(), null, "Bound").getStatus());
        client.persistentVolumes().resource(created).updateStatus();
        // the server only marks it: a finalizer stands between the volume and its removal
        client.persistentVolumes().withName("held").delete();
        assertThat(client.persistentVolumes().withName("held").get().getMetadata().getDeletionTimestamp()).isNotNull();
        sync("held");
        assertThat(client.persistentVolumes().withName("held").get().getMetadata().getFinalizers())
                .containsExactly(PvProtectionController.FINALIZER);

        PersistentVolume released = client.persistentVolumes().withName("held").get();
        released.getStatus().setPhase("Released");
        client.persistentVolumes().resource(released).updateStatus();
        sync("held");
        PersistentVolume after = client.persistentVolumes().withName("held").get();
        // the mock server may drop an object whose last finalizer went, as the API server does
        assertThat(after == null ? List.of() : after.getMetadata().getFinalizers()).isEmpty();
    }

    @Test
    void onlyTheBoundPhaseHoldsAVolume() {
        assertThat(PvProtectionController.isBound(pv("a", List.of(), null, "Bound"))).isTrue();
        assertThat(PvProtectionController.isBound(pv("b", List.of(), null, "Failed"))).isFalse();
        assertThat(PvProtectionController.isBound(pv("c", List.of(), null, null))).isFalse();
    }

    private void sync(String name) throws Exception {
        informers.startAndWaitForSync(Duration.ofSeconds(10));
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            PersistentVolume live = client.persistentVolumes().withName(name).get();
            PersistentVolume cached = informers.get(PersistentVolume.class, name);
            return live != null && cached != null
                    && live.getMetadata().getResourceVersion().equals(cached.getMetadata().getResourceVersion());
        });
        controller.sync(name);
    }

    private static PersistentVolume pv(String name, List<String> finalizers, String deletedAt, String phase) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).withFinalizers(finalizers)
                .withDeletionTimestamp(deletedAt).endMetadata().withNewSpec()
                .withCapacity(Map.of("storage", new Quantity("1Gi"))).withAccessModes("ReadWriteOnce")
                .withNewHostPath().withPath("/srv/" + name).endHostPath().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build();
    }
}
