package io.kube4j.apiserver.admission;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Upstream's admission.ReinvocationContext: a mutating plugin that changed the object after a plugin asking to
 * see the final object (a webhook with {@code reinvocationPolicy: IfNeeded}) marks the request, and the chain
 * runs the mutating phase once more. Plugins keep their per-request bookkeeping under their own key.
 */
public final class ReinvocationContext {

    private boolean reinvoke;
    private boolean shouldReinvoke;
    private final Map<String, Object> values = new HashMap<>();
    private final List<BooleanSupplier> conditions = new ArrayList<>();

    /** Whether the chain is in its second mutating pass. */
    public boolean isReinvoke() {
        return reinvoke;
    }

    /** Asks for a second mutating pass (ignored once it runs: there is at most one). */
    public void setShouldReinvoke() {
        shouldReinvoke = true;
    }

    /**
     * Asks for a second pass if {@code condition} holds once the first pass is over: a plugin that must see what
     * the plugins after it did.
     */
    public void setShouldReinvokeIf(BooleanSupplier condition) {
        conditions.add(condition);
    }

    boolean shouldReinvoke() {
        if (reinvoke) {
            return false;
        }
        return shouldReinvoke || conditions.stream().anyMatch(BooleanSupplier::getAsBoolean);
    }

    void startReinvoke() {
        reinvoke = true;
    }

    /** A plugin's state for this request, created on first use. */
    @SuppressWarnings("unchecked")
    public <T> T value(String key, Supplier<T> create) {
        return (T) values.computeIfAbsent(key, k -> create.get());
    }
}
