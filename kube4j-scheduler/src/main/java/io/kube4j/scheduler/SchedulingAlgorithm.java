package io.kube4j.scheduler;

import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.Framework;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.Parallelizer;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Snapshot;
import io.kube4j.scheduler.framework.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One pod's placement decision over a snapshot (upstream's schedulePod): PreFilter, Filter in parallel over
 * an adaptive sample of nodes starting where the last cycle stopped, PreScore, Score, then the best node.
 * Used by one scheduling thread at a time.
 */
public final class SchedulingAlgorithm {
    /** Below this many nodes every node is evaluated (upstream's minFeasibleNodesToFind). */
    static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
    static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

    private final Parallelizer parallelizer;
    private final NominatedPods nominated;
    private int nextStartNodeIndex;

    public SchedulingAlgorithm(Parallelizer parallelizer, NominatedPods nominated) {
        this.parallelizer = parallelizer;
        this.nominated = nominated;
    }

    /** A host, or the per-node statuses that explain why none fits; {@code error} for internal failures. */
    public record Result(String host, int evaluated, int feasible, Map<String, Status> nodeStatuses, Status preFilterStatus, Status error) {}

    public Result schedulePod(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot, int percentageOfNodesToScore) {
        int n = snapshot.size();
        if (n == 0) return new Result(null, 0, 0, Map.of(), null, null);
        Status pre = fw.runPreFilterPlugins(state, pod);
        if (!pre.isSuccess()) {
            if (!pre.isRejected()) return new Result(null, 0, 0, Map.of(), null, pre);
            Map<String, Status> all = new HashMap<>();
            for (NodeInfo ni : snapshot.nodes()) all.put(ni.name(), pre);
            return new Result(null, 0, 0, all, pre, null);
        }
        Map<String, Status> statuses = new HashMap<>();
        List<NodeInfo> feasible = findFeasible(fw, state, pod, snapshot, statuses, percentageOfNodesToScore);
        if (feasible.isEmpty()) {
            for (Status s : statuses.values()) if (s.code() == Code.ERROR) return new Result(null, n, 0, statuses, null, s);
            return new Result(null, n, 0, statuses, null, null);
        }
        if (feasible.size() == 1) return new Result(feasible.get(0).name(), n, 1, statuses, null, null);
        Status preScore = fw.runPreScorePlugins(state, pod, feasible);
        if (!preScore.isSuccess()) return new Result(null, n, feasible.size(), statuses, null, preScore);
        long[] scores = fw.runScorePlugins(state, pod, feasible);
        return new Result(selectHost(feasible, scores), n, feasible.size(), statuses, null, null);
    }

    private List<NodeInfo> findFeasible(Framework fw, CycleState state, PodInfo pod, Snapshot snapshot, Map<String, Status> statuses, int percentage) {
        List<NodeInfo> nodes = snapshot.nodes();
        int n = nodes.size();
        int want = numFeasibleNodesToFind(percentage, n);
        Feasible result = new Feasible(want);
        int startIdx = nextStartNodeIndex % n;
        // Each range of nodes is filtered with local counts and merged once: per-node shared counters cost more, on two
        // cores, than the filters of a node with flat fields.
        parallelizer.untilRanges(n, (from, to) -> {
            NodeInfo[] fits = new NodeInfo[to - from];
            int fitCount = 0;
            List<Failure> failed = null;
            for (int i = from; i < to; i++) {
                int idx = (startIdx + i) % n;
                NodeInfo ni = nodes.get(idx);
                Status s = filterWithNominatedPods(fw, state, pod, ni);
                if (s.isSuccess()) {
                    fits[fitCount++] = ni;
                } else {
                    if (failed == null) failed = new ArrayList<>();
                    failed.add(new Failure(ni.name(), s));
                }
            }
            result.merge(fits, fitCount, failed);
        }, result::enough);
        // As upstream: the next cycle starts after the nodes this one used or rejected (feasible nodes found beyond
        // the wanted number were not used, so they are looked at again first).
        nextStartNodeIndex = (startIdx + result.count + result.failures.size()) % n;
        List<NodeInfo> out = new ArrayList<>(result.count);
        for (int i = 0; i < result.count; i++) out.add(result.found[i]);
        if (result.count == 0) {
            for (Failure f : result.failures) statuses.put(f.node(), f.status());
        }
        return out;
    }

    private record Failure(String node, Status status) {}

    /** The feasible nodes (at most the wanted number) and the failures of one cycle's Filter phase. */
    private static final class Feasible {
        final NodeInfo[] found;
        int count;
        final List<Failure> failures = new ArrayList<>();
        private volatile boolean enough;

        Feasible(int want) { found = new NodeInfo[want]; }

        synchronized void merge(NodeInfo[] fits, int fitCount, List<Failure> failed) {
            int take = Math.min(fitCount, found.length - count);
            System.arraycopy(fits, 0, found, count, take);
            count += take;
            if (failed != null) failures.addAll(failed);
            if (count >= found.length) enough = true;
        }

        boolean enough() { return enough; }
    }

    /**
     * As upstream: a node with pods nominated to it (of equal or higher priority) must fit the pod both with
     * and without them, so a preemptor's room is not taken by others.
     */
    private Status filterWithNominatedPods(Framework fw, CycleState state, PodInfo pod, NodeInfo ni) {
        Map<String, PodInfo> noms = nominated.onNode(ni.name());
        if (noms != null && !noms.isEmpty()) {
            CycleState copy = null;
            NodeInfo withNominated = null;
            for (PodInfo p : noms.values()) {
                if (p.key().equals(pod.key()) || p.priority() < pod.priority()) continue;
                if (copy == null) {
                    copy = state.copy();
                    withNominated = ni.copy();
                }
                withNominated.addPod(p);
                fw.runPreFilterExtensionAddPod(copy, pod, p, withNominated);
            }
            if (copy != null) {
                Status s = fw.runFilterPlugins(copy, pod, withNominated);
                if (!s.isSuccess()) return s;
            }
        }
        return fw.runFilterPlugins(state, pod, ni);
    }

    /** Upstream's adaptive node sampling: 50% minus 1% per 125 nodes, at least 5% and at least 100 nodes. */
    static int numFeasibleNodesToFind(int percentage, int numAllNodes) {
        if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND || percentage >= 100) return numAllNodes;
        int adaptive = percentage;
        if (adaptive <= 0) {
            adaptive = 50 - numAllNodes / 125;
            if (adaptive < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) adaptive = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
        }
        int num = (int) ((long) numAllNodes * adaptive / 100);
        return Math.max(num, MIN_FEASIBLE_NODES_TO_FIND);
    }

    /** The highest total score; ties broken uniformly at random (reservoir sampling). */
    static String selectHost(List<NodeInfo> nodes, long[] scores) {
        int best = 0;
        int ties = 1;
        for (int i = 1; i < scores.length; i++) {
            if (scores[i] > scores[best]) {
                best = i;
                ties = 1;
            } else if (scores[i] == scores[best]) {
                ties++;
                if (ThreadLocalRandom.current().nextInt(ties) == 0) best = i;
            }
        }
        return nodes.get(best).name();
    }
}
