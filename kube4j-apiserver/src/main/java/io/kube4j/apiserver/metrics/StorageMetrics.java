package io.kube4j.apiserver.metrics;

import io.kube4j.store.Store;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Upstream's {@code etcd_request_duration_seconds}: how long each call of the API server to its store takes, by
 * {@code operation} - the names upstream's etcd3 storage records: get, list, listWithCount, create, update, delete -
 * and {@code type}, the resource the call is for as upstream's group-resource names it ({@code pods},
 * {@code deployments.apps}), whichever backend (embedded or etcd) serves it. A resource's registry and watch cache
 * call the store through {@link #meter}.
 */
public final class StorageMetrics {

    /** Upstream's buckets, close to apiserver_request_duration_seconds' so the two compare side by side. */
    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45,
            0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5, 6, 7, 8, 9, 10, 15, 20, 25,
            30, 40, 50, 60};

    private record Series(String operation, String type) {
    }

    private final Map<Series, Histogram> series = new ConcurrentHashMap<>();

    /** {@code store} with each call made for {@code type} timed here. */
    public Store meter(Store store, String type) {
        return new MeteredStore(store, this, type);
    }

    /** The histogram of one series, made on its first call (the store keeps it: no lookup per call). */
    Histogram histogram(String operation, String type) {
        return series.computeIfAbsent(new Series(operation, type), s -> new Histogram(BUCKETS));
    }

    /** Appends the series in Prometheus text, ordered by type and operation. */
    public void render(StringBuilder out) {
        out.append("# HELP etcd_request_duration_seconds Etcd request latency in seconds for each operation and "
                + "object type.\n");
        out.append("# TYPE etcd_request_duration_seconds histogram\n");
        Map<String, Histogram> ordered = new TreeMap<>();
        series.forEach((s, h) -> ordered.put("operation=\"" + s.operation() + "\",type=\"" + s.type() + "\"", h));
        ordered.forEach((labels, h) -> h.render(out, "etcd_request_duration_seconds", labels));
    }
}
