package io.kube4j.scheduler.plugins.nodeaffinity;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.util.NodeSelectors;

import java.util.List;
import java.util.Set;

/** spec.nodeSelector and required node affinity filter; preferred node affinity scores by summed weight. */
public final class NodeAffinity implements PreFilterPlugin, FilterPlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "NodeAffinity";
    public static final String REASON = "node(s) didn't match Pod's node affinity/selector";

    @Override public String name() { return NAME; }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        PodSpec spec = pod.pod().getSpec();
        boolean hasSelector = spec.getNodeSelector() != null && !spec.getNodeSelector().isEmpty();
        if (!hasSelector && required(spec) == null) return Status.skip();
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        return requiredMatches(pod.pod().getSpec(), node) ? Status.success() : Status.unresolvable(REASON);
    }

    /** Whether the node satisfies the pod's nodeSelector and required node affinity (also used by spreading). */
    public static boolean requiredMatches(PodSpec spec, NodeInfo node) {
        if (!NodeSelectors.matchesNodeSelectorMap(spec.getNodeSelector(), node.labels())) return false;
        NodeSelector req = required(spec);
        return req == null || NodeSelectors.matches(req, node.labels(), node.name());
    }

    private static NodeSelector required(PodSpec spec) {
        Affinity a = spec.getAffinity();
        if (a == null || a.getNodeAffinity() == null) return null;
        return a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        Affinity a = pod.pod().getSpec().getAffinity();
        if (a == null || a.getNodeAffinity() == null) return 0;
        List<PreferredSchedulingTerm> terms = a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
        if (terms == null) return 0;
        long sum = 0;
        for (PreferredSchedulingTerm t : terms) {
            if (t.getWeight() == null || t.getWeight() == 0 || t.getPreference() == null) continue;
            if (NodeSelectors.matchesTerm(t.getPreference(), node.labels(), node.name())) sum += t.getWeight();
        }
        return sum;
    }

    @Override public boolean hasNormalize() { return true; }

    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScorePlugin.defaultNormalize(MAX_NODE_SCORE, false, scores);
        return Status.success();
    }

    @Override public Set<ClusterEvent> eventsToRegister() { return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE); }
}
