package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.scheduler.testing.Nodes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * DefaultPreemption against the real API server. There is no kubelet, so an evicted pod stays terminating
 * (its grace period never ends) until the test, acting as the kubelet, removes it.
 */
class PreemptionTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();

    @BeforeEach
    void start() {
        cluster.client().scheduling().v1().priorityClasses().resource(new PriorityClassBuilder()
                .withNewMetadata().withName("high").endMetadata().withValue(1000).build()).create();
    }

    private static boolean terminating(Pod p) {
        return p != null && p.getMetadata().getDeletionTimestamp() != null;
    }

    @Test
    void evictsTheLowestPriorityVictimNominatesTheNodeAndBindsOnceItIsGone() {
        cluster.create(Nodes.node("n1").cpu("2").build());
        cluster.create(Pods.pod("low").priority(10).cpu("1").nodeName("n1").build());
        cluster.create(Pods.pod("medium").priority(100).cpu("1").nodeName("n1").build());
        cluster.startScheduler();
        // spec.priority is given alongside the class with the class's value, which upstream's Priority admission accepts.
        Pod urgent = cluster.create(Pods.pod("urgent").cpu("1").priority(1000)
                .edit(b -> b.editSpec().withPriorityClassName("high").endSpec()).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> terminating(cluster.pod("low")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.pod("urgent").getStatus().getNominatedNodeName()).isEqualTo("n1"));
        assertThat(terminating(cluster.pod("medium"))).isFalse();
        assertThat(cluster.eventsOf("low")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Preempted");
            assertThat(e.getMessage()).isEqualTo("Preempted by pod " + urgent.getMetadata().getUid() + " on node n1");
        });
        // While the victim terminates, its resources are still in use: the preemptor waits and evicts nobody else.
        assertThat(cluster.nodeOf("urgent")).isNull();

        cluster.client().pods().inNamespace("default").withName("low").withGracePeriod(0).delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> "n1".equals(cluster.nodeOf("urgent")));
        assertThat(terminating(cluster.pod("medium"))).isFalse();
        assertThat(cluster.pod("medium").getSpec().getNodeName()).isEqualTo("n1");
    }

    @Test
    void equalPriorityPodsAreNotPreempted() {
        cluster.create(Nodes.node("n1").cpu("1").build());
        cluster.create(Pods.pod("peer").priority(1000).cpu("1").nodeName("n1").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("urgent").cpu("1").priority(1000).edit(b -> b.editSpec().withPriorityClassName("high").endSpec()).build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.eventsOf("urgent")).anySatisfy(e ->
                assertThat(e.getMessage()).isEqualTo("0/1 nodes are available: 1 Insufficient cpu. "
                        + "preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.")));
        assertThat(terminating(cluster.pod("peer"))).isFalse();
    }
}
