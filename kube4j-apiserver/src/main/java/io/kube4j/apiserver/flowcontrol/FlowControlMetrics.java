package io.kube4j.apiserver.flowcontrol;

import io.kube4j.apiserver.metrics.PrometheusNumbers;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Upstream's main API Priority and Fairness series, per flow schema and priority level: dispatched and rejected
 * (by reason) request counters, and requests waiting and executing now. The counters of a pair are looked up when
 * the configuration is compiled, never per request, and outlive configuration changes.
 */
final class FlowControlMetrics {

    /** The counters of one (flow schema, priority level) pair. */
    static final class Counters {
        final String schema;
        final String level;
        final LongAdder dispatched = new LongAdder();
        final LongAdder inQueue = new LongAdder();
        final LongAdder executing = new LongAdder();
        final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();

        Counters(String schema, String level) {
            this.schema = schema;
            this.level = level;
        }

        void rejected(String reason) {
            rejected.computeIfAbsent(reason, r -> new LongAdder()).increment();
        }

        long rejectedTotal() {
            return rejected.values().stream().mapToLong(LongAdder::sum).sum();
        }
    }

    private final Map<String, Counters> byPair = new ConcurrentHashMap<>();

    Counters counters(String schema, String level) {
        return byPair.computeIfAbsent(schema + "\u0000" + level, k -> new Counters(schema, level));
    }

    /** Appends the series in Prometheus text format; {@code limits} is each level's nominal seats. */
    void render(StringBuilder out, Map<String, Integer> limits) {
        Map<String, Counters> sorted = new TreeMap<>(byPair);
        header(out, "apiserver_flowcontrol_dispatched_requests_total",
                "Number of requests executed by API Priority and Fairness subsystem", "counter");
        sorted.values().forEach(c -> line(out, "apiserver_flowcontrol_dispatched_requests_total", c, null,
                c.dispatched.sum()));
        header(out, "apiserver_flowcontrol_rejected_requests_total",
                "Number of requests rejected by API Priority and Fairness subsystem", "counter");
        sorted.values().forEach(c -> new TreeMap<>(c.rejected).forEach((reason, n) ->
                line(out, "apiserver_flowcontrol_rejected_requests_total", c, reason, n.sum())));
        header(out, "apiserver_flowcontrol_current_inqueue_requests",
                "Number of requests currently pending in queues of the API Priority and Fairness subsystem", "gauge");
        sorted.values().forEach(c -> line(out, "apiserver_flowcontrol_current_inqueue_requests", c, null,
                c.inQueue.sum()));
        header(out, "apiserver_flowcontrol_current_executing_requests",
                "Number of requests in initial (for a WATCH) or any (for a non-WATCH) execution stage in the API "
                        + "Priority and Fairness subsystem", "gauge");
        sorted.values().forEach(c -> line(out, "apiserver_flowcontrol_current_executing_requests", c, null,
                c.executing.sum()));
        header(out, "apiserver_flowcontrol_nominal_limit_seats",
                "Nominal number of execution seats configured for each priority level", "gauge");
        new TreeMap<>(limits).forEach((level, seats) -> PrometheusNumbers.append(out.append(
                "apiserver_flowcontrol_nominal_limit_seats{priority_level=\"").append(level).append("\"} "), seats)
                .append('\n'));
    }

    private static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void line(StringBuilder out, String name, Counters c, String reason, long value) {
        out.append(name).append("{flow_schema=\"").append(c.schema).append("\",priority_level=\"").append(c.level);
        if (reason != null) {
            out.append("\",reason=\"").append(reason);
        }
        PrometheusNumbers.append(out.append("\"} "), value).append('\n');
    }
}
