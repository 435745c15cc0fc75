package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler against an API server serving TLS only, with client-certificate authentication, as inside
 * {@code kube4j server}: its pod watch (a WebSocket over TLS), the binding and the event all go through the secure port.
 */
class SecureSchedulingTest {
    @TempDir Path dir;

    @Test
    void schedulesOverTls() throws Exception {
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"))) {
            ApiServer server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir)
                    .withSecurity(SecurityOptions.defaults(dir)));
            try (KubernetesClient client = new KubernetesClientBuilder()
                    .withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build()) {
                assertThat(client.getMasterUrl().getProtocol()).isEqualTo("https");
                client.nodes().resource(Nodes.node("n1").cpu("2").build()).create();
                // the secure server runs ServiceAccount admission, and no controller manager makes the default account
                client.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                        .withNewMetadata().withName("default").endMetadata().build()).create();
                Pod pending = Pods.pod("before").cpu("100m").build();
                pending.getMetadata().setUid(null);
                pending.getMetadata().setCreationTimestamp(null);
                client.pods().inNamespace("default").resource(pending).create();
                try (Scheduler scheduler = Scheduler.start(client, SchedulerOptions.defaults().leaderElect(false).identity("tls-it"))) {
                    Pod later = Pods.pod("after").cpu("100m").build();
                    later.getMetadata().setUid(null);
                    later.getMetadata().setCreationTimestamp(null);
                    client.pods().inNamespace("default").resource(later).create();
                    // "before" comes from the list, "after" from the watch
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                        assertThat(client.pods().inNamespace("default").withName("before").get().getSpec().getNodeName()).isEqualTo("n1");
                        assertThat(client.pods().inNamespace("default").withName("after").get().getSpec().getNodeName()).isEqualTo("n1");
                    });
                    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                            .list().getItems()).filteredOn(e -> "Scheduled".equals(e.getReason())).hasSize(2));
                }
            } finally {
                server.close();
            }
        }
    }
}
