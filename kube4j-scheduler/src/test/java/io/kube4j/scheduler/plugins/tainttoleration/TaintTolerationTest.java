package io.kube4j.scheduler.plugins.tainttoleration;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TaintTolerationTest {
    private final TaintToleration plugin = new TaintToleration();

    @Test
    void untoleratedNoScheduleTaintRejectsWithUpstreamMessage() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").taint("dedicated", "gpu", "NoSchedule").build());
        Status s = plugin.filter(new CycleState(), Pods.pod("p").info(), node);
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) had untolerated taint {dedicated: gpu}");
    }

    @Test
    void tolerationsByEqualExistsAndEmptyKey() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").taint("dedicated", "gpu", "NoExecute").build());
        assertThat(plugin.filter(new CycleState(), Pods.pod("eq").tolerate("dedicated", "Equal", "gpu", "NoExecute").info(), node).isSuccess()).isTrue();
        assertThat(plugin.filter(new CycleState(), Pods.pod("ex").tolerate("dedicated", "Exists", null, null).info(), node).isSuccess()).isTrue();
        assertThat(plugin.filter(new CycleState(), Pods.pod("all").tolerate(null, "Exists", null, null).info(), node).isSuccess()).isTrue();
        assertThat(plugin.filter(new CycleState(), Pods.pod("wrongval").tolerate("dedicated", "Equal", "cpu", null).info(), node).isSuccess()).isFalse();
        assertThat(plugin.filter(new CycleState(), Pods.pod("wrongeff").tolerate("dedicated", "Exists", null, "NoSchedule").info(), node).isSuccess()).isFalse();
    }

    @Test
    void preferNoScheduleOnlyAffectsScore() {
        NodeInfo tainted = NodeInfo.of(Nodes.node("a").taint("k", "v", "PreferNoSchedule").taint("k2", "v", "PreferNoSchedule").build());
        NodeInfo half = NodeInfo.of(Nodes.node("b").taint("k", "v", "PreferNoSchedule").build());
        NodeInfo clean = NodeInfo.of(Nodes.node("c").build());
        var pod = Pods.pod("p").info();
        assertThat(plugin.filter(new CycleState(), pod, tainted).isSuccess()).isTrue();
        List<NodeInfo> nodes = List.of(tainted, half, clean);
        long[] scores = {plugin.score(null, pod, tainted), plugin.score(null, pod, half), plugin.score(null, pod, clean)};
        assertThat(scores).containsExactly(2, 1, 0);
        plugin.normalizeScore(null, pod, nodes, scores);
        assertThat(scores).containsExactly(0, 50, 100);
        var tolerant = Pods.pod("t").tolerate("k", "Exists", null, "PreferNoSchedule").info();
        assertThat(plugin.score(null, tolerant, tainted)).isEqualTo(1);
    }
}
