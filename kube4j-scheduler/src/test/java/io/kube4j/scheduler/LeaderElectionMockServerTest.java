package io.kube4j.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.scheduler.config.SchedulerConfiguration;
import io.kube4j.scheduler.framework.BindPlugin;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Two schedulers share a Lease in kube-system: one schedules; when it stops the other takes over. */
@EnableKubernetesMockClient(crud = true)
class LeaderElectionMockServerTest {
    KubernetesClient client;
    private Scheduler a, b;
    private final Map<String, String> boundBy = new ConcurrentHashMap<>();
    private final Map<String, Integer> bindCount = new ConcurrentHashMap<>();

    private BindPlugin binder(String who) {
        return new BindPlugin() {
            @Override public String name() { return "TestBinder"; }
            @Override public Status bind(CycleState state, PodInfo pod, String nodeName) {
                bindCount.merge(pod.key(), 1, Integer::sum);
                boundBy.put(pod.key(), who);
                client.pods().inNamespace(pod.namespace()).withName(pod.name())
                        .edit(p -> new PodBuilder(p).editSpec().withNodeName(nodeName).endSpec().build());
                return Status.success();
            }
        };
    }

    private SchedulerOptions options(String identity) {
        SchedulerConfiguration d = SchedulerConfiguration.defaults();
        SchedulerConfiguration c = new SchedulerConfiguration(d.parallelism(), 0, d.podInitialBackoff(), d.podMaxBackoff(),
                new SchedulerConfiguration.LeaderElection(true, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(300),
                        "kube-scheduler", "kube-system"),
                d.profiles());
        return SchedulerOptions.defaults().configuration(c).identity(identity).binder(binder(identity));
    }

    @AfterEach
    void stop() {
        if (a != null) a.close();
        if (b != null) b.close();
    }

    private String nodeOf(String name) {
        Pod p = client.pods().inNamespace("default").withName(name).get();
        return p == null ? null : p.getSpec().getNodeName();
    }

    @Test
    void onlyTheLeaderSchedulesAndTheStandbyTakesOver() {
        client.nodes().resource(Nodes.node("n1").build()).create();
        a = Scheduler.start(client, options("sched-a"));
        await().atMost(Duration.ofSeconds(20)).until(a::isLeader);
        b = Scheduler.start(client, options("sched-b"));
        Lease lease = client.leases().inNamespace("kube-system").withName("kube-scheduler").get();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("sched-a");

        client.pods().inNamespace("default").resource(Pods.pod("first").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("first") != null);
        assertThat(boundBy).containsEntry("default/first", "sched-a");
        assertThat(b.isLeader()).isFalse();

        a.close();
        await().atMost(Duration.ofSeconds(20)).until(b::isLeader);
        client.pods().inNamespace("default").resource(Pods.pod("second").build()).create();
        await().atMost(Duration.ofSeconds(20)).until(() -> nodeOf("second") != null);
        assertThat(boundBy).containsEntry("default/second", "sched-b");
        assertThat(bindCount.values()).containsOnly(1);
    }
}
