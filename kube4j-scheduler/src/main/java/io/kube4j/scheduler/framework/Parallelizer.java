package io.kube4j.scheduler.framework;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Runs a piece of work for indexes 0..n-1 on a small fixed pool, in chunks, with the calling thread helping.
 * Small inputs run inline: a task hand-off costs more than filtering a few nodes.
 */
public final class Parallelizer implements AutoCloseable {
    private static final int INLINE_BELOW = 64;
    private final int parallelism;
    private final ExecutorService pool;

    public Parallelizer(int parallelism) {
        this.parallelism = Math.max(1, parallelism);
        AtomicInteger n = new AtomicInteger();
        this.pool = this.parallelism <= 1 ? null : Executors.newFixedThreadPool(this.parallelism - 1, r -> {
            Thread t = new Thread(r, "scheduler-parallel-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public int parallelism() { return parallelism; }

    /** Work on the indexes {@code from} (inclusive) to {@code to} (exclusive), on one thread. */
    @FunctionalInterface
    public interface RangeWork {
        void accept(int from, int to);
    }

    /** Calls {@code work} for each index; {@code stop} is checked between items so callers can end early. */
    public void until(int n, IntConsumer work, java.util.function.BooleanSupplier stop) {
        if (pool == null || n < INLINE_BELOW) {
            for (int i = 0; i < n && !stop.getAsBoolean(); i++) work.accept(i);
            return;
        }
        untilRanges(n, (from, to) -> {
            for (int i = from; i < to; i++) work.accept(i);
        }, stop);
    }

    /**
     * Hands out the indexes in ranges (about sqrt(n) long; all of them at once when n is small or there is no pool),
     * checking {@code stop} between ranges. A caller that keeps per-range counts and publishes them once per range
     * avoids the shared counters per index that the two cores would otherwise pass back and forth.
     */
    public void untilRanges(int n, RangeWork work, java.util.function.BooleanSupplier stop) {
        if (n <= 0 || stop.getAsBoolean()) return;
        if (pool == null || n < INLINE_BELOW) {
            work.accept(0, n);
            return;
        }
        int chunk = Math.max(1, (int) Math.sqrt(n));
        AtomicInteger next = new AtomicInteger();
        Runnable worker = () -> {
            int start;
            while (!stop.getAsBoolean() && (start = next.getAndAdd(chunk)) < n) {
                work.accept(start, Math.min(n, start + chunk));
            }
        };
        List<Future<?>> futures = new ArrayList<>(parallelism - 1);
        for (int i = 0; i < parallelism - 1; i++) futures.add(pool.submit(worker));
        worker.run();
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (ExecutionException e) {
                Throwable c = e.getCause();
                if (c instanceof RuntimeException re) throw re;
                throw new IllegalStateException(c);
            }
        }
    }

    public void until(int n, IntConsumer work) { until(n, work, () -> false); }

    @Override public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
