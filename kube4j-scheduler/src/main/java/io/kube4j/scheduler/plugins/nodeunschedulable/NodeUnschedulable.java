package io.kube4j.scheduler.plugins.nodeunschedulable;

import io.fabric8.kubernetes.api.model.Taint;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.util.Tolerations;

import java.util.Set;

/** Rejects cordoned nodes (spec.unschedulable) unless the pod tolerates the unschedulable taint. */
public final class NodeUnschedulable implements FilterPlugin, EnqueueExtensions {
    public static final String NAME = "NodeUnschedulable";
    public static final String REASON = "node(s) were unschedulable";
    private static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

    @Override public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        if (!node.unschedulable()) return Status.success();
        if (Tolerations.anyTolerates(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) return Status.success();
        return Status.unresolvable(REASON);
    }

    @Override public Set<ClusterEvent> eventsToRegister() { return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE); }
}
