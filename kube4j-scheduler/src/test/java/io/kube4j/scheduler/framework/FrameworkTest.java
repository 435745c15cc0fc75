package io.kube4j.scheduler.framework;

import io.kube4j.scheduler.framework.runtime.ClusterListers;
import io.kube4j.scheduler.framework.runtime.FrameworkImpl;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FrameworkTest {
    private final List<String> calls = new ArrayList<>();

    private FilterPlugin filter(String name, Status result) {
        return new FilterPlugin() {
            @Override public String name() { return name; }
            @Override public Status filter(CycleState s, PodInfo p, NodeInfo n) { calls.add(name); return result; }
        };
    }

    /** Scores each node by a fixed value per node name; optional normalisation doubles. */
    private ScorePlugin score(String name, Map<String, Long> values, boolean doubleOnNormalize) {
        return new ScorePlugin() {
            @Override public String name() { return name; }
            @Override public long score(CycleState s, PodInfo p, NodeInfo n) { return values.get(n.name()); }
            @Override public boolean hasNormalize() { return doubleOnNormalize; }
            @Override public Status normalizeScore(CycleState s, PodInfo p, List<NodeInfo> nodes, long[] scores) {
                for (int i = 0; i < scores.length; i++) scores[i] = Math.min(100, scores[i] * 2);
                return Status.success();
            }
        };
    }

    private FrameworkImpl fw() { return new FrameworkImpl("p", new Parallelizer(1), null, ClusterListers.EMPTY); }

    @Test
    void filtersRunInOrderAndStopAtTheFirstRejection() {
        FrameworkImpl fw = fw().add(filter("A", Status.success())).add(filter("B", Status.unschedulable("no"))).add(filter("C", Status.success()));
        Status s = fw.runFilterPlugins(new CycleState(), Pods.pod("p").info(), NodeInfo.of(Nodes.node("n").build()));
        assertThat(calls).containsExactly("A", "B");
        assertThat(s.plugin()).isEqualTo("B");
        assertThat(s.reasons()).containsExactly("no");
    }

    @Test
    void preFilterSkipSkipsThatPluginsFilter() {
        class SkipMe implements PreFilterPlugin, FilterPlugin {
            @Override public String name() { return "SkipMe"; }
            @Override public Status preFilter(CycleState s, PodInfo p) { return Status.skip(); }
            @Override public Status filter(CycleState s, PodInfo p, NodeInfo n) { calls.add("SkipMe"); return Status.unschedulable("x"); }
        }
        FrameworkImpl fw = fw().add(new SkipMe());
        CycleState state = new CycleState();
        assertThat(fw.runPreFilterPlugins(state, Pods.pod("p").info()).isSuccess()).isTrue();
        assertThat(fw.runFilterPlugins(state, Pods.pod("p").info(), NodeInfo.of(Nodes.node("n").build())).isSuccess()).isTrue();
        assertThat(calls).isEmpty();
    }

    @Test
    void scoresAreNormalisedThenWeighted() {
        FrameworkImpl fw = fw()
                .add(score("X", Map.of("a", 10L, "b", 40L), true), 2)
                .add(score("Y", Map.of("a", 100L, "b", 0L), false), 1);
        List<NodeInfo> nodes = List.of(NodeInfo.of(Nodes.node("a").build()), NodeInfo.of(Nodes.node("b").build()));
        long[] total = fw.runScorePlugins(new CycleState(), Pods.pod("p").info(), nodes);
        // a: 20*2 + 100 = 140; b: 80*2 + 0 = 160
        assertThat(total).containsExactly(140, 160);
        assertThat(fw.listPlugins().get("score")).containsExactly("X=2", "Y=1");
    }

    @Test
    void permitWaitIsReleasedByAllow() throws Exception {
        PermitPlugin waiter = new PermitPlugin() {
            @Override public String name() { return "Gang"; }
            @Override public Result permit(CycleState s, PodInfo p, String node) {
                return new Result(Status.of(Code.WAIT), java.time.Duration.ofSeconds(30));
            }
        };
        FrameworkImpl fw = fw().add(waiter);
        PodInfo pod = Pods.pod("p").info();
        assertThat(fw.runPermitPlugins(new CycleState(), pod, "n").isWait()).isTrue();
        var result = new java.util.concurrent.CompletableFuture<Status>();
        Thread t = new Thread(() -> result.complete(fw.waitOnPermit(pod)));
        t.start();
        org.awaitility.Awaitility.await().until(() -> fw.waitingPods().isWaiting(pod.uid()));
        fw.waitingPods().allow(pod.uid());
        assertThat(result.get().isSuccess()).isTrue();
    }
}
