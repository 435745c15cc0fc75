package io.kube4j.scheduler.framework;

/** Ranks feasible nodes; scores end up in [0, MAX_NODE_SCORE] after normalisation. Must be thread-safe. */
public interface ScorePlugin extends Plugin {
    long MAX_NODE_SCORE = 100;
    long MIN_NODE_SCORE = 0;

    long score(CycleState state, PodInfo pod, NodeInfo node);

    /** Whether {@link #normalizeScore} must be called after all nodes are scored. */
    default boolean hasNormalize() { return false; }

    /** Rewrites {@code scores} (parallel to {@code nodes}) into [0, MAX_NODE_SCORE]. */
    default Status normalizeScore(CycleState state, PodInfo pod, java.util.List<NodeInfo> nodes, long[] scores) { return Status.success(); }

    /** Upstream's DefaultNormalizeScore: scale to max, optionally reversed. */
    static void defaultNormalize(long maxPriority, boolean reverse, long[] scores) {
        long max = 0;
        for (long s : scores) max = Math.max(max, s);
        if (max == 0) {
            if (reverse) java.util.Arrays.fill(scores, maxPriority);
            return;
        }
        for (int i = 0; i < scores.length; i++) {
            long s = maxPriority * scores[i] / max;
            scores[i] = reverse ? maxPriority - s : s;
        }
    }
}
