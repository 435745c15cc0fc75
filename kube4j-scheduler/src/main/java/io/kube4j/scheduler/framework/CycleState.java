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

    public void write(String key, Object value) { data.put(key, value); }

    @SuppressWarnings("unchecked")
    public <T> T read(String key) { return (T) data.get(key); }

    public Set<String> skipFilterPlugins() { return skipFilterPlugins; }
    public Set<String> skipScorePlugins() { return skipScorePlugins; }

    /** A copy whose entries can be changed (by preemption's what-if runs) without touching this state. */
    public CycleState copy() {
        CycleState c = new CycleState();
        for (Map.Entry<String, Object> e : data.entrySet()) {
            Object v = e.getValue();
            c.data.put(e.getKey(), v instanceof StateData sd ? sd.copy() : v);
        }
        c.skipFilterPlugins.addAll(skipFilterPlugins);
        c.skipScorePlugins.addAll(skipScorePlugins);
        return c;
    }

    /** State that must be deep-copied when the cycle state is cloned. */
    public interface StateData {
        StateData copy();
    }
}
