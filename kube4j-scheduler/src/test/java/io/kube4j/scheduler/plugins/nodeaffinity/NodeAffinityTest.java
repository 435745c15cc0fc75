package io.kube4j.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NodeAffinityTest {
    private final NodeAffinity plugin = new NodeAffinity();
    private final NodeInfo ssdZoneA = NodeInfo.of(Nodes.node("a").label("disk", "ssd").zone("z-a").label("cores", "8").build());
    private final NodeInfo hddZoneB = NodeInfo.of(Nodes.node("b").label("disk", "hdd").zone("z-b").label("cores", "2").build());

    private static PodInfo required(NodeSelectorRequirement... reqs) {
        return Pods.pod("p").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchExpressions(reqs).build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()).info();
    }

    private static NodeSelectorRequirement req(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }

    @Test
    void nodeSelectorMustMatchAllLabels() {
        PodInfo pod = Pods.pod("p").edit(b -> b.editSpec().withNodeSelector(Map.of("disk", "ssd")).endSpec()).info();
        assertThat(plugin.filter(new CycleState(), pod, ssdZoneA).isSuccess()).isTrue();
        var s = plugin.filter(new CycleState(), pod, hddZoneB);
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match Pod's node affinity/selector");
    }

    @Test
    void requiredOperators() {
        assertThat(plugin.filter(null, required(req("disk", "In", "ssd", "nvme")), ssdZoneA).isSuccess()).isTrue();
        assertThat(plugin.filter(null, required(req("disk", "NotIn", "ssd")), ssdZoneA).isSuccess()).isFalse();
        assertThat(plugin.filter(null, required(req("gpu", "DoesNotExist")), ssdZoneA).isSuccess()).isTrue();
        assertThat(plugin.filter(null, required(req("disk", "Exists")), hddZoneB).isSuccess()).isTrue();
        assertThat(plugin.filter(null, required(req("cores", "Gt", "4")), ssdZoneA).isSuccess()).isTrue();
        assertThat(plugin.filter(null, required(req("cores", "Gt", "4")), hddZoneB).isSuccess()).isFalse();
        assertThat(plugin.filter(null, required(req("cores", "Lt", "4")), hddZoneB).isSuccess()).isTrue();
        assertThat(plugin.filter(null, required(req("disk", "In", "ssd"), req("topology.kubernetes.io/zone", "In", "z-b")), ssdZoneA).isSuccess()).isFalse();
    }

    @Test
    void matchFieldsOnNodeNameAndEmptyTermMatchesNothing() {
        PodInfo byName = Pods.pod("p").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirement("metadata.name", "In", List.of("b"))).build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()).info();
        assertThat(plugin.filter(null, byName, hddZoneB).isSuccess()).isTrue();
        assertThat(plugin.filter(null, byName, ssdZoneA).isSuccess()).isFalse();
        PodInfo empty = Pods.pod("p").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(new NodeSelectorTermBuilder().build())
                .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().endAffinity().endSpec()).info();
        assertThat(plugin.filter(null, empty, ssdZoneA).isSuccess()).isFalse();
    }

    @Test
    void preFilterSkipsPodsWithoutConstraints() {
        assertThat(plugin.preFilter(new CycleState(), Pods.pod("p").info()).isSkip()).isTrue();
        assertThat(plugin.preFilter(new CycleState(), required(req("disk", "Exists"))).isSuccess()).isTrue();
    }

    @Test
    void preferredTermsScoreByWeightAndNormalize() {
        PodInfo pod = Pods.pod("p").edit(b -> b.editSpec().withNewAffinity().withNewNodeAffinity()
                .withPreferredDuringSchedulingIgnoredDuringExecution(
                        new PreferredSchedulingTerm(new NodeSelectorTermBuilder().withMatchExpressions(req("disk", "In", "ssd")).build(), 20),
                        new PreferredSchedulingTerm(new NodeSelectorTermBuilder().withMatchExpressions(req("topology.kubernetes.io/zone", "In", "z-b")).build(), 5))
                .endNodeAffinity().endAffinity().endSpec()).info();
        long[] scores = {plugin.score(null, pod, ssdZoneA), plugin.score(null, pod, hddZoneB)};
        assertThat(scores).containsExactly(20, 5);
        plugin.normalizeScore(null, pod, List.of(ssdZoneA, hddZoneB), scores);
        assertThat(scores).containsExactly(100, 25);
    }
}
