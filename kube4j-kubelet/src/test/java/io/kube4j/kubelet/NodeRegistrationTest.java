package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** What a scheduler watching nodes sees while a kubelet registers: never a Node without room for pods. */
class NodeRegistrationTest {
    @TempDir
    Path dir;
    io.kube4j.store.Store store;
    io.kube4j.apiserver.ApiServer api;
    KubernetesClient client;
    FakeRuntime runtime;
    Kubelet kubelet;

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void everyVersionOfTheRegisteredNodeHasItsCapacityAndAllocatable() throws Exception {
        runtime = new FakeRuntime();
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
        List<Node> seen = new CopyOnWriteArrayList<>();
        try (Watch ignored = client.nodes().watch(new Watcher<>() {
            @Override
            public void eventReceived(Action action, Node node) {
                if (action == Action.ADDED || action == Action.MODIFIED) {
                    seen.add(node);
                }
            }

            @Override
            public void onClose(WatcherException cause) {
            }
        })) {
            kubelet = Kubelet.start(client, KubeletOptions.defaults("node-r", dir.resolve("cri.sock"), dir.resolve("kubelet"))
                    .withPodLogDir(dir.resolve("logs")).withCgroups(dir.resolve("cgroup"), "kubepods")
                    .withNodeIntervals(Duration.ofMillis(300), Duration.ofMillis(300)), runtime.channel());
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(seen).anySatisfy(n ->
                    assertThat(n.getStatus().getConditions()).anySatisfy(c -> {
                        assertThat(c.getType()).isEqualTo("Ready");
                        assertThat(c.getStatus()).isEqualTo("True");
                    })));
        }
        assertThat(seen).isNotEmpty().allSatisfy(n -> {
            assertThat(n.getStatus()).isNotNull();
            assertThat(n.getStatus().getAllocatable()).containsKeys("cpu", "memory", "ephemeral-storage");
            assertThat(n.getStatus().getAllocatable().get("pods").getAmount()).isEqualTo("110");
            assertThat(n.getStatus().getCapacity().get("pods").getAmount()).isEqualTo("110");
            assertThat(n.getStatus().getConditions()).extracting("type").contains("Ready", "MemoryPressure", "DiskPressure");
        });
    }
}
