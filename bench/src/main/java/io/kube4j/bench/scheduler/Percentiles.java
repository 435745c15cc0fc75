package io.kube4j.bench.scheduler;

import java.util.Arrays;

/** Percentiles of a fixed set of samples (nearest rank). */
final class Percentiles {
    private final double[] sorted;

    Percentiles(double[] samples) {
        this.sorted = samples.clone();
        Arrays.sort(this.sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The {@code p}-th percentile (0-100), or NaN without samples. */
    double get(double p) {
        if (sorted.length == 0) return Double.NaN;
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
