package io.kube4j.controllers.podgc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.TestManagers;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class PodGcControllerTest {
    static KubernetesClient client;
    ControllerManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    private void pod(String name, String node, String phase, String created) {
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName(name)
                .withCreationTimestamp(created).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("x").endContainer().endSpec()
                .withNewStatus().withPhase(phase).endStatus().build()).create();
    }

    private boolean exists(String name) {
        return client.pods().inNamespace("ns").withName(name).get() != null;
    }

    @Test
    void removesOrphanedPodsAndTerminatedPodsOverTheThreshold() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1").endMetadata().build()).create();
        pod("running", "n1", "Running", "2025-01-01T00:00:00Z");
        pod("orphan", "gone-node", "Running", "2025-01-01T00:00:00Z");
        for (int i = 0; i < 4; i++) {
            pod("done" + i, "n1", "Succeeded", "2025-01-01T00:0" + i + ":00Z");
        }
        manager = TestManagers.start(client, new ControllerManagerOptions().terminatedPodGcThreshold(2), "podgc");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(exists("orphan")).isFalse();
            assertThat(exists("done0")).isFalse();
            assertThat(exists("done1")).isFalse();
        });
        assertThat(exists("done2")).isTrue();
        assertThat(exists("done3")).isTrue();
        assertThat(exists("running")).isTrue();
    }
}
