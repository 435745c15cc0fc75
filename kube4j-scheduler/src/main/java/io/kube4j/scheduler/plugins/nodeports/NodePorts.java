package io.kube4j.scheduler.plugins.nodeports;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.Set;

/** Rejects nodes where a requested host port (protocol, ip) is already in use. */
public final class NodePorts implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodePorts";
    public static final String REASON = "node(s) didn't have free ports for the requested pod ports";

    @Override public String name() { return NAME; }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        return pod.hostPorts().isEmpty() ? Status.skip() : Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        for (ContainerPort p : pod.hostPorts()) {
            if (node.usedPorts().conflicts(p.getHostIP(), p.getProtocol(), p.getHostPort())) return Status.unschedulable(REASON);
        }
        return Status.success();
    }

    @Override public Set<ClusterEvent> eventsToRegister() { return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.ASSIGNED_POD_DELETE); }
}
