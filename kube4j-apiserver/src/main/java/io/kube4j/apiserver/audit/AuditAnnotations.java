package io.kube4j.apiserver.audit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The annotations of one request's audit event (upstream's {@code Event.annotations}), added while the request is
 * served - by admission - and written with every event of the request from then on. As upstream's audit context, a
 * key keeps its first value: a later, different value for it is dropped.
 */
public final class AuditAnnotations {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Adds {@code key}; false when it already has another value (which stays). */
    public synchronized boolean add(String key, String value) {
        String existing = values.putIfAbsent(key, value);
        return existing == null || existing.equals(value);
    }

    /** The annotations so far, in the order added. */
    public synchronized Map<String, String> snapshot() {
        return new LinkedHashMap<>(values);
    }
}
