package io.kube4j.controllers.nodelifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The node lifecycle controller on a real kube4j API server, the nodes' kubelets played by the test: it registers
 * the nodes, reports their status and renews their leases by hand.
 */
class NodeLifecycleControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    volatile boolean renewing = true;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace("ns");
    }

    @AfterEach
    void stop() {
        renewing = false;
    }

    @Test
    void evictionTimeFollowsTolerations() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        Taint unreachable = new TaintBuilder().withKey(NodeLifecycleController.UNREACHABLE).withEffect("NoExecute")
                .withTimeAdded("2025-01-01T00:00:00Z").build();
        assertThat(NodeLifecycleController.evictionTime(null, List.of(unreachable), now)).isEqualTo(now);
        Toleration fiveMinutes = new TolerationBuilder().withKey(NodeLifecycleController.UNREACHABLE).withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(300L).build();
        assertThat(NodeLifecycleController.evictionTime(List.of(fiveMinutes), List.of(unreachable), now))
                .isEqualTo(now.plusSeconds(300));
        Toleration forever = new TolerationBuilder().withOperator("Exists").build();
        assertThat(NodeLifecycleController.evictionTime(List.of(forever), List.of(unreachable), now)).isNull();
    }

    /** Registers the node and reports it Ready, as its kubelet does (a status sent on create would be dropped). */
    private void node(String name) {
        Node created = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
        client.nodes().resource(new NodeBuilder(created).withNewStatus().addNewCondition().withType("Ready")
                .withStatus("True").withLastHeartbeatTime(Times.format(Instant.now())).endCondition().endStatus()
                .build()).updateStatus();
        client.leases().inNamespace("kube-node-lease").resource(new LeaseBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withHolderIdentity(name).withRenewTime(ZonedDateTime.now()).endSpec().build())
                .create();
    }

    private void pod(String name, String node, Toleration... tolerations) {
        Pod created = client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName(name)
                .endMetadata().withNewSpec().withNodeName(node).withTolerations(tolerations).addNewContainer()
                .withName("c").withImage("x").endContainer().endSpec().build()).create();
        client.pods().inNamespace("ns").resource(new PodBuilder(created).withNewStatus().withPhase("Running")
                .endStatus().build()).updateStatus();
    }

    /** Evicted: gone, or deleted and waiting for its (silent) kubelet to confirm. */
    private boolean evicted(String name) {
        Pod p = client.pods().inNamespace("ns").withName(name).get();
        return p == null || p.getMetadata().getDeletionTimestamp() != null;
    }

    @Test
    void aNodeThatNeverPostedAStatusIsJudgedOnlyAfterTheGracePeriod() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("new").endMetadata().build()).create();
        cluster.startControllers(new ControllerManagerOptions().nodeMonitorGracePeriod(Duration.ofSeconds(3))
                .nodeMonitorPeriod(Duration.ofMillis(200)), "nodelifecycle");
        // upstream's node controller leaves a node its kubelet has not reported on yet alone (nodeStartupGracePeriod)
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
            var fresh = client.nodes().withName("new").get();
            assertThat(fresh.getSpec() == null ? null : fresh.getSpec().getTaints()).isNullOrEmpty();
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var judged = client.nodes().withName("new").get();
            assertThat(NodeLifecycleController.condition(judged, "Ready").getReason())
                    .isEqualTo("NodeStatusNeverUpdated");
            assertThat(judged.getSpec().getTaints()).extracting(Taint::getKey)
                    .containsOnly(NodeLifecycleController.UNREACHABLE);
        });
    }

    @Test
    void silentNodeBecomesUnknownIsTaintedAndItsPodsAreEvicted() throws Exception {
        node("alive");
        node("dead");
        Thread renewer = new Thread(() -> {
            while (renewing) {
                try {
                    client.leases().inNamespace("kube-node-lease").withName("alive").edit(l -> {
                        l.getSpec().setRenewTime(ZonedDateTime.now());
                        return l;
                    });
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    return;
                } catch (RuntimeException ignored) {
                    // retried on the next round
                }
            }
        });
        renewer.setDaemon(true);
        renewer.start();
        // The API server's DefaultTolerationSeconds admission gives a pod without a toleration of its own for the
        // taint 300 s; one that tolerates it for 0 s is evicted as soon as the taint is on.
        pod("intolerant", "dead", new TolerationBuilder().withKey(NodeLifecycleController.UNREACHABLE)
                .withOperator("Exists").withEffect("NoExecute").withTolerationSeconds(0L).build());
        pod("patient", "dead", new TolerationBuilder().withKey(NodeLifecycleController.UNREACHABLE).withOperator("Exists")
                .withEffect("NoExecute").withTolerationSeconds(1L).build());
        pod("forever", "dead", new TolerationBuilder().withOperator("Exists").build());
        pod("safe", "alive");

        cluster.startControllers(new ControllerManagerOptions().nodeMonitorGracePeriod(Duration.ofMillis(1500))
                .nodeMonitorPeriod(Duration.ofMillis(200)), "nodelifecycle");

        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            var dead = client.nodes().withName("dead").get();
            assertThat(NodeLifecycleController.condition(dead, "Ready").getStatus()).isEqualTo("Unknown");
            assertThat(NodeLifecycleController.condition(dead, "Ready").getReason()).isEqualTo("NodeStatusUnknown");
            assertThat(dead.getSpec().getTaints()).extracting(Taint::getKey, Taint::getEffect).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple(NodeLifecycleController.UNREACHABLE, "NoSchedule"),
                    org.assertj.core.groups.Tuple.tuple(NodeLifecycleController.UNREACHABLE, "NoExecute"));
        });
        // upstream's node controller announces each node it sees for the first time
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                .list().getItems()).filteredOn(e -> "RegisteredNode".equals(e.getReason())).extracting(e -> e.getMessage())
                .containsExactlyInAnyOrder("Node alive event: Registered Node alive in Controller",
                        "Node dead event: Registered Node dead in Controller"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(evicted("intolerant")).as("intolerant evicted").isTrue();
            assertThat(evicted("patient")).as("patient evicted").isTrue();
        });
        assertThat(evicted("forever")).isFalse();
        assertThat(evicted("safe")).isFalse();
        var alive = client.nodes().withName("alive").get();
        assertThat(alive.getSpec() == null ? null : alive.getSpec().getTaints()).isNullOrEmpty();
        assertThat(NodeLifecycleController.condition(alive, "Ready").getStatus()).isEqualTo("True");

        // The kubelet comes back: taints go away.
        renewing = false;
        renewer.join();
        client.nodes().withName("dead").editStatus(n -> {
            NodeLifecycleController.condition(n, "Ready").setStatus("True");
            NodeLifecycleController.condition(n, "Ready").setLastHeartbeatTime(Times.format(Instant.now()));
            return n;
        });
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.nodes().withName("dead").get().getSpec().getTaints()).isNullOrEmpty());
    }
}
