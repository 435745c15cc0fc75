package io.kube4j.scheduler.plugins.interpodaffinity;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.scheduler.framework.AffinityTerm;
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

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pod affinity and anti-affinity, required (filter) and preferred (score), both of the incoming and existing pods. */
public final class InterPodAffinity implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, EnqueueExtensions {
    public static final String NAME = "InterPodAffinity";
    public static final String REASON_EXISTING_ANTI = "node(s) didn't satisfy existing pods anti-affinity rules";
    public static final String REASON_AFFINITY = "node(s) didn't match pod affinity rules";
    public static final String REASON_ANTI = "node(s) didn't match pod anti-affinity rules";
    static final String FILTER_KEY = "PreFilter" + NAME;
    static final String SCORE_KEY = "PreScore" + NAME;

    private final Handle handle;
    private final long hardPodAffinityWeight;

    public InterPodAffinity(Handle handle) { this(handle, 1); }

    public InterPodAffinity(Handle handle, long hardPodAffinityWeight) {
        this.handle = handle;
        this.hardPodAffinityWeight = hardPodAffinityWeight;
    }

    @Override public String name() { return NAME; }

    record TopologyPair(String key, String value) {}

    static final class FilterState implements CycleState.StateData {
        final Map<TopologyPair, Integer> existingAnti;
        final Map<TopologyPair, Integer> affinity;
        final Map<TopologyPair, Integer> anti;

        FilterState(Map<TopologyPair, Integer> existingAnti, Map<TopologyPair, Integer> affinity, Map<TopologyPair, Integer> anti) {
            this.existingAnti = existingAnti;
            this.affinity = affinity;
            this.anti = anti;
        }

        @Override public FilterState copy() { return new FilterState(new HashMap<>(existingAnti), new HashMap<>(affinity), new HashMap<>(anti)); }
    }

    private Map<String, String> nsLabels(Pod p) { return handle.namespaceLabels(p.getMetadata().getNamespace()); }

    private boolean matchesAll(List<AffinityTerm> terms, Pod p) {
        if (terms.isEmpty()) return false;
        Map<String, String> nl = nsLabels(p);
        for (AffinityTerm t : terms) if (!t.matches(p, nl)) return false;
        return true;
    }

    @Override
    public Status preFilter(CycleState state, PodInfo pod) {
        FilterState s = new FilterState(new HashMap<>(), new HashMap<>(), new HashMap<>());
        Map<String, String> incomingNs = nsLabels(pod.pod());
        for (NodeInfo node : handle.snapshot().nodesWithRequiredAntiAffinityPods()) {
            for (PodInfo existing : node.podsWithRequiredAntiAffinity()) {
                addExistingAnti(s, existing, pod, incomingNs, node, 1);
            }
        }
        if (!pod.requiredAffinity().isEmpty() || !pod.requiredAntiAffinity().isEmpty()) {
            for (NodeInfo node : handle.snapshot().nodes()) {
                for (PodInfo existing : node.pods()) addIncoming(s, pod, existing, node, 1);
            }
        }
        if (s.existingAnti.isEmpty() && pod.requiredAffinity().isEmpty() && pod.requiredAntiAffinity().isEmpty()) return Status.skip();
        state.write(FILTER_KEY, s);
        return Status.success();
    }

    private void addExistingAnti(FilterState s, PodInfo existing, PodInfo incoming, Map<String, String> incomingNs, NodeInfo node, int delta) {
        for (AffinityTerm t : existing.requiredAntiAffinity()) {
            String v = node.label(t.topologyKey());
            if (v != null && t.matches(incoming.pod(), incomingNs)) s.existingAnti.merge(new TopologyPair(t.topologyKey(), v), delta, Integer::sum);
        }
    }

    private void addIncoming(FilterState s, PodInfo incoming, PodInfo existing, NodeInfo node, int delta) {
        if (!incoming.requiredAffinity().isEmpty() && matchesAll(incoming.requiredAffinity(), existing.pod())) {
            for (AffinityTerm t : incoming.requiredAffinity()) {
                String v = node.label(t.topologyKey());
                if (v != null) s.affinity.merge(new TopologyPair(t.topologyKey(), v), delta, Integer::sum);
            }
        }
        if (!incoming.requiredAntiAffinity().isEmpty()) {
            Map<String, String> nl = nsLabels(existing.pod());
            for (AffinityTerm t : incoming.requiredAntiAffinity()) {
                String v = node.label(t.topologyKey());
                if (v != null && t.matches(existing.pod(), nl)) s.anti.merge(new TopologyPair(t.topologyKey(), v), delta, Integer::sum);
            }
        }
    }

