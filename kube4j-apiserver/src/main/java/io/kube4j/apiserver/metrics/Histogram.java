package io.kube4j.apiserver.metrics;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * A Prometheus histogram of durations. Each observation increments the count of its own bucket only, not of every
 * bucket above it (the cumulative counts Prometheus reads are summed when rendered), and takes no lock: a few
 * LongAdder increments, cheap enough for every request and every storage call.
 */
final class Histogram {

    /** Each bucket array's bounds as their {@code le} labels print them, by array identity: formatted once. */
    private static final Map<double[], String[]> LABELS = new ConcurrentHashMap<>();

    private final double[] buckets;
    private final String[] bounds;
    private final LongAdder[] counts;
    private final LongAdder count = new LongAdder();
    private final LongAdder sumNanos = new LongAdder();

    /** {@code buckets}: the upper bounds in seconds, ascending ({@code +Inf} is implied). */
    Histogram(double[] buckets) {
        this.buckets = buckets;
        this.bounds = LABELS.computeIfAbsent(buckets, b -> Arrays.stream(b).mapToObj(PrometheusNumbers::format)
                .toArray(String[]::new));
        this.counts = new LongAdder[buckets.length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
    }

    void observe(long nanos) {
        double seconds = nanos / 1e9;
        for (int i = 0; i < buckets.length; i++) {
            if (seconds <= buckets[i]) {
                counts[i].increment();
                break;
            }
        }
        count.increment();
        sumNanos.add(nanos);
    }

    /** Appends {@code name_bucket}, {@code name_sum} and {@code name_count} with {@code labels} (no braces). */
    void render(StringBuilder out, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < buckets.length; i++) {
            cumulative += counts[i].sum();
            out.append(name).append("_bucket{").append(labels).append(",le=\"").append(bounds[i]).append("\"} ")
                    .append(cumulative).append('\n');
        }
        long total = count.sum();
        out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(total).append('\n');
        PrometheusNumbers.append(out.append(name).append("_sum{").append(labels).append("} "), sumNanos.sum() / 1e9)
                .append('\n');
        out.append(name).append("_count{").append(labels).append("} ").append(total).append('\n');
    }
}
