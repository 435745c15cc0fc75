package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.util.Pods;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A node that stops renewing its Lease: Ready=Unknown, tainted, its pods evicted and replaced elsewhere. */
class NodeLifecycleTest {
    static final String NS = "nodes";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ApiKubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace(NS);
        kubelet = cluster.startKubelet("node-1", "node-2");
        cluster.startControllers(new ControllerManagerOptions().nodeMonitorGracePeriod(Duration.ofSeconds(3))
                .nodeMonitorPeriod(Duration.ofMillis(500)), "replicaset", "nodelifecycle");
    }

    private List<Pod> livePods() {
        return client.pods().inNamespace(NS).withLabel("app", "svc").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private NodeCondition ready(String node) {
        Node n = client.nodes().withName(node).get();
        return n.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void aSilentNodeIsTaintedAndItsPodsMoveElsewhere() {
        // Upstream's admission gives 300 s; the test's pods tolerate the unreachable taint for one second.
        client.apps().replicaSets().inNamespace(NS).resource(new ReplicaSetBuilder().withNewMetadata().withName("svc")
                .endMetadata().withNewSpec().withReplicas(4).withNewSelector().withMatchLabels(Map.of("app", "svc"))
                .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "svc")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").endContainer()
                .addNewToleration().withKey("node.kubernetes.io/unreachable").withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(1L).endToleration()
                .addNewToleration().withKey("node.kubernetes.io/not-ready").withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(1L).endToleration()
                .endSpec().endTemplate().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Pod> pods = livePods();
            assertThat(pods).hasSize(4).allMatch(Pods::isReady);
            assertThat(pods).anyMatch(p -> "node-1".equals(p.getSpec().getNodeName()));
        });
        List<String> onNode1 = livePods().stream().filter(p -> "node-1".equals(p.getSpec().getNodeName()))
                .map(p -> p.getMetadata().getName()).toList();
        assertThat(ready("node-1").getStatus()).isEqualTo("True");

        kubelet.stopNode("node-1");
        // ignoreExceptions: a read between the lifecycle controller's writes can see the node without taints yet
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            NodeCondition r = ready("node-1");
            assertThat(r.getStatus()).isEqualTo("Unknown");
            assertThat(r.getReason()).isEqualTo("NodeStatusUnknown");
            assertThat(client.nodes().withName("node-1").get().getSpec().getTaints())
                    .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoExecute".equals(t.getEffect()))
                    .anyMatch(t -> "node.kubernetes.io/unreachable".equals(t.getKey()) && "NoSchedule".equals(t.getEffect()));
        });
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            for (String name : onNode1) {
                Pod p = client.pods().inNamespace(NS).withName(name).get();
                assertThat(p == null || p.getMetadata().getDeletionTimestamp() != null).as(name + " evicted").isTrue();
            }
            List<Pod> pods = livePods();
            assertThat(pods).hasSize(4).allMatch(Pods::isReady);
            assertThat(pods).allMatch(p -> "node-2".equals(p.getSpec().getNodeName()));
        });
        assertThat(ready("node-2").getStatus()).isEqualTo("True");
        Node node2 = client.nodes().withName("node-2").get();
        assertThat(node2.getSpec() == null ? null : node2.getSpec().getTaints()).isNullOrEmpty();
    }
}
