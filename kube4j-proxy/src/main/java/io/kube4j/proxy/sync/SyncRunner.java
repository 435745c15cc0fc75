package io.kube4j.proxy.sync;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Runs a sync task on one thread, at most once per minimum interval; requests arriving meanwhile are
 * coalesced into one run (upstream's BoundedFrequencyRunner without the periodic part).
 */
public final class SyncRunner implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

    private final Runnable task;
    private final long minIntervalNanos;
    private final ScheduledExecutorService executor;
    private boolean pending;
    private long lastStart;
    private boolean ranOnce;

    public SyncRunner(String name, Duration minInterval, Runnable task) {
        this.task = task;
        this.minIntervalNanos = minInterval.toNanos();
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Asks for a run; returns at once. */
    public synchronized void request() {
        if (pending || executor.isShutdown()) {
            return;
        }
        pending = true;
        long wait = ranOnce ? Math.max(0, lastStart + minIntervalNanos - System.nanoTime()) : 0;
        executor.schedule(this::runOnce, wait, TimeUnit.NANOSECONDS);
    }

    /** Asks for a run no earlier than {@code delay} from now, e.g. to retry a failed sync. */
    public synchronized void requestAfter(Duration delay) {
        if (!executor.isShutdown()) {
            executor.schedule(this::request, delay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void runOnce() {
        synchronized (this) {
            pending = false;
            lastStart = System.nanoTime();
            ranOnce = true;
        }
        try {
            task.run();
        } catch (RuntimeException e) {
            LOG.error("sync failed", e);
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
