package io.kube4j.scheduler.plugins.interpodaffinity;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.testing.FakeHandle;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InterPodAffinityTest {
    static final String ZONE = "topology.kubernetes.io/zone";
    static final String HOST = "kubernetes.io/hostname";

    static PodAffinityTerm term(String key, String app) {
        return new PodAffinityTermBuilder().withTopologyKey(key)
                .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("app", app)).build()).build();
    }

    static Pods affinity(Pods p, PodAffinityTerm t) {
        return p.edit(b -> b.editSpec().withNewAffinity().withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(t).endPodAffinity().endAffinity().endSpec());
    }

    static Pods antiAffinity(Pods p, PodAffinityTerm t) {
        return p.edit(b -> b.editSpec().withNewAffinity().withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(t).endPodAntiAffinity().endAffinity().endSpec());
    }

    FakeHandle cluster() {
        return new FakeHandle()
                .node(Nodes.node("a1").zone("a").build()).node(Nodes.node("a2").zone("a").build()).node(Nodes.node("b1").zone("b").build())
                .pod("a1", Pods.pod("cache").label("app", "cache").build());
    }

    @Test
    void requiredAffinityNeedsAMatchingPodInTheSameDomain() {
        FakeHandle h = cluster();
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = affinity(Pods.pod("web").label("app", "web"), term(ZONE, "cache")).info();
        CycleState s = new CycleState();
        assertThat(plugin.preFilter(s, pod).isSuccess()).isTrue();
        assertThat(plugin.filter(s, pod, h.nodeInfo("a2")).isSuccess()).isTrue();
        var b = plugin.filter(s, pod, h.nodeInfo("b1"));
        assertThat(b.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(b.reasons()).containsExactly("node(s) didn't match pod affinity rules");
    }

    @Test
    void firstPodOfASelfAffineGroupMayGoAnywhere() {
        FakeHandle h = cluster();
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = affinity(Pods.pod("web").label("app", "web"), term(ZONE, "web")).info();
        CycleState s = new CycleState();
        plugin.preFilter(s, pod);
        assertThat(plugin.filter(s, pod, h.nodeInfo("b1")).isSuccess()).isTrue();
    }

    @Test
    void requiredAntiAffinityOfIncomingPod() {
        FakeHandle h = cluster();
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = antiAffinity(Pods.pod("web").label("app", "web"), term(HOST, "cache")).info();
        CycleState s = new CycleState();
        plugin.preFilter(s, pod);
        var r = plugin.filter(s, pod, h.nodeInfo("a1"));
        assertThat(r.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(r.reasons()).containsExactly("node(s) didn't match pod anti-affinity rules");
        assertThat(plugin.filter(s, pod, h.nodeInfo("a2")).isSuccess()).isTrue();
    }

    @Test
    void existingPodsAntiAffinityIsHonoured() {
        FakeHandle h = cluster().pod("b1", antiAffinity(Pods.pod("loner").label("app", "loner"), term(ZONE, "web")).build());
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = Pods.pod("web").label("app", "web").info();
        CycleState s = new CycleState();
        assertThat(plugin.preFilter(s, pod).isSuccess()).isTrue();
        assertThat(plugin.filter(s, pod, h.nodeInfo("b1")).reasons()).containsExactly("node(s) didn't satisfy existing pods anti-affinity rules");
        assertThat(plugin.filter(s, pod, h.nodeInfo("a1")).isSuccess()).isTrue();
        assertThat(plugin.preFilter(new CycleState(), Pods.pod("db").label("app", "db").info()).isSkip()).isTrue();
    }

    @Test
    void antiAffinityOnlyConsidersTheTermNamespaces() {
        FakeHandle h = new FakeHandle().node(Nodes.node("n").build()).pod("n", Pods.pod("cache").ns("other").label("app", "cache").build());
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = antiAffinity(Pods.pod("web"), term(HOST, "cache")).info();
        CycleState s = new CycleState();
        plugin.preFilter(s, pod);
        assertThat(plugin.filter(s, pod, h.nodeInfo("n")).isSuccess()).isTrue();
    }

    @Test
    void preferredAffinityAndAntiAffinityScore() {
        FakeHandle h = cluster().pod("b1", Pods.pod("noisy").label("app", "noisy").build());
        InterPodAffinity plugin = new InterPodAffinity(h);
        PodInfo pod = Pods.pod("web").edit(b -> b.editSpec().withNewAffinity()
                .withNewPodAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term(ZONE, "cache"), 10)).endPodAffinity()
                .withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(new WeightedPodAffinityTerm(term(HOST, "noisy"), 5)).endPodAntiAffinity()
                .endAffinity().endSpec()).info();
        CycleState s = new CycleState();
        List<NodeInfo> nodes = h.snapshot().nodes();
        assertThat(plugin.preScore(s, pod, nodes).isSuccess()).isTrue();
        long[] scores = new long[3];
        for (int i = 0; i < 3; i++) scores[i] = plugin.score(s, pod, nodes.get(i));
        assertThat(scores).containsExactly(10, 10, -5);
        plugin.normalizeScore(s, pod, nodes, scores);
        assertThat(scores).containsExactly(100, 100, 0);
    }
}
