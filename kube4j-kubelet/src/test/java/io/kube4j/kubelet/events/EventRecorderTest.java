package io.kube4j.kubelet.events;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Repeated events become one Event with a count, as upstream's correlator makes them; different ones stay apart. */
class EventRecorderTest {
    @TempDir
    Path dir;
    io.kube4j.store.Store store;
    io.kube4j.apiserver.ApiServer api;
    KubernetesClient client;
    EventRecorder events;

    @BeforeEach
    void start() throws Exception {
        store = io.kube4j.store.embedded.EmbeddedStore.open(dir.resolve("store"));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = io.kube4j.apiserver.ApiServer.start(io.kube4j.apiserver.ApiServerConfig.defaults(store,
                new java.net.InetSocketAddress("127.0.0.1", port), dir));
        client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + port).build()).build();
        events = new EventRecorder(client, "node-e");
    }

    @AfterEach
    void stop() {
        events.close();
        client.close();
        api.close();
        store.close();
    }

    @Test
    void aRepeatedEventIsCountedNotDuplicated() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").withUid("uid-p").endMetadata().build();
        for (int i = 0; i < 3; i++) {
            events.pod(pod, "Warning", "FailedMount", "volume not ready", null);
        }
        events.pod(pod, "Normal", "Pulled", "image present", "spec.containers{app}");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            List<Event> all = client.v1().events().inNamespace("default").list().getItems();
            assertThat(all).hasSize(2);
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedMount");
                assertThat(e.getCount()).isEqualTo(3);
                assertThat(e.getInvolvedObject().getUid()).isEqualTo("uid-p");
            });
            assertThat(all).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("Pulled");
                assertThat(e.getCount()).isEqualTo(1);
            });
        });

        // an event deleted meanwhile (events expire) starts a new series
        client.v1().events().inNamespace("default").list().getItems().stream().filter(e -> e.getReason().equals("FailedMount"))
                .forEach(e -> client.v1().events().inNamespace("default").withName(e.getMetadata().getName()).delete());
        events.pod(pod, "Warning", "FailedMount", "volume not ready", null);
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.v1().events().inNamespace("default").list().getItems())
                        .anySatisfy(e -> {
                            assertThat(e.getReason()).isEqualTo("FailedMount");
                            assertThat(e.getCount()).isEqualTo(1);
                        }));
    }
}
