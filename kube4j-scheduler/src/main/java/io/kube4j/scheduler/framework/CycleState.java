package io.kube4j.scheduler.framework;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Per-scheduling-cycle scratch space shared by the plugins of one profile.
 * Written in the sequential PreFilter/PreScore phases and read by parallel Filter/Score calls.
 */
public final class CycleState {
    private final Map<String, Object> data = new ConcurrentHashMap<>();
    private final Set<String> skipFilterPlugins = new HashSet<>();
    private final Set<String> skipScorePlugins = new HashSet<>();
    /** Set by the framework after PreFilter; see {@link #filterPlan}. */
    private FilterPlan filterPlan;

    /**
     * The filter plugins a cycle runs on every node, fixed once PreFilter has decided which ones to skip, so the
     * per-node loop (thousands of nodes per pod) does not look each plugin up in the skip set again. Valid while the
     * skip set still has the size it had when the plan was made and for the framework that made it.
     */
    public record FilterPlan(Object owner, int skipCount, FilterPlugin[] plugins) {}

    public void write(String key, Object value) { data.put(key, value); }

    @SuppressWarnings("unchecked")
    public <T> T read(String key) { return (T) data.get(key); }

    public Set<String> skipFilterPlugins() { return skipFilterPlugins; }
    public Set<String> skipScorePlugins() { return skipScorePlugins; }

    /** The plan made for {@code owner}, or null when there is none or the skip set changed since. */
    public FilterPlan filterPlan(Object owner) {
        FilterPlan p = filterPlan;
        return p != null && p.owner() == owner && p.skipCount() == skipFilterPlugins.size() ? p : null;
    }

    public void setFilterPlan(FilterPlan plan) { filterPlan = plan; }

    /** A copy whose entries can be changed (by preemption's what-if runs) without touching this state. */
    public CycleState copy() {
        CycleState c = new CycleState();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            Object v = e.getValue();
            c.data.put(e.getKey(), v instanceof StateData sd ? sd.copy() : v);
        }
        c.skipFilterPlugins.addAll(skipFilterPlugins);
        c.skipScorePlugins.addAll(skipScorePlugins);
        c.filterPlan = filterPlan;
        return c;
    }

    /** State that must be deep-copied when the cycle state is cloned. */
    public interface StateData {
        StateData copy();
    }
}
