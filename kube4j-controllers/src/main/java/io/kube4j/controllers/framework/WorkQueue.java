package io.kube4j.controllers.framework;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A rate-limited work queue with client-go semantics: a key is queued at most once, a key being
 * processed is never handed to a second worker (it is re-queued when {@link #done} is called if it
 * was added meanwhile), and failing keys are retried after a per-key backoff.
 */
public final class WorkQueue<K> implements AutoCloseable {
    private final ArrayDeque<K> queue = new ArrayDeque<>();
    private final Set<K> dirty = new HashSet<>();
    private final Set<K> processing = new HashSet<>();
    private final Map<K, ScheduledFuture<?>> waiting = new HashMap<>();
    private final Map<K, Long> waitingUntil = new HashMap<>();
    private final RateLimiter<K> rateLimiter;
    private final ScheduledExecutorService delays;
    private boolean shuttingDown;

    public WorkQueue(String name, RateLimiter<K> rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.delays = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "workqueue-delay-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    public WorkQueue(String name) {
        this(name, ExponentialFailureRateLimiter.controllerDefault());
    }

    public synchronized void add(K key) {
        if (shuttingDown || dirty.contains(key)) {
            return;
        }
        dirty.add(key);
        if (processing.contains(key)) {
            return;
        }
        queue.addLast(key);
        notifyAll();
    }

    /** Adds the key after a delay; of several pending delayed adds for one key the earliest wins. */
    public void addAfter(K key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            add(key);
            return;
        }
        long readyAt = System.nanoTime() + delay.toNanos();
        synchronized (this) {
            if (shuttingDown) {
                return;
            }
            Long existing = waitingUntil.get(key);
            if (existing != null && existing <= readyAt) {
                return;
            }
            ScheduledFuture<?> previous = waiting.remove(key);
            if (previous != null) {
                previous.cancel(false);
            }
            waitingUntil.put(key, readyAt);
            waiting.put(key, delays.schedule(() -> fire(key, readyAt), delay.toNanos(), TimeUnit.NANOSECONDS));
        }
    }

    private void fire(K key, long readyAt) {
        synchronized (this) {
            Long at = waitingUntil.get(key);
            if (at == null || at != readyAt) {
                return;
            }
            waitingUntil.remove(key);
            waiting.remove(key);
        }
        add(key);
    }

    public void addRateLimited(K key) {
        addAfter(key, rateLimiter.when(key));
    }

    public void forget(K key) {
        rateLimiter.forget(key);
    }

    public int numRequeues(K key) {
        return rateLimiter.numRequeues(key);
    }

    /** Blocks until a key is available; empty once the queue is shut down. */
    public synchronized Optional<K> get() throws InterruptedException {
        while (queue.isEmpty() && !shuttingDown) {
            wait();
        }
        if (queue.isEmpty()) {
            return Optional.empty();
        }
        K key = queue.removeFirst();
        processing.add(key);
        dirty.remove(key);
        return Optional.of(key);
    }

    public synchronized void done(K key) {
        processing.remove(key);
        if (dirty.contains(key)) {
            queue.addLast(key);
            notifyAll();
        }
    }

    public synchronized int length() {
        return queue.size();
    }

    public synchronized boolean isShuttingDown() {
        return shuttingDown;
    }

    public void shutDown() {
        synchronized (this) {
            shuttingDown = true;
            waiting.values().forEach(f -> f.cancel(false));
            waiting.clear();
            waitingUntil.clear();
            notifyAll();
        }
        delays.shutdownNow();
    }

    @Override
    public void close() {
        shutDown();
    }
}
