package io.kube4j.scheduler;

import io.kube4j.scheduler.framework.FitError;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SchedulerAlgorithmTest {
    @Test
    void adaptivePercentageOfNodesToScore() {
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(0, 50)).isEqualTo(50);
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(0, 500)).isEqualTo(230);   // 50 - 4 = 46%
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(0, 5000)).isEqualTo(500);  // 50 - 40 = 10%
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(0, 6000)).isEqualTo(300);  // floor of 5%
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(10, 500)).isEqualTo(100);  // at least 100
        assertThat(SchedulingAlgorithm.numFeasibleNodesToFind(100, 5000)).isEqualTo(5000);
    }

    @Test
    void selectHostTakesTheBestAndBreaksTiesAmongTheBest() {
        List<NodeInfo> nodes = List.of(NodeInfo.of(Nodes.node("a").build()), NodeInfo.of(Nodes.node("b").build()), NodeInfo.of(Nodes.node("c").build()));
        assertThat(SchedulingAlgorithm.selectHost(nodes, new long[]{5, 9, 1})).isEqualTo("b");
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 200; i++) seen.add(SchedulingAlgorithm.selectHost(nodes, new long[]{7, 7, 1}));
        assertThat(seen).containsExactlyInAnyOrder("a", "b");
    }

    @Test
    void fitErrorMessageMatchesUpstream() {
        Map<String, Status> st = new LinkedHashMap<>();
        st.put("n1", Status.unschedulable("Insufficient cpu"));
        st.put("n2", Status.unresolvable("node(s) had untolerated taint {key: value}"));
        st.put("n3", Status.unresolvable("node(s) had untolerated taint {key: value}"));
        String post = "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.";
        assertThat(FitError.message(3, null, st, post)).isEqualTo("0/3 nodes are available: 1 Insufficient cpu, 2 node(s) had untolerated taint {key: value}. "
                + "preemption: 0/3 nodes are available: 3 Preemption is not helpful for scheduling.");
        assertThat(FitError.message(2, "persistentvolumeclaim \"data\" not found", Map.of(), null))
                .isEqualTo("0/2 nodes are available: persistentvolumeclaim \"data\" not found.");
    }
}
