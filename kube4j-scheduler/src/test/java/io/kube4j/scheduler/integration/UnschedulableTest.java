package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Pods that cannot be placed: upstream's event message and condition, the retry on a new node, foreign schedulers. */
class UnschedulableTest {
    private static final String EXPECTED = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: infra}. "
            + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();

    private void threeNodesThatDoNotFitATwoCpuPod() {
        cluster.create(Nodes.node("n1").cpu("1").build());
        cluster.create(Nodes.node("n2").taint("dedicated", "infra", "NoSchedule").build());
        cluster.create(Nodes.node("n3").taint("dedicated", "infra", "NoSchedule").build());
    }

    @Test
    void unschedulablePodGetsUpstreamEventAndConditionThenFitsWhenANodeAppears() {
        threeNodesThatDoNotFitATwoCpuPod();
        cluster.startScheduler();
        cluster.create(Pods.pod("big").cpu("2").build());

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.eventsOf("big")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("FailedScheduling");
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getMessage()).isEqualTo(EXPECTED);
            assertThat(e.getSource().getComponent()).isEqualTo("default-scheduler");
        }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            PodCondition c = cluster.podScheduledCondition("big").orElseThrow();
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getReason()).isEqualTo("Unschedulable");
            assertThat(c.getMessage()).isEqualTo(EXPECTED);
        });
        assertThat(cluster.nodeOf("big")).isNull();
        assertThat(cluster.pod("big").getStatus().getPhase()).isEqualTo("Pending");

        cluster.create(Nodes.node("n4").cpu("4").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "n4".equals(cluster.nodeOf("big")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.eventsOf("big")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Scheduled");
            assertThat(e.getType()).isEqualTo("Normal");
            assertThat(e.getMessage()).isEqualTo("Successfully assigned default/big to n4");
        }));
    }

    @Test
    void noNodesAtAllIsReportedAsUpstreamDoes() {
        cluster.startScheduler();
        cluster.create(Pods.pod("lonely").build());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(cluster.eventsOf("lonely")).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("FailedScheduling");
            assertThat(e.getMessage()).isEqualTo("no nodes available to schedule pods");
        }));
        cluster.create(Nodes.node("n1").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "n1".equals(cluster.nodeOf("lonely")));
    }

    @Test
    void bindingSetsPodScheduledTrue() {
        cluster.create(Nodes.node("n1").build());
        cluster.startScheduler();
        cluster.create(Pods.pod("p").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "n1".equals(cluster.nodeOf("p")));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.podScheduledCondition("p")).hasValueSatisfying(c -> assertThat(c.getStatus()).isEqualTo("True")));
    }

    @Test
    void podNamingAMissingSchedulerStaysPendingUntouched() {
        cluster.create(Nodes.node("n1").build());
        cluster.startScheduler();
        Pod created = cluster.create(Pods.pod("other").edit(b -> b.editSpec().withSchedulerName("missing-scheduler").endSpec()).build());
        // A pod created after it and scheduled proves the scheduler has seen both.
        cluster.create(Pods.pod("mine").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> "n1".equals(cluster.nodeOf("mine")));
        await().atMost(Duration.ofSeconds(30)).until(() -> !cluster.eventsOf("mine").isEmpty());

        Pod other = cluster.pod("other");
        assertThat(other.getSpec().getNodeName()).isNull();
        assertThat(other.getMetadata().getResourceVersion()).isEqualTo(created.getMetadata().getResourceVersion());
        assertThat(other.getStatus().getConditions()).noneMatch(c -> "PodScheduled".equals(c.getType()));
        assertThat(cluster.eventsOf("other")).extracting(Event::getReason).isEmpty();
    }
}
