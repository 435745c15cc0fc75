package io.kube4j.scheduler.plugins.noderesources;

import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.ScorePlugin;

import java.util.List;

/** Favours nodes whose cpu and memory usage fractions stay close: score = (1 - std dev) * 100. */
public final class NodeResourcesBalancedAllocation implements ScorePlugin {
    public static final String NAME = "NodeResourcesBalancedAllocation";
    private final List<ScoringStrategy.ResourceWeight> resources;

    public NodeResourcesBalancedAllocation() { this(ScoringStrategy.DEFAULT_RESOURCES); }

    public NodeResourcesBalancedAllocation(List<ScoringStrategy.ResourceWeight> resources) { this.resources = resources; }

    @Override public String name() { return NAME; }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        int n = 0;
        double sum = 0, sumSq = 0;
        double f0 = 0, f1 = 0;
        for (ScoringStrategy.ResourceWeight rw : resources) {
            long alloc = node.allocatable().get(rw.name());
            if (alloc == 0) continue;
            double f = (double) NodeResourcesFit.requestedWithPod(rw.name(), pod, node) / alloc;
            if (f > 1) f = 1;
            if (n == 0) f0 = f; else if (n == 1) f1 = f;
            sum += f;
            sumSq += f * f;
            n++;
        }
        double std;
        if (n == 2) {
            std = Math.abs((f0 - f1) / 2);
        } else if (n > 2) {
            double mean = sum / n;
            std = Math.sqrt(Math.max(0, sumSq / n - mean * mean));
        } else {
            std = 0;
        }
        return (long) ((1 - std) * MAX_NODE_SCORE);
    }
}
