package io.kube4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.FakeHandle;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.scheduler.util.Selector;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodTopologySpreadTest {

    private static PodInfo spreadPod(String name, String key, int maxSkew, String when) {
        return Pods.pod(name).label("app", "web").edit(b -> b.editSpec().withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                .withMaxSkew(maxSkew).withTopologyKey(key).withWhenUnsatisfiable(when)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build()).build()).endSpec()).info();
    }

    private static FakeHandle twoZones() {
        return new FakeHandle()
                .node(Nodes.node("a1").zone("a").build()).node(Nodes.node("a2").zone("a").build())
                .node(Nodes.node("b1").zone("b").build())
                .pod("a1", Pods.pod("w1").label("app", "web").build())
                .pod("a2", Pods.pod("w2").label("app", "web").build())
                .pod("b1", Pods.pod("other").label("app", "db").build());
    }

    @Test
    void doNotScheduleRejectsNodesThatWouldExceedSkew() {
        FakeHandle h = twoZones();
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = spreadPod("p", "topology.kubernetes.io/zone", 1, "DoNotSchedule");
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, pod).isSuccess()).isTrue();
        // zone a has 2, zone b has 0: a would be skew 3 > 1, b is skew 1.
        Status a = plugin.filter(state, pod, h.nodeInfo("a1"));
        assertThat(a.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(a.reasons()).containsExactly("node(s) didn't match pod topology spread constraints");
        assertThat(plugin.filter(state, pod, h.nodeInfo("b1")).isSuccess()).isTrue();
    }

    @Test
    void nodesWithoutTheKeyAreUnresolvable() {
        FakeHandle h = twoZones().node(Nodes.node("nolabel").build());
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = spreadPod("p", "topology.kubernetes.io/zone", 1, "DoNotSchedule");
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);
        Status s = plugin.filter(state, pod, h.nodeInfo("nolabel"));
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match pod topology spread constraints (missing required label)");
    }

    @Test
    void otherNamespacesAndTerminatingPodsDoNotCount() {
        FakeHandle h = new FakeHandle().node(Nodes.node("a1").zone("a").build()).node(Nodes.node("b1").zone("b").build())
                .pod("a1", Pods.pod("w1").ns("other").label("app", "web").build())
                .pod("a1", Pods.pod("w2").label("app", "web").edit(b -> b.editMetadata().withDeletionTimestamp("2024-01-01T00:00:00Z").endMetadata()).build());
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = spreadPod("p", "topology.kubernetes.io/zone", 1, "DoNotSchedule");
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);
        assertThat(plugin.filter(state, pod, h.nodeInfo("a1")).isSuccess()).isTrue();
    }

    @Test
    void preFilterExtensionsUpdateCounts() {
        FakeHandle h = twoZones();
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = spreadPod("p", "topology.kubernetes.io/zone", 1, "DoNotSchedule");
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);
        CycleState copy = state.copy();
        plugin.preFilterExtensions().removePod(copy, pod, new PodInfo(Pods.pod("w1").label("app", "web").build()), h.nodeInfo("a1"));
        // zone a now 1, zone b 0: placing in a gives skew 2 > 1 still; remove the other too.
        plugin.preFilterExtensions().removePod(copy, pod, new PodInfo(Pods.pod("w2").label("app", "web").build()), h.nodeInfo("a2"));
        assertThat(plugin.filter(copy, pod, h.nodeInfo("a1")).isSuccess()).isTrue();
        assertThat(plugin.filter(state, pod, h.nodeInfo("a1")).isSuccess()).isFalse();
    }

    @Test
    void scheduleAnywayScoresEmptierDomainsHigher() {
        FakeHandle h = twoZones();
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = spreadPod("p", "topology.kubernetes.io/zone", 1, "ScheduleAnyway");
        CycleState state = new CycleState();
        assertThat(plugin.preFilter(state, pod).isSkip()).isTrue();
        List<NodeInfo> nodes = h.snapshot().nodes();
        assertThat(plugin.preScore(state, pod, nodes).isSuccess()).isTrue();
        long[] scores = new long[nodes.size()];
        for (int i = 0; i < scores.length; i++) scores[i] = plugin.score(state, pod, nodes.get(i));
        plugin.normalizeScore(state, pod, nodes, scores);
        assertThat(scores[2]).isEqualTo(100);
        assertThat(scores[0]).isLessThan(scores[2]).isEqualTo(scores[1]);
    }

    @Test
    void systemDefaultsApplyToPodsSelectedByAServiceOnly() {
        FakeHandle h = new FakeHandle().node(Nodes.node("a1").zone("a").build()).node(Nodes.node("b1").zone("b").build())
                .pod("a1", Pods.pod("w1").label("app", "web").build());
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = Pods.pod("p").label("app", "web").info();
        assertThat(plugin.preScore(new CycleState(), pod, h.snapshot().nodes()).isSkip()).isTrue();
        h.ownerSelectors.add(Selector.ofMap(Map.of("app", "web")));
        CycleState state = new CycleState();
        assertThat(plugin.preScore(state, pod, h.snapshot().nodes()).isSuccess()).isTrue();
        List<NodeInfo> nodes = h.snapshot().nodes();
        long[] scores = {plugin.score(state, pod, nodes.get(0)), plugin.score(state, pod, nodes.get(1))};
        plugin.normalizeScore(state, pod, nodes, scores);
        assertThat(scores[1]).isGreaterThan(scores[0]);
    }

    @Test
    void minDomainsForcesGlobalMinimumToZero() {
        FakeHandle h = new FakeHandle().node(Nodes.node("a1").zone("a").build())
                .pod("a1", Pods.pod("w1").label("app", "web").build());
        PodTopologySpread plugin = new PodTopologySpread(h);
        PodInfo pod = Pods.pod("p").label("app", "web").edit(b -> b.editSpec().withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
                .withMaxSkew(1).withTopologyKey("topology.kubernetes.io/zone").withWhenUnsatisfiable("DoNotSchedule").withMinDomains(2)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", "web")).build()).build()).endSpec()).info();
        CycleState state = new CycleState();
        plugin.preFilter(state, pod);
        // one domain with 1 pod; min forced to 0 -> skew 2 > 1
        assertThat(plugin.filter(state, pod, h.nodeInfo("a1")).isSuccess()).isFalse();
    }
}
