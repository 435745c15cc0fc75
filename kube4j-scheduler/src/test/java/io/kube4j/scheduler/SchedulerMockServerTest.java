package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduling loop against fabric8's CRUD mock server. The mock does not implement the pods/binding
 * subresource, so binding here sets spec.nodeName with an update (a test binder); DefaultBinder's real
 * POST is exercised against kube4j's API server in the integration tests.
 */
@EnableKubernetesMockClient(crud = true)
class SchedulerMockServerTest {
    KubernetesClient client;
    private Scheduler scheduler;
    private final Map<String, Integer> bindCount = new ConcurrentHashMap<>();

    /** Binds by writing spec.nodeName, as the API server's binding subresource would. */
    private final BindPlugin updateBinder = new BindPlugin() {
        @Override public String name() { return "TestBinder"; }
        @Override public Status bind(CycleState state, PodInfo pod, String nodeName) {
            bindCount.merge(pod.key(), 1, Integer::sum);
            client.pods().inNamespace(pod.namespace()).withName(pod.name())
                    .edit(p -> new PodBuilder(p).editSpec().withNodeName(nodeName).endSpec().build());
            return Status.success();
        }
    };

    @AfterEach
    void stop() {
        if (scheduler != null) scheduler.close();
    }

    private Scheduler start() {
        scheduler = Scheduler.start(client, SchedulerOptions.defaults().leaderElect(false).binder(updateBinder));
        return scheduler;
    }

    private String nodeOf(String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        return p == null || p.getSpec() == null ? null : p.getSpec().getNodeName();
    }

