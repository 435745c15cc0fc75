package io.kube4j.scheduler.plugins.nodename;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodeNameTest {
    @Test
    void onlyTheNamedNodeFits() {
        NodeName plugin = new NodeName();
        var pod = Pods.pod("p").nodeName("n1").info();
        assertThat(plugin.filter(new CycleState(), pod, NodeInfo.of(Nodes.node("n1").build())).isSuccess()).isTrue();
        var s = plugin.filter(new CycleState(), pod, NodeInfo.of(Nodes.node("n2").build()));
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't match the requested node name");
        assertThat(plugin.filter(new CycleState(), Pods.pod("free").info(), NodeInfo.of(Nodes.node("n2").build())).isSuccess()).isTrue();
    }
}
