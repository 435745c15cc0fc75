package io.kube4j.scheduler.plugins.nodeunschedulable;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeUnschedulableTest {
    private final NodeUnschedulable plugin = new NodeUnschedulable();

    @Test
    void cordonedNodeRejectsUnlessTolerated() {
        NodeInfo cordoned = NodeInfo.of(Nodes.node("n").unschedulable().build());
        Status s = plugin.filter(new CycleState(), Pods.pod("p").info(), cordoned);
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) were unschedulable");

        var tolerant = Pods.pod("t").tolerate("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule").info();
        assertThat(plugin.filter(new CycleState(), tolerant, cordoned).isSuccess()).isTrue();
        assertThat(plugin.filter(new CycleState(), Pods.pod("p").info(), NodeInfo.of(Nodes.node("ok").build())).isSuccess()).isTrue();
    }
}