    @Test
    void schedulesPendingPodsOntoFittingNodesAndRecordsEvents() {
        client.nodes().resource(Nodes.node("small").cpu("1").build()).create();
        client.nodes().resource(Nodes.node("big").cpu("8").build()).create();
        start();
        client.pods().inNamespace("default").resource(Pods.pod("web").cpu("2").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("web") != null);
        assertThat(nodeOf("web")).isEqualTo("big");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Event> events = client.v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("Scheduled");
                assertThat(e.getMessage()).isEqualTo("Successfully assigned default/web to big");
                assertThat(e.getInvolvedObject().getName()).isEqualTo("web");
            });
        });
        assertThat(bindCount).containsEntry("default/web", 1);
    }

    @Test
    void servesMetrics() throws Exception {
        client.nodes().resource(Nodes.node("n1").build()).create();
        scheduler = Scheduler.start(client, SchedulerOptions.defaults().leaderElect(false).binder(updateBinder).metricsPort(0));
        client.pods().inNamespace("default").resource(Pods.pod("m").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("m") != null);
        var http = java.net.http.HttpClient.newHttpClient();
        var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + scheduler.metricsPort() + "/metrics")).build();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            String body = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            assertThat(body).contains("scheduler_schedule_attempts_total{profile=\"default-scheduler\",result=\"scheduled\"} 1")
                    .contains("scheduler_pending_pods{queue=\"active\"} 0")
                    .contains("scheduler_pod_scheduling_sli_duration_seconds_count{attempts=\"any\"} 1");
        });
    }

    @Test
    void gatedPodsWaitUntilTheirGatesAreRemoved() {
        client.nodes().resource(Nodes.node("n1").build()).create();
        start();
        client.pods().inNamespace("default").resource(Pods.pod("gated")
                .edit(b -> b.editSpec().addNewSchedulingGate().withName("example.com/wait").endSchedulingGate().endSpec()).build()).create();
        client.pods().inNamespace("default").resource(Pods.pod("free").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("free") != null);
        assertThat(nodeOf("gated")).isNull();
        client.pods().inNamespace("default").withName("gated")
                .edit(p -> new PodBuilder(p).editSpec().withSchedulingGates(List.of()).endSpec().build());
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("gated") != null);
    }

    @Test
    void unschedulablePodGetsUpstreamMessageThenFitsWhenANodeAppears() {
        client.nodes().resource(Nodes.node("n1").cpu("1").build()).create();
        client.nodes().resource(Nodes.node("n2").taint("dedicated", "infra", "NoSchedule").build()).create();
        client.nodes().resource(Nodes.node("n3").taint("dedicated", "infra", "NoSchedule").build()).create();
        start();
        client.pods().inNamespace("default").resource(Pods.pod("big").cpu("2").build()).create();
        String expected = "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {dedicated: infra}. "
                + "preemption: 0/3 nodes are available: 1 No preemption victims found for incoming pod, 2 Preemption is not helpful for scheduling.";
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            List<Event> events = client.v1().events().inNamespace("default").list().getItems();
            assertThat(events).anySatisfy(e -> {
                assertThat(e.getReason()).isEqualTo("FailedScheduling");
                assertThat(e.getType()).isEqualTo("Warning");
                assertThat(e.getMessage()).isEqualTo(expected);
            });
        });
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod p = client.pods().inNamespace("default").withName("big").get();
            assertThat(p.getStatus()).isNotNull();
            assertThat(p.getStatus().getConditions()).anySatisfy(c -> {
                assertThat(c.getType()).isEqualTo("PodScheduled");
                assertThat(c.getStatus()).isEqualTo("False");
                assertThat(c.getReason()).isEqualTo("Unschedulable");
            });
        });
        assertThat(nodeOf("big")).isNull();
        client.nodes().resource(Nodes.node("n4").cpu("4").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> "n4".equals(nodeOf("big")));
    }

    @Test
    void podsForAnotherSchedulerAreLeftAlone() {
        client.nodes().resource(Nodes.node("n1").build()).create();
        start();
        client.pods().inNamespace("default").resource(Pods.pod("other")
                .edit(b -> b.editSpec().withSchedulerName("missing-scheduler").endSpec()).build()).create();
        client.pods().inNamespace("default").resource(Pods.pod("mine").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("mine") != null);
        assertThat(nodeOf("other")).isNull();
        assertThat(scheduler.queue().contains("default/other")).isFalse();
        assertThat(client.v1().events().inNamespace("default").list().getItems())
                .noneMatch(e -> "other".equals(e.getInvolvedObject().getName()));
    }

    @Test
    void manyPodsAreSpreadAndNeverOvercommitted() {
        for (int i = 0; i < 3; i++) client.nodes().resource(Nodes.node("n" + i).cpu("2").build()).create();
        start();
        for (int i = 0; i < 7; i++) client.pods().inNamespace("default").resource(Pods.pod("p" + i).cpu("1").build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null).count() == 6);
        Map<String, Long> perNode = new java.util.HashMap<>();
        for (Pod p : client.pods().inNamespace("default").list().getItems()) {
            if (p.getSpec().getNodeName() != null) perNode.merge(p.getSpec().getNodeName(), 1L, Long::sum);
        }
        assertThat(perNode).containsOnly(Map.entry("n0", 2L), Map.entry("n1", 2L), Map.entry("n2", 2L));
        assertThat(bindCount.values()).allMatch(c -> c == 1);
    }

    @Test
    void preemptionEvictsTheLowerPriorityPodAndNominatesTheNode() {
        client.nodes().resource(Nodes.node("n1").cpu("2").build()).create();
        client.pods().inNamespace("default").resource(Pods.pod("victim").priority(1).cpu("2").nodeName("n1").build()).create();
        start();
        client.pods().inNamespace("default").resource(Pods.pod("urgent").priority(1000).cpu("2").build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> client.pods().inNamespace("default").withName("victim").get() == null);
        await().atMost(Duration.ofSeconds(30)).until(() -> "n1".equals(nodeOf("urgent")));
        Pod urgent = client.pods().inNamespace("default").withName("urgent").get();
        assertThat(urgent.getStatus().getNominatedNodeName()).isEqualTo("n1");
        assertThat(client.v1().events().inNamespace("default").list().getItems()).anySatisfy(e -> {
            assertThat(e.getReason()).isEqualTo("Preempted");
            assertThat(e.getInvolvedObject().getName()).isEqualTo("victim");
            assertThat(e.getMessage()).isEqualTo("Preempted by pod " + urgent.getMetadata().getUid() + " on node n1");
        });
    }
}