    @Override
    public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
        FilterState s = state.read(FILTER_KEY);
        if (s == null) return Status.success();
        if (!s.existingAnti.isEmpty()) {
            for (Map.Entry<TopologyPair, Integer> e : s.existingAnti.entrySet()) {
                if (e.getValue() > 0 && e.getKey().value().equals(node.label(e.getKey().key()))) return Status.unschedulable(REASON_EXISTING_ANTI);
            }
        }
        if (!pod.requiredAffinity().isEmpty()) {
            boolean ok = true;
            for (AffinityTerm t : pod.requiredAffinity()) {
                String v = node.label(t.topologyKey());
                if (v == null || s.affinity.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) <= 0) { ok = false; break; }
            }
            // The first pod of a group that selects itself may go anywhere that has the topology keys.
            if (!ok && s.affinity.isEmpty() && matchesAll(pod.requiredAffinity(), pod.pod())) {
                ok = true;
                for (AffinityTerm t : pod.requiredAffinity()) if (node.label(t.topologyKey()) == null) ok = false;
            }
            if (!ok) return Status.unresolvable(REASON_AFFINITY);
        }
        for (AffinityTerm t : pod.requiredAntiAffinity()) {
            String v = node.label(t.topologyKey());
            if (v != null && s.anti.getOrDefault(new TopologyPair(t.topologyKey(), v), 0) > 0) return Status.unschedulable(REASON_ANTI);
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
        if (s == null) return Status.success();
        addExistingAnti(s, other, pod, nsLabels(pod.pod()), node, delta);
        addIncoming(s, pod, other, node, delta);
        return Status.success();
    }

    // ---------------- Score ----------------

    static final class ScoreState {
        final Map<String, Map<String, Long>> topologyScore = new HashMap<>();
    }

    @Override
    public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
        boolean hasPreferred = !pod.preferredAffinity().isEmpty() || !pod.preferredAntiAffinity().isEmpty();
        List<NodeInfo> toProcess = hasPreferred ? handle.snapshot().nodes() : handle.snapshot().nodesWithAffinityPods();
        if (toProcess.isEmpty()) return Status.skip();
        ScoreState s = new ScoreState();
        Map<String, String> incomingNs = nsLabels(pod.pod());
        for (NodeInfo node : toProcess) {
            List<PodInfo> pods = hasPreferred ? node.pods() : node.podsWithAffinity();
            for (PodInfo existing : pods) {
                Map<String, String> existingNs = nsLabels(existing.pod());
                for (AffinityTerm t : pod.preferredAffinity()) if (t.matches(existing.pod(), existingNs)) add(s, t.topologyKey(), node, t.weight());
                for (AffinityTerm t : pod.preferredAntiAffinity()) if (t.matches(existing.pod(), existingNs)) add(s, t.topologyKey(), node, -t.weight());
                if (hardPodAffinityWeight > 0) {
                    for (AffinityTerm t : existing.requiredAffinity()) if (t.matches(pod.pod(), incomingNs)) add(s, t.topologyKey(), node, hardPodAffinityWeight);
                }
                for (AffinityTerm t : existing.preferredAffinity()) if (t.matches(pod.pod(), incomingNs)) add(s, t.topologyKey(), node, t.weight());
                for (AffinityTerm t : existing.preferredAntiAffinity()) if (t.matches(pod.pod(), incomingNs)) add(s, t.topologyKey(), node, -t.weight());
            }
        }
        if (s.topologyScore.isEmpty()) return Status.skip();
        state.write(SCORE_KEY, s);
        return Status.success();
    }

    private static void add(ScoreState s, String key, NodeInfo node, long w) {
        String v = node.label(key);
        if (v == null || w == 0) return;
        s.topologyScore.computeIfAbsent(key, k -> new HashMap<>()).merge(v, w, Long::sum);
    }

    /** Raw scores may be negative; NormalizeScore maps them into [0, 100]. */
    @Override
    public long score(CycleState state, PodInfo pod, NodeInfo node) {
        ScoreState s = state.read(SCORE_KEY);
        if (s == null) return 0;
        long sum = 0;
        for (Map.Entry<String, Map<String, Long>> e : s.topologyScore.entrySet()) {
            String v = node.label(e.getKey());
            if (v != null) sum += e.getValue().getOrDefault(v, 0L);
        }
        return sum;
    }

    @Override public boolean hasNormalize() { return true; }

    @Override
    public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
        if (state.read(SCORE_KEY) == null) return Status.success();
        long min = Long.MAX_VALUE, max = Long.MIN_VALUE;
        for (long v : scores) { min = Math.min(min, v); max = Math.max(max, v); }
        long diff = max - min;
        for (int i = 0; i < scores.length; i++) scores[i] = diff > 0 ? MAX_NODE_SCORE * (scores[i] - min) / diff : 0;
        return Status.success();
    }

    @Override
    public Set<ClusterEvent> eventsToRegister() {
        return Set.of(ClusterEvent.NODE_ADD, ClusterEvent.NODE_UPDATE, ClusterEvent.ASSIGNED_POD_ADD, ClusterEvent.ASSIGNED_POD_UPDATE, ClusterEvent.ASSIGNED_POD_DELETE);
    }
}
