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
    ControlPlane controlPlane;
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
        if (controlPlane != null) {
            controlPlane.close();
        }
    }

    @Test
    void everyVersionOfTheRegisteredNodeHasItsCapacityAndAllocatable() throws Exception {
        runtime = new FakeRuntime();
        controlPlane = ControlPlane.start(dir);
        client = controlPlane.client;
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
            kubelet = Kubelet.start(client, ControlPlane.fastNode("node-r", dir), runtime.channel());
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
