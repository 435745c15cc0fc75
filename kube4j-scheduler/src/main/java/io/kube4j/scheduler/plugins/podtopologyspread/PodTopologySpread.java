package io.kube4j.scheduler.plugins.podtopologyspread;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.kube4j.scheduler.framework.ClusterEvent;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.EnqueueExtensions;
import io.kube4j.scheduler.framework.FilterPlugin;
import io.kube4j.scheduler.framework.Handle;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.PreFilterExtensions;
import io.kube4j.scheduler.framework.PreFilterPlugin;
import io.kube4j.scheduler.framework.PreScorePlugin;
import io.kube4j.scheduler.framework.ScorePlugin;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.plugins.nodeaffinity.NodeAffinity;
import io.kube4j.scheduler.util.Selector;
import io.kube4j.scheduler.util.Tolerations;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Spreads matching pods evenly over topology domains: DoNotSchedule constraints filter on skew,
 * ScheduleAnyway ones (and the cluster default constraints) score.
 */
public final class PodTopologySpread implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "PodTopologySpread";
    public static final String REASON_SKEW = "node(s) didn't match pod topology spread constraints";
    public static final String REASON_MISSING_LABEL = "node(s) didn't match pod topology spread constraints (missing required label)";
    static final String FILTER_KEY = "PreFilter" + NAME;
    static final String SCORE_KEY = "PreScore" + NAME;

    /** Upstream's system default constraints, applied to pods without their own. */
    public static final List<TopologySpreadConstraint> SYSTEM_DEFAULTS = List.of(
            constraint("topology.kubernetes.io/zone", 5), constraint("kubernetes.io/hostname", 3));

    private final Handle handle;
    private final List<TopologySpreadConstraint> defaultConstraints;

    public PodTopologySpread(Handle handle) { this(handle, SYSTEM_DEFAULTS); }

    public PodTopologySpread(Handle handle, List<TopologySpreadConstraint> defaultConstraints) {
        this.handle = handle;
        this.defaultConstraints = defaultConstraints;
    }

    private static TopologySpreadConstraint constraint(String key, int skew) {
        TopologySpreadConstraint c = new TopologySpreadConstraint();
        c.setTopologyKey(key);
        c.setMaxSkew(skew);
        c.setWhenUnsatisfiable("ScheduleAnyway");
        return c;
    }

    @Override public String name() { return NAME; }

    /** The pod's own constraints with the given action, or the defaulted ones when it has none. */
    List<SpreadConstraint> constraints(Pod pod, boolean doNotSchedule) {
        List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
        List<SpreadConstraint> out = new ArrayList<>();
        if (own != null && !own.isEmpty()) {
            for (TopologySpreadConstraint c : own) {
                SpreadConstraint sc = SpreadConstraint.of(c, pod);
                if (sc.doNotSchedule() == doNotSchedule) out.add(sc);
            }
            return out;
        }
        if (defaultConstraints.isEmpty()) return out;
        List<Selector> owners = handle.ownerSelectors(pod);
        if (owners.isEmpty()) return out;
        for (TopologySpreadConstraint c : defaultConstraints) {
            boolean dns = "DoNotSchedule".equals(c.getWhenUnsatisfiable());
            if (dns != doNotSchedule) continue;
            out.add(new SpreadConstraint(c.getMaxSkew(), c.getTopologyKey(), owners, 1, dns, true, false));
        }
        return out;
    }

    private boolean systemDefaulted(Pod pod) {
        List<TopologySpreadConstraint> own = pod.getSpec().getTopologySpreadConstraints();
        return own == null || own.isEmpty();
    }

    // ---------------- Filter ----------------

    /** Counts per constraint and domain for the DoNotSchedule constraints. */
    static final class FilterState implements CycleState.StateData {
        final List<SpreadConstraint> constraints;
        final List<Map<String, Integer>> counts;

        FilterState(List<SpreadConstraint> constraints, List<Map<String, Integer>> counts) {
            this.constraints = constraints;
            this.counts = counts;
        }

        int min(int i) {
            Map<String, Integer> m = counts.get(i);
            if (m.size() < constraints.get(i).minDomains()) return 0;
            int min = Integer.MAX_VALUE;
            for (int v : m.values()) min = Math.min(min, v);
            return min == Integer.MAX_VALUE ? 0 : min;
        }

        @Override public FilterState copy() {
            List<Map<String, Integer>> c = new ArrayList<>(counts.size());
            for (Map<String, Integer> m : counts) c.add(new HashMap<>(m));
            return new FilterState(constraints, c);
        }
    }

    static boolean eligible(SpreadConstraint c, PodInfo pod, NodeInfo node) {
        if (c.honorNodeAffinity() && !NodeAffinity.requiredMatches(pod.pod().getSpec(), node)) return false;
        if (c.honorTaints()) {
            for (Taint t : node.hardTaints()) {
                if (!Tolerations.anyTolerates(pod.pod().getSpec().getTolerations(), t)) return false;
            }
        }
        return true;
    }

    static boolean hasAllKeys(List<SpreadConstraint> cs, NodeInfo node) {
        for (SpreadConstraint c : cs) if (node.label(c.topologyKey()) == null) return false;
        return true;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        List<SpreadConstraint> cs = constraints(pod.pod(), true);
        if (cs.isEmpty()) return Status.skip();
        List<Map<String, Integer>> counts = new ArrayList<>(cs.size());
        for (int i = 0; i < cs.size(); i++) counts.add(new HashMap<>());
        for (NodeInfo node : handle.snapshot().nodes()) {
            if (!hasAllKeys(cs, node)) continue;
            for (int i = 0; i < cs.size(); i++) {
                SpreadConstraint c = cs.get(i);
                if (!eligible(c, pod, node)) continue;
                counts.get(i).merge(node.label(c.topologyKey()), c.countMatching(node, pod.namespace()), Integer::sum);
            }
        }
        state.write(FILTER_KEY, new FilterState(cs, counts));
        return Status.success();
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) return Status.success();
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            String value = node.label(c.topologyKey());
            if (value == null) return Status.unresolvable(REASON_MISSING_LABEL);
            int self = c.matches(pod.pod().getMetadata().getLabels()) ? 1 : 0;
            int matchNum = s.counts.get(i).getOrDefault(value, 0);
            int skew = matchNum + self - s.min(i);
            if (skew > c.maxSkew()) return Status.unschedulable(REASON_SKEW);
        }
        return Status.success();
    }

    @Override
    public PreFilterExtensions preFilterExtensions() {
        return new PreFilterExtensions() {
            @Override public Status addPod(CycleState state, PodInfo pod, PodInfo toAdd, NodeInfo node) { return update(state, pod, toAdd, node, 1); }
            @Override public Status removePod(CycleState state, PodInfo pod, PodInfo toRemove, NodeInfo node) { return update(state, pod, toRemove, node, -1); }
        };
    }

    private Status update(CycleState state, PodInfo pod, PodInfo other, NodeInfo node, int delta) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null || !pod.namespace().equals(other.namespace()) || !hasAllKeys(s.constraints, node)) return Status.success();
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            if (!eligible(c, pod, node) || !c.matches(other.pod().getMetadata().getLabels())) continue;
            s.counts.get(i).merge(node.label(c.topologyKey()), delta, Integer::sum);
        }
        return Status.success();
    }

    // ---------------- Score ----------------

    static final class ScoreState {
        List<SpreadConstraint> constraints;
        Set<String> ignoredNodes = new HashSet<>();
        List<Map<String, long[]>> counts = new ArrayList<>();
        double[] weights;
        String namespace;
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> filtered) {
        List<SpreadConstraint> cs = constraints(pod.pod(), false);
        if (cs.isEmpty()) return Status.skip();
        boolean requireAll = !systemDefaulted(pod.pod());
        ScoreState s = new ScoreState();
        s.constraints = cs;
        s.namespace = pod.namespace();
        for (int i = 0; i < cs.size(); i++) s.counts.add(new HashMap<>());
        for (NodeInfo node : filtered) {
            if (requireAll && !hasAllKeys(cs, node)) {
                s.ignoredNodes.add(node.name());
                continue;
            }
            for (int i = 0; i < cs.size(); i++) {
                SpreadConstraint c = cs.get(i);
                if ("kubernetes.io/hostname".equals(c.topologyKey())) continue;
                String v = node.label(c.topologyKey());
                if (v != null) s.counts.get(i).computeIfAbsent(v, k -> new long[1]);
            }
        }
        s.weights = new double[cs.size()];
        for (int i = 0; i < cs.size(); i++) {
            int size = "kubernetes.io/hostname".equals(cs.get(i).topologyKey())
                    ? filtered.size() - s.ignoredNodes.size() : s.counts.get(i).size();
            s.weights[i] = Math.log(size + 2);
        }
        for (NodeInfo node : handle.snapshot().nodes()) {
            if (requireAll && !hasAllKeys(cs, node)) continue;
            for (int i = 0; i < cs.size(); i++) {
                SpreadConstraint c = cs.get(i);
                if ("kubernetes.io/hostname".equals(c.topologyKey())) continue;
                if (!eligible(c, pod, node)) continue;
                String v = node.label(c.topologyKey());
                long[] cnt = v == null ? null : s.counts.get(i).get(v);
                if (cnt != null) cnt[0] += c.countMatching(node, pod.namespace());
            }
        }
        state.write(SCORE_KEY, s);
        return Status.success();
    }

    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null || s.ignoredNodes.contains(node.name())) return 0;
        double score = 0;
        for (int i = 0; i < s.constraints.size(); i++) {
            SpreadConstraint c = s.constraints.get(i);
            String v = node.label(c.topologyKey());
            if (v == null) continue;
            long cnt;
            if ("kubernetes.io/hostname".equals(c.topologyKey())) {
                cnt = c.countMatching(node, s.namespace);
            } else {
                long[] a = s.counts.get(i).get(v);
                cnt = a == null ? 0 : a[0];
            }
            score += cnt * s.weights[i] + (c.maxSkew() - 1);
        }
        return Math.round(score);
    }

    @Override public boolean hasNormalize() { return true; }

    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) return Status.success();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) continue;
            min = Math.min(min, scores[i]);
            max = Math.max(max, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (s.ignoredNodes.contains(nodes.get(i).name())) { scores[i] = 0; continue; }
            if (max == 0) { scores[i] = MAX_NODE_SCORE; continue; }
            scores[i] = MAX_NODE_SCORE * (max + min - scores[i]) / max;
        }
        return Status.success();
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.NODE_DELETE,
                ClusterEvent.ASSIGNED_POD_ADD, ClusterEvent.ASSIGNED_POD_UPDATE, ClusterEvent.ASSIGNED_POD_DELETE);
    }
}
