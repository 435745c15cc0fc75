package io.kube4j.kubelet.metrics;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram with fixed upper bounds: cumulative bucket counts, a sum and a count. */
public final class Histogram {
    private final double[] bounds;
    private final AtomicLongArray buckets;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    public Histogram(double... bounds) {
        this.bounds = bounds.clone();
        this.buckets = new AtomicLongArray(bounds.length);
    }

    /** Upstream's prometheus ExponentialBuckets(start, factor, count). */
    public static double[] exponential(double start, double factor, int count) {
        double[] b = new double[count];
        for (int i = 0; i < count; i++) {
            b[i] = start * Math.pow(factor, i);
        }
        return b;
    }

    public void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                buckets.incrementAndGet(i);
            }
        }
        sum.add(value);
        count.increment();
    }

    public long count() {
        return count.sum();
    }

    /** Appends the _bucket, _sum and _count series; {@code labels} is the inner label text ("" for none). */
    void render(StringBuilder out, String name, String labels) {
        String prefix = labels.isEmpty() ? "" : labels + ",";
        for (int i = 0; i < bounds.length; i++) {
            out.append(name).append("_bucket{").append(prefix).append("le=\"").append(format(bounds[i])).append("\"} ")
                    .append(buckets.get(i)).append('\n');
        }
        long n = count.sum();
        out.append(name).append("_bucket{").append(prefix).append("le=\"+Inf\"} ").append(n).append('\n');
        String braces = labels.isEmpty() ? "" : "{" + labels + "}";
        out.append(name).append("_sum").append(braces).append(' ').append(format(sum.sum())).append('\n');
        out.append(name).append("_count").append(braces).append(' ').append(n).append('\n');
    }

    static String format(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        String s = String.format(Locale.ROOT, "%.9g", v);
        // trim the padding %g adds so that 0.005 reads as in upstream's output
        if (s.contains("e") || s.contains("E")) {
            return s;
        }
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
