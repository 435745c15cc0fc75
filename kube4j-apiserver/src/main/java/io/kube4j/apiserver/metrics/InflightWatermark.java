package io.kube4j.apiserver.metrics;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One request kind's {@code apiserver_current_inflight_requests}, as upstream's priority and fairness filter keeps it:
 * not the count at the scrape but the highest count of the last whole second. Upstream notes the count each time a
 * request starts or ends executing, keeps the highest, and every second publishes that high-water mark and starts
 * again from 0 - so a second in which no request started or ended publishes 0 even while one executes. Seconds are
 * rolled over when next touched instead of by a timer: the value read is the same.
 */
public final class InflightWatermark {

    /** Upstream's inflightUsageMetricUpdatePeriod. */
    private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final LongSupplier nanoClock;
    private final long origin;
    private long executing;
    /** The period the high-water mark is being kept for, counted from {@link #origin}. */
    private long period;
    private long highest;
    /** The high-water mark of the period before {@link #period}: the published value. */
    private long published;

    public InflightWatermark() {
        this(System::nanoTime);
    }

    /** {@code nanoClock}: a monotonic clock in nanoseconds ({@code System::nanoTime}). */
    InflightWatermark(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.origin = nanoClock.getAsLong();
    }

    /** A request of this kind starts executing. */
    public void enter() {
        note(1);
    }

    /** A request of this kind that {@link #enter entered} is done. */
    public void exit() {
        note(-1);
    }

    /** The gauge's value: the highest count of the last whole second. */
    public synchronized long value() {
        roll();
        return published;
    }

    private synchronized void note(int change) {
        roll();
        executing += change;
        highest = Math.max(highest, executing);
    }

    private void roll() {
        long now = (nanoClock.getAsLong() - origin) / PERIOD_NANOS;
        if (now > period) {
            // the period that just ended is published; if more than one went by, the last of them saw nothing
            published = now == period + 1 ? highest : 0;
            highest = 0;
            period = now;
        }
    }
}
