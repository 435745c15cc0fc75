package io.kube4j.scheduler.plugins.nodeports;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class NodePortsTest {
    private final NodePorts plugin = new NodePorts();

    @Test
    void conflictsBySameProtocolPortAndOverlappingIp() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").build(), Pods.pod("existing").hostPort(8080, "TCP", "10.0.0.1").info());
        var sameIp = Pods.pod("a").hostPort(8080, "TCP", "10.0.0.1").info();
        var s = plugin.filter(new CycleState(), sameIp, node);
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(s.reasons()).containsExactly("node(s) didn't have free ports for the requested pod ports");
        assertThat(plugin.filter(null, Pods.pod("any").hostPort(8080, "TCP", "0.0.0.0").info(), node).isSuccess()).isFalse();
        assertThat(plugin.filter(null, Pods.pod("otherip").hostPort(8080, "TCP", "10.0.0.2").info(), node).isSuccess()).isTrue();
        assertThat(plugin.filter(null, Pods.pod("udp").hostPort(8080, "UDP", "10.0.0.1").info(), node).isSuccess()).isTrue();
        assertThat(plugin.filter(null, Pods.pod("otherport").hostPort(8081, "TCP", "10.0.0.1").info(), node).isSuccess()).isTrue();
    }

    @Test
    void wildcardExistingPortConflictsWithEveryIp() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").build(), Pods.pod("existing").hostPort(53, "UDP", null).info());
        assertThat(plugin.filter(null, Pods.pod("a").hostPort(53, "UDP", "10.1.1.1").info(), node).isSuccess()).isFalse();
        node.removePod(Pods.pod("existing").hostPort(53, "UDP", null).info());
        assertThat(plugin.filter(null, Pods.pod("a").hostPort(53, "UDP", "10.1.1.1").info(), node).isSuccess()).isTrue();
    }

    @Test
    void podsWithoutHostPortsSkip() {
        assertThat(plugin.preFilter(new CycleState(), Pods.pod("p").info()).isSkip()).isTrue();
    }
}
