package io.kube4j.scheduler.plugins.noderesources;

import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.Resource;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Filter: the node has room for the pod's requests. Score: LeastAllocated (default) or MostAllocated. */
public final class NodeResourcesFit implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "NodeResourcesFit";
    public static final String TOO_MANY_PODS = "Too many pods";

    private final ScoringStrategy strategy;

    public NodeResourcesFit() { this(ScoringStrategy.leastAllocated()); }

    public NodeResourcesFit(ScoringStrategy strategy) { this.strategy = strategy; }

    @Override public String name() { return NAME; }

    public ScoringStrategy strategy() { return strategy; }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) { return Status.success(); }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<String> reasons = insufficient(pod.requests(), node);
        if (reasons == null) return Status.success();
        return Status.unschedulable(reasons.toArray(new String[0]));
    }

    /** The reasons the node cannot hold the request, or null when it fits. */
    static List<String> insufficient(Resource req, NodeInfo node) {
        List<String> reasons = null;
        Resource alloc = node.allocatable();
        Resource used = node.requested();
        if (node.pods().size() + 1 > alloc.allowedPodNumber) reasons = add(reasons, TOO_MANY_PODS);
        if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && (req.scalar == null || req.scalar.isEmpty())) {
            return reasons;
        }
        if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) reasons = add(reasons, "Insufficient cpu");
        if (req.memory > 0 && req.memory > alloc.memory - used.memory) reasons = add(reasons, "Insufficient memory");
        if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
            reasons = add(reasons, "Insufficient ephemeral-storage");
        }
        if (req.scalar != null) {
            for (Map.Entry<String, Long> e : req.scalar.entrySet()) {
                long want = e.getValue();
                if (want > 0 && want > alloc.scalar(e.getKey()) - used.scalar(e.getKey())) reasons = add(reasons, "Insufficient " + e.getKey());
            }
        }
        return reasons;
    }

    private static List<String> add(List<String> l, String s) {
        if (l == null) l = new ArrayList<>(2);
        l.add(s);
        return l;
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        long weighted = 0, weightSum = 0;
        for (ScoringStrategy.ResourceWeight rw : strategy.resources()) {
            long alloc = node.allocatable().get(rw.name());
            if (alloc == 0) continue;
            long requested = requestedWithPod(rw.name(), pod, node);
            long s = strategy.type() == ScoringStrategy.Type.LeastAllocated ? leastAllocated(requested, alloc) : mostAllocated(requested, alloc);
            weighted += s * rw.weight();
            weightSum += rw.weight();
        }
        return weightSum == 0 ? 0 : weighted / weightSum;
    }

    /** Node requests plus the pod's, counting the non-zero defaults for cpu and memory as upstream's scorer. */
    static long requestedWithPod(String resource, PodInfo pod, NodeInfo node) {
        return switch (resource) {
            case Resource.CPU -> node.nonZeroMilliCpu() + pod.nonZeroMilliCpu();
            case Resource.MEMORY -> node.nonZeroMemory() + pod.nonZeroMemory();
            default -> node.requested().get(resource) + pod.requests().get(resource);
        };
    }

    static long leastAllocated(long requested, long capacity) {
        if (capacity == 0 || requested > capacity) return 0;
        return (capacity - requested) * MAX_NODE_SCORE / capacity;
    }

    static long mostAllocated(long requested, long capacity) {
        if (capacity == 0) return 0;
        if (requested > capacity) requested = capacity;
        return requested * MAX_NODE_SCORE / capacity;
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.ASSIGNED_POD_DELETE, ClusterEvent.ASSIGNED_POD_UPDATE);
    }
}
