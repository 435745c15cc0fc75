package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.kube4j.scheduler.cache.SchedulerCache;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The flat copies of the Node (labels, taints, unschedulable, allocatable) that filters and scores read. */
class NodeInfoTest {

    @Test
    void flatFieldsMirrorTheNode() {
        NodeInfo ni = NodeInfo.of(Nodes.node("n1").zone("a").cpu("8").taint("k", "v", "NoSchedule")
                .taint("soft", "x", "PreferNoSchedule").taint("evict", null, "NoExecute").unschedulable().build());

        assertThat(ni.labels()).containsEntry("topology.kubernetes.io/zone", "a").containsEntry("kubernetes.io/hostname", "n1");
        assertThat(ni.label("topology.kubernetes.io/zone")).isEqualTo("a");
        assertThat(ni.taints()).extracting(Taint::getKey).containsExactly("k", "soft", "evict");
        assertThat(ni.hardTaints()).extracting(Taint::getKey).containsExactly("k", "evict");
        assertThat(ni.unschedulable()).isTrue();
        assertThat(ni.allocatable().milliCpu).isEqualTo(8000);
    }

    @Test
    void aNodeUpdateRefreshesEveryFlatFieldAndKeepsThePods() {
        NodeInfo ni = NodeInfo.of(Nodes.node("n1").zone("a").cpu("8").taint("k", "v", "NoSchedule").unschedulable().build());
        ni.addPod(Pods.pod("p").cpu("1").info());

        Node updated = Nodes.node("n1").label("disk", "ssd").cpu("16").taint("soft", "x", "PreferNoSchedule").build();
        updated.getMetadata().getLabels().remove("topology.kubernetes.io/zone");
        ni.setNode(updated);

        assertThat(ni.label("topology.kubernetes.io/zone")).isNull();
        assertThat(ni.label("disk")).isEqualTo("ssd");
        assertThat(ni.taints()).extracting(Taint::getKey).containsExactly("soft");
        assertThat(ni.hardTaints()).isEmpty();
        assertThat(ni.unschedulable()).isFalse();
        assertThat(ni.allocatable().milliCpu).isEqualTo(16000);
        assertThat(ni.pods()).hasSize(1);
        assertThat(ni.requested().milliCpu).isEqualTo(1000);
    }

    @Test
    void theFlatFieldsAreCopiesNotViewsOfTheNodeObject() {
        Node node = Nodes.node("n1").zone("a").build();
        NodeInfo ni = NodeInfo.of(node);
        // An informer's object changing under the cache must not change what a running cycle reads.
        node.getMetadata().getLabels().put("topology.kubernetes.io/zone", "b");
        node.getSpec().setUnschedulable(true);
        assertThat(ni.label("topology.kubernetes.io/zone")).isEqualTo("a");
        assertThat(ni.unschedulable()).isFalse();
    }

    @Test
    void aCopyKeepsItsValuesWhenTheOriginalGetsANewNode() {
        NodeInfo ni = NodeInfo.of(Nodes.node("n1").zone("a").build());
        NodeInfo copy = ni.copy();
        ni.setNode(Nodes.node("n1").zone("b").taint("k", "v", "NoExecute").unschedulable().build());
        assertThat(copy.label("topology.kubernetes.io/zone")).isEqualTo("a");
        assertThat(copy.hardTaints()).isEmpty();
        assertThat(copy.unschedulable()).isFalse();
        assertThat(ni.label("topology.kubernetes.io/zone")).isEqualTo("b");
        assertThat(ni.unschedulable()).isTrue();
    }

    @Test
    void theCacheSnapshotSeesANodeUpdate() {
        SchedulerCache cache = new SchedulerCache();
        cache.addNode(Nodes.node("n1").zone("a").build());
        cache.addNode(Nodes.node("n2").build());
        assertThat(cache.updateSnapshot().get("n1").unschedulable()).isFalse();

        cache.updateNode(Nodes.node("n1").zone("b").taint("k", "v", "NoSchedule").unschedulable().build());
        NodeInfo n1 = cache.updateSnapshot().get("n1");
        assertThat(n1.unschedulable()).isTrue();
        assertThat(n1.label("topology.kubernetes.io/zone")).isEqualTo("b");
        assertThat(n1.hardTaints()).extracting(Taint::getKey).containsExactly("k");
    }

    @Test
    void malformedNodesReadAsEmptyInsteadOfFailing() {
        Node node = Nodes.node("n1").build();
        Map<String, String> labels = new HashMap<>();
        labels.put("good", "yes");
        labels.put("nullValue", null);
        node.getMetadata().setLabels(labels);
        List<Taint> taints = new ArrayList<>();
        taints.add(null);
        taints.add(new Taint("NoSchedule", "k", null, null));
        node.getSpec().setTaints(taints);

        NodeInfo ni = NodeInfo.of(node);
        assertThat(ni.labels()).containsOnlyKeys("good");
        assertThat(ni.label("nullValue")).isNull();
        assertThat(ni.label(null)).isNull();
        assertThat(ni.hardTaints()).extracting(Taint::getKey).containsExactly("k");

        node.getMetadata().setLabels(null);
        node.setSpec(null);
        ni.setNode(node);
        assertThat(ni.labels()).isEmpty();
        assertThat(ni.taints()).isEmpty();
        assertThat(ni.unschedulable()).isFalse();
    }

    @Test
    void aNodeLessEntryHasEmptyFlatFields() {
        NodeInfo ni = new NodeInfo();
        assertThat(ni.labels()).isEmpty();
        assertThat(ni.taints()).isEmpty();
        assertThat(ni.hardTaints()).isEmpty();
        assertThat(ni.unschedulable()).isFalse();
        assertThat(ni.label("anything")).isNull();
    }
}
