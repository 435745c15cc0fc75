package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.api.quantity.Quantity;

import java.time.Duration;
import java.time.Instant;

/**
 * A usage figure as metrics.k8s.io reports it: CPU as the rate between two scrapes, memory as the later working
 * set, stamped with the later scrape's time and the window between the two.
 */
public record Usage(long nanoCores, long memoryBytes, Instant timestamp, Duration window) {

    /**
     * The usage between two points of the same counter, or null when they do not make a rate: no time between
     * them, or the counter went back (the container restarted), where metrics-server also drops the point.
     */
    public static Usage between(CumulativePoint earlier, CumulativePoint later) {
        long windowNanos = Duration.between(earlier.timestamp(), later.timestamp()).toNanos();
        long cpu = later.cpuNanoSeconds() - earlier.cpuNanoSeconds();
        if (windowNanos <= 0 || cpu < 0) {
            return null;
        }
        // nanoseconds of CPU per second of wall time, in nanocores: cpu * 1e9 / window, without overflow
        long nanoCores = java.math.BigInteger.valueOf(cpu).multiply(java.math.BigInteger.valueOf(1_000_000_000L))
                .divide(java.math.BigInteger.valueOf(windowNanos)).longValue();
        return new Usage(nanoCores, later.memoryWorkingSetBytes(), later.timestamp(),
                Duration.ofNanos(windowNanos));
    }

    /** As metrics-server writes it: nanocores ({@code 12345678n}); kubectl shows it in millicores. */
    public Quantity cpu() {
        return Quantity.ofScaled(nanoCores, -9, Quantity.Format.DECIMAL_SI);
    }

    /** As metrics-server writes it: binary SI ({@code 20480Ki}). */
    public Quantity memory() {
        return Quantity.of(memoryBytes, Quantity.Format.BINARY_SI);
    }

    public Usage plus(Usage other) {
        return new Usage(nanoCores + other.nanoCores, memoryBytes + other.memoryBytes, timestamp, window);
    }
}
