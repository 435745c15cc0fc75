package io.kube4j.apiserver.metrics;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Request counts and latency histograms by verb, resource and code, in Prometheus text format with
 * upstream's metric names ({@code apiserver_request_total}, {@code apiserver_request_duration_seconds}).
 */
public final class ApiMetrics {

    private static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1, 1.25, 1.5, 2, 3,
            4, 5, 6, 8, 10, 15, 20, 30, 45, 60};

    // Both keys are looked up on every request: their equals/hashCode are written out, as a record's generated ones
    // (method-handle combinators) cost 3.7 % of a configmap update's CPU in a profile.
    private record RequestKey(String verb, String group, String version, String resource, String subresource,
                              int code) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RequestKey k && code == k.code && Objects.equals(verb, k.verb)
                    && Objects.equals(resource, k.resource) && Objects.equals(group, k.group)
                    && Objects.equals(version, k.version) && Objects.equals(subresource, k.subresource);
        }

        @Override
        public int hashCode() {
            return LatencyKey.hash(verb, group, version, resource, subresource) * 31 + code;
        }
    }

    private record LatencyKey(String verb, String group, String version, String resource, String subresource) {
        @Override
        public boolean equals(Object o) {
            return o instanceof LatencyKey k && Objects.equals(verb, k.verb) && Objects.equals(resource, k.resource)
                    && Objects.equals(group, k.group) && Objects.equals(version, k.version)
                    && Objects.equals(subresource, k.subresource);
        }

        @Override
        public int hashCode() {
            return hash(verb, group, version, resource, subresource);
        }

        static int hash(String verb, String group, String version, String resource, String subresource) {
            return (((Objects.hashCode(verb) * 31 + Objects.hashCode(group)) * 31 + Objects.hashCode(version)) * 31
                    + Objects.hashCode(resource)) * 31 + Objects.hashCode(subresource);
        }
    }

    private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<LatencyKey, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> watchesStarted = new ConcurrentHashMap<>();
    private final IntSupplier activeWatches;
    /** The stored objects per resource label ({@code pods}, {@code deployments.apps}). */
    private final Supplier<? extends Map<String, Integer>> storedObjects;
    /** Requests executing by upstream's request kind: readOnly (get, list, watch) and mutating (the rest). */
    private final InflightWatermark readOnlyInflight;
    private final InflightWatermark mutatingInflight;
    /** Series kept by other parts of the server (API Priority and Fairness), appended as they render them. */
    private final List<Consumer<StringBuilder>> sections = new CopyOnWriteArrayList<>();

    public ApiMetrics(IntSupplier activeWatches, Supplier<? extends Map<String, Integer>> storedObjects) {
        this(activeWatches, storedObjects, new InflightWatermark(), new InflightWatermark());
    }

    ApiMetrics(IntSupplier activeWatches, Supplier<? extends Map<String, Integer>> storedObjects,
               InflightWatermark readOnlyInflight, InflightWatermark mutatingInflight) {
        this.activeWatches = activeWatches;
        this.storedObjects = storedObjects;
        this.readOnlyInflight = readOnlyInflight;
        this.mutatingInflight = mutatingInflight;
    }

    /** Records a finished request; {@code resource} is empty for non-resource paths. */
    public void record(String verb, String group, String version, String resource, String subresource, int code,
                       long nanos) {
        requests.computeIfAbsent(new RequestKey(verb, group, version, resource, subresource, code),
                k -> new LongAdder()).increment();
        if (!verb.equals("WATCH")) {
            latencies.computeIfAbsent(new LatencyKey(verb, group, version, resource, subresource),
                    k -> new Histogram(BUCKETS)).observe(nanos);
        }
    }

    /**
     * The {@code apiserver_current_inflight_requests} gauge a request of {@code verb} counts in while it executes (its
     * RequestInfo verb; a non-resource request's is its method in lower case, as upstream's): readOnly for get, list
     * and watch, mutating for any other - upstream's request kinds. The caller enters and exits it once.
     */
    public InflightWatermark inflight(String verb) {
        return verb.equals("get") || verb.equals("list") || verb.equals("watch") ? readOnlyInflight : mutatingInflight;
    }

    /** Adds series that {@code section} appends to the text in Prometheus format on every render. */
    public void addSection(Consumer<StringBuilder> section) {
        sections.add(section);
    }

    public void watchStarted(String group, String resource) {
        watchesStarted.computeIfAbsent(group + "\u0000" + resource, k -> new LongAdder()).increment();
    }

    public String render() {
        StringBuilder out = new StringBuilder(4096);
        out.append("# HELP apiserver_request_total Counter of apiserver requests broken out for each verb, "
                + "group, version, resource, subresource and HTTP response code.\n");
        out.append("# TYPE apiserver_request_total counter\n");
        new TreeMap<String, Long>(requestLines()).forEach((labels, value) ->
                PrometheusNumbers.append(out.append("apiserver_request_total").append(labels).append(' '), value)
                        .append('\n'));
        out.append("# HELP apiserver_request_duration_seconds Response latency distribution in seconds for each "
                + "verb, group, version, resource and subresource.\n");
        out.append("# TYPE apiserver_request_duration_seconds histogram\n");
        latencies.forEach((key, h) -> h.render(out, "apiserver_request_duration_seconds", "verb=\"" + key.verb()
                + "\",group=\"" + key.group() + "\",version=\"" + key.version() + "\",resource=\"" + key.resource()
                + "\",subresource=\"" + key.subresource() + "\""));
        out.append("# HELP apiserver_longrunning_requests Gauge of all active long-running apiserver requests.\n");
        out.append("# TYPE apiserver_longrunning_requests gauge\n");
        PrometheusNumbers.append(out.append("apiserver_longrunning_requests{verb=\"WATCH\"} "),
                activeWatches.getAsInt()).append('\n');
        out.append("# HELP apiserver_current_inflight_requests Maximal number of currently used inflight request "
                + "limit of this apiserver per request kind in last second.\n");
        out.append("# TYPE apiserver_current_inflight_requests gauge\n");
        PrometheusNumbers.append(out.append("apiserver_current_inflight_requests{request_kind=\"mutating\"} "),
                mutatingInflight.value()).append('\n');
        PrometheusNumbers.append(out.append("apiserver_current_inflight_requests{request_kind=\"readOnly\"} "),
                readOnlyInflight.value()).append('\n');
        out.append("# HELP apiserver_registered_watchers_total Number of watches started per resource.\n");
        out.append("# TYPE apiserver_registered_watchers_total counter\n");
        watchesStarted.forEach((key, count) -> {
            String[] parts = key.split("\u0000", 2);
            PrometheusNumbers.append(out.append("apiserver_registered_watchers_total{group=\"").append(parts[0])
                    .append("\",resource=\"").append(parts[1]).append("\"} "), count.sum()).append('\n');
        });
        out.append("# HELP apiserver_storage_objects Number of stored objects at the time of last check split by kind.\n");
        out.append("# TYPE apiserver_storage_objects gauge\n");
        storedObjects.get().forEach((resource, count) -> PrometheusNumbers.append(out.append(
                "apiserver_storage_objects{resource=\"").append(resource).append("\"} "), count).append('\n'));
        ProcessMetrics.render(out);
        sections.forEach(section -> section.accept(out));
        return out.toString();
    }

    private Map<String, Long> requestLines() {
        Map<String, Long> lines = new TreeMap<>();
        requests.forEach((k, v) -> lines.put("{verb=\"" + k.verb() + "\",group=\"" + k.group() + "\",version=\""
                + k.version() + "\",resource=\"" + k.resource() + "\",subresource=\"" + k.subresource()
                + "\",code=\"" + k.code() + "\"}", v.sum()));
        return lines;
    }
}
