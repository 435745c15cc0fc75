package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.HttpResponse;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two schedulers over one API server: one leads through the Lease, the other takes over when it stops. */
class LeaderElectionTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();

    private Scheduler scheduler(String identity) {
        return cluster.startScheduler(SchedulerOptions.defaults().leaderElect(true).identity(identity));
    }

    private void createPods(String prefix, int n) {
        for (int i = 0; i < n; i++) cluster.create(Pods.pod(prefix + i).cpu("10m").build());
    }

    private void awaitAllBound(int n) {
        await().atMost(Duration.ofSeconds(60)).until(() -> cluster.client().pods().inNamespace("default").list().getItems().stream()
                .filter(p -> p.getSpec().getNodeName() != null).count() == n);
    }

    private String leaseHolder() {
        Lease l = cluster.client().leases().inNamespace("kube-system").withName("kube-scheduler").get();
        return l == null ? null : l.getSpec().getHolderIdentity();
    }

    @Test
    void oneLeadsAndClosingItHandsOverWithinTheLeaseDurationWithoutDoubleBinding() {
        for (int i = 0; i < 3; i++) cluster.create(Nodes.node("n" + i).build());
        Scheduler a = scheduler("sched-a");
        Scheduler b = scheduler("sched-b");
        await().atMost(Duration.ofSeconds(30)).until(() -> a.isLeader() || b.isLeader());
        assertThat(a.isLeader() && b.isLeader()).isFalse();
        Scheduler leader = a.isLeader() ? a : b;
        Scheduler standby = leader == a ? b : a;
        String leaderId = leader == a ? "sched-a" : "sched-b";
        String standbyId = leader == a ? "sched-b" : "sched-a";
        assertThat(leaseHolder()).isEqualTo(leaderId);

        createPods("before-", 20);
        awaitAllBound(20);
        assertThat(standby.isLeader()).isFalse();
        assertThat(standby.metrics().scheduledCount()).isZero();

        leader.close();
        // Pods created while no one leads wait for the next leader.
        createPods("during-", 20);
        Duration leaseDuration = SchedulerConfiguration.defaults().leaderElection().leaseDuration();
        await().atMost(leaseDuration).until(standby::isLeader);
        assertThat(leaseHolder()).isEqualTo(standbyId);
        awaitAllBound(40);
        createPods("after-", 10);
        awaitAllBound(50);

        // Each pod bound exactly once: one Scheduled event each and no binding rejected by the server.
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.client().v1().events().inNamespace("default").list().getItems()
                .stream().filter(e -> "Scheduled".equals(e.getReason())).count() >= 50);
        List<Event> events = cluster.client().v1().events().inNamespace("default").list().getItems();
        Map<String, Long> scheduledPerPod = events.stream().filter(e -> "Scheduled".equals(e.getReason()))
                .collect(Collectors.groupingBy(e -> e.getInvolvedObject().getName(), Collectors.counting()));
        assertThat(scheduledPerPod).hasSize(50).allSatisfy((pod, count) -> assertThat(count).as(pod).isEqualTo(1L));
        assertThat(events).noneMatch(e -> "FailedScheduling".equals(e.getReason()));
        assertThat(leader.metrics().scheduledCount() + standby.metrics().scheduledCount()).isEqualTo(50);
    }

    @Test
    void bindingABoundPodIsAConflict() throws Exception {
        cluster.create(Nodes.node("n1").build());
        cluster.create(Nodes.node("n2").build());
        Scheduler s = scheduler("sched-a");
        cluster.create(Pods.pod("p").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> cluster.nodeOf("p") != null);
        String other = "n1".equals(cluster.nodeOf("p")) ? "n2" : "n1";
        assertThat(post(cluster.client(), "/api/v1/namespaces/default/pods/p/binding",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"p\"},\"target\":{\"kind\":\"Node\",\"name\":\"" + other + "\"}}"))
                .isEqualTo(409);
        assertThat(cluster.nodeOf("p")).isNotEqualTo(other);
        assertThat(s.metrics().scheduledCount()).isEqualTo(1);
    }

    private static int post(KubernetesClient client, String path, String json) throws Exception {
        String base = client.getMasterUrl().toString().replaceAll("/$", "");
        HttpRequest req = client.getHttpClient().newHttpRequestBuilder().uri(base + path).post("application/json", json).build();
        HttpResponse<String> resp = client.getHttpClient().sendAsync(req, String.class).get(30, TimeUnit.SECONDS);
        return resp.code();
    }
}
