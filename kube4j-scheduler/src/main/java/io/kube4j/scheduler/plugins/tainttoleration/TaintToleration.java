package io.kube4j.scheduler.plugins.tainttoleration;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.util.Tolerations;

import java.util.List;
import java.util.Set;

/**
 * Filter: NoSchedule and NoExecute taints must be tolerated. Score: fewer untolerated PreferNoSchedule
 * taints is better.
 */
public final class TaintToleration implements FilterPlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "TaintToleration";

    @Override public String name() { return NAME; }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        List<Taint> taints = node.hardTaints();
        if (taints.isEmpty()) return Status.success();
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        for (Taint t : taints) {
            if (!Tolerations.anyTolerates(tolerations, t)) {
                return Status.unresolvable("node(s) had untolerated taint {" + t.getKey() + ": " + (t.getValue() == null ? "" : t.getValue()) + "}");
            }
        }
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        List<Taint> taints = node.taints();
        if (taints.isEmpty()) return 0;
        List<Toleration> tolerations = pod.pod().getSpec().getTolerations();
        long count = 0;
        for (Taint t : taints) {
            if (!"PreferNoSchedule".equals(t.getEffect())) continue;
            boolean tolerated = false;
            if (tolerations != null) {
                for (Toleration tol : tolerations) {
                    // Only tolerations that could apply to PreferNoSchedule count, as upstream.
                    if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !"PreferNoSchedule".equals(tol.getEffect())) continue;
                    if (Tolerations.tolerates(tol, t)) { tolerated = true; break; }
                }
            }
            if (!tolerated) count++;
        }
        return count;
    }

    @Override public boolean hasNormalize() { return true; }

    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, true, scores);
        return Status.success();
    }

    @Override public Set<ClusterEvent> eventsToRegister() { return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE); }
}
