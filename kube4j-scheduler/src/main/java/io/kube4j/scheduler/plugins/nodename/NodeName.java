package io.kube4j.scheduler.plugins.nodename;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;

import java.util.Set;

/** A pod that names its node (spec.nodeName) fits only that node. */
public final class NodeName implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeName";
    public static final String REASON = "node(s) didn't match the requested node name";

    @Override public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        String want = pod.pod().getSpec().getNodeName();
        if (want == null || want.isEmpty() || want.equals(node.name())) return Status.success();
        return Status.unresolvable(REASON);
    }

    @Override public Set<ClusterEvent> eventsToRegister() { return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE); }
}
