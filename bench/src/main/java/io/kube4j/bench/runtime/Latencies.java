package io.kube4j.bench.runtime;

import java.util.Arrays;

/** Latencies of one step in nanoseconds, reported as percentiles in milliseconds. */
final class Latencies {
    private long[] samples = new long[128];
    private int size;

    void record(long nanos) {
        if (size == samples.length) {
            samples = Arrays.copyOf(samples, size * 2);
        }
        samples[size++] = nanos;
    }

    int count() {
        return size;
    }

    /** The p-th percentile (0-100, nearest rank) in milliseconds, NaN with no samples. */
    double percentileMillis(double p) {
        if (size == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(samples, size);
        Arrays.sort(sorted);
        int index = (int) Math.ceil(p / 100.0 * size) - 1;
        return sorted[Math.max(0, Math.min(size - 1, index))] / 1_000_000.0;
    }
}
