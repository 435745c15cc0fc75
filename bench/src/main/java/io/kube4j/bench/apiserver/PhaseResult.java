package io.kube4j.bench.apiserver;

import java.util.Arrays;

/**
 * What one timed phase did: operations, failures, wall time, the latency of each operation, and whether its time
 * cap stopped it before its op count.
 */
record PhaseResult(int ops, int errors, long elapsedNanos, long[] sortedLatencyNanos, String firstError,
                   boolean capped) {

    static PhaseResult of(int ops, int errors, long elapsedNanos, long[] latencies, String firstError,
                          boolean capped) {
        long[] sorted = latencies.clone();
        Arrays.sort(sorted);
        return new PhaseResult(ops, errors, elapsedNanos, sorted, firstError, capped);
    }

    double opsPerSecond() {
        return elapsedNanos == 0 ? 0 : (ops - errors) * 1e9 / elapsedNanos;
    }

    double percentileMillis(double p) {
        if (sortedLatencyNanos.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.ceil(p / 100.0 * sortedLatencyNanos.length) - 1;
        return sortedLatencyNanos[Math.max(0, Math.min(i, sortedLatencyNanos.length - 1))] / 1e6;
    }
}
