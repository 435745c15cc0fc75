package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a scheduler watching nodes sees while a kubelet registers: never a Node without room for pods, and Ready as
 * soon as the runtime is ready.
 */
class NodeRegistrationTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create();
    KubernetesClient client;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        client = harness.client;
        runtime = harness.runtime;
    }

    @Test
    void everyVersionOfTheRegisteredNodeHasItsCapacityAndAllocatable() throws Exception {
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
            harness.startKubelet(harness.fastNode("node-r"));
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

    /**
     * Upstream's fastStatusUpdateOnce: a node that registers NotReady (its runtime's network waits for the pod range)
     * reports Ready as soon as the runtime is ready, not at the next status interval. The interval here is ten
     * minutes, so only the start-up checks can send the Ready status while the test waits.
     */
    @Test
    void aNodeWhoseNetworkBecomesReadyAfterRegistrationReportsReadyBeforeTheNextStatusInterval() throws Exception {
        runtime.networkReady = false;
        harness.startKubelet(harness.fastNode("node-n")
                .withNodeIntervals(Duration.ofSeconds(10), Duration.ofMinutes(10)));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ready(client.nodes().withName("node-n").get()))
                .isNotNull().extracting(NodeCondition::getStatus).isEqualTo("False"));
        assertThat(ready(client.nodes().withName("node-n").get()).getMessage()).contains("network not ready");

        runtime.networkReady = true;

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ready(client.nodes().withName("node-n").get()))
                .isNotNull().extracting(NodeCondition::getStatus).isEqualTo("True"));
    }

    /**
     * The events `kubectl describe node` lists for a new node, as upstream's kubelet records them: Starting, then one
     * per condition as first reported, then NodeReady once the network is ready - on the Node, with its name as uid.
     */
    @Test
    void aRegisteringNodeRecordsUpstreamsConditionEvents() throws Exception {
        runtime.networkReady = false;
        harness.startKubelet(harness.fastNode("node-e"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nodeEvents("node-e"))
                .contains("Starting: Starting kubelet.", "NodeHasSufficientMemory: Node node-e status is now: NodeHasSufficientMemory",
                        "NodeHasNoDiskPressure: Node node-e status is now: NodeHasNoDiskPressure",
                        "NodeHasSufficientPID: Node node-e status is now: NodeHasSufficientPID",
                        "NodeNotReady: Node node-e status is now: NodeNotReady"));
        runtime.networkReady = true;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(nodeEvents("node-e"))
                .contains("NodeReady: Node node-e status is now: NodeReady"));
        assertThat(nodeEvents("node-e")).filteredOn(e -> e.startsWith("NodeHasSufficientMemory")).hasSize(1);
    }

    /** `kubectl cordon` and `uncordon` show in `kubectl describe node` as upstream's kubelet records them. */
    @Test
    void aCordonAndAnUncordonAreRecordedOnTheNode() throws Exception {
        harness.startKubelet(harness.fastNode("node-c"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nodeEvents("node-c"))
                .contains("NodeReady: Node node-c status is now: NodeReady"));
        client.nodes().withName("node-c").edit(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n).editSpec()
                .withUnschedulable(true).endSpec().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nodeEvents("node-c"))
                .contains("NodeNotSchedulable: Node node-c status is now: NodeNotSchedulable"));
        client.nodes().withName("node-c").edit(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n).editSpec()
                .withUnschedulable(false).endSpec().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(nodeEvents("node-c"))
                .contains("NodeSchedulable: Node node-c status is now: NodeSchedulable"));
        assertThat(nodeEvents("node-c")).filteredOn(e -> e.startsWith("NodeNotSchedulable")).hasSize(1);
    }

    private List<String> nodeEvents(String node) {
        return client.v1().events().inNamespace("default").list().getItems().stream()
                .filter(e -> "Node".equals(e.getInvolvedObject().getKind()) && node.equals(e.getInvolvedObject().getName())
                        && node.equals(e.getInvolvedObject().getUid()))
                .map(e -> e.getReason() + ": " + e.getMessage()).toList();
    }

    private static NodeCondition ready(Node node) {
        return node == null || node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst().orElse(null);
    }
}
