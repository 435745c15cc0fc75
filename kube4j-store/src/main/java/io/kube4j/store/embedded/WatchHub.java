package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;

import java.util.ArrayList;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Fans durable events out to watchers (etcd's watchableStore). A dispatcher thread pushes each newly durable
 * revision's events into the queue of every synced watcher; a new watcher first catches up from the index's
 * history on its own delivery thread, then joins the synced set under the hub lock at exactly the revision it
 * reached, so it sees no gap and no duplicate. Queues are bounded: a watcher that falls behind is cut off,
 * never the writers or the other watchers.
 */
final class WatchHub implements AutoCloseable {
    private final MvccIndex index;
    private final LongSupplier durableRevision;
    private final LongSupplier compactedRevision;
    private final int queueLimit;
    private final long progressIntervalNanos;
    private final ExecutorService delivery;
    private final Thread dispatcher;
    private final Set<Watcher> open = ConcurrentHashMap.newKeySet();

    /** Guards {@link #synced} and {@link #dispatched}. Taken before any watcher's own lock, never after. */
    final Object lock = new Object();
    private final ArrayList<Watcher> synced = new ArrayList<>();
    /** Every event up to here has been offered to the synced watchers. */
    private volatile long dispatched;
    private volatile boolean running = true;
    /** A watcher asked for a progress notification; the dispatcher sends one to every synced watcher. */
    private volatile boolean progressRequested;

    WatchHub(MvccIndex index, LongSupplier durableRevision, LongSupplier compactedRevision, int queueLimit,
             long progressIntervalNanos) {
        this.index = index;
        this.durableRevision = durableRevision;
        this.compactedRevision = compactedRevision;
        this.queueLimit = queueLimit;
        this.progressIntervalNanos = progressIntervalNanos;
        this.dispatched = durableRevision.getAsLong();
        AtomicInteger n = new AtomicInteger();
        ThreadFactory threads = r -> {
            Thread t = new Thread(r, "kube4j-store-watch-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        // a listener that blocks holds only its own thread: a cached pool keeps the others going
        this.delivery = Executors.newCachedThreadPool(threads);
        this.dispatcher = new Thread(this::dispatchLoop, "kube4j-store-watch-dispatcher");
        dispatcher.setDaemon(true);
        dispatcher.start();
    }

    MvccIndex index() {
        return index;
    }

    long dispatchedRevision() {
        return dispatched;
    }

    long compactedRevision() {
        return compactedRevision.getAsLong();
    }

    boolean running() {
        return running;
    }

    /** Starts a watch from {@code next}, which the store has already checked against compaction. */
    Watcher watch(String prefix, long next, WatchListener listener) {
        Watcher w = new Watcher(this, prefix, next, listener, queueLimit);
        open.add(w);
        if (!running) {
            w.end(new StoreException.Unavailable("the store is closed", null));
            return w;
        }
        w.startCatchUp();
        return w;
    }

    /** A watch that can only report an error. */
    Watcher failed(String prefix, long next, WatchListener listener, StoreException error) {
        Watcher w = new Watcher(this, prefix, next, listener, queueLimit);
        w.end(error);
        return w;
    }

    /** How many watches are open (started and neither closed nor ended). */
    int openCount() {
        return open.size();
    }

    /** Called by a catching-up watcher that has seen everything up to {@code next - 1}. */
    boolean trySync(Watcher w, long next) {
        synchronized (lock) {
            if (dispatched >= next) {
                return false;
            }
            synced.add(w);
            return true;
        }
    }

    void remove(Watcher w) {
        open.remove(w);
        synchronized (lock) {
            synced.remove(w);
        }
    }

    void execute(Runnable task) {
        try {
            delivery.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closing: nothing more is delivered
        }
    }

    /** Every synced watcher gets a progress notification at the dispatched revision soon (Watch#requestProgress). */
    void requestProgress() {
        progressRequested = true;
        LockSupport.unpark(dispatcher);
    }

    /** New durable revisions exist. */
    void wake() {
        LockSupport.unpark(dispatcher);
    }

    private void dispatchLoop() {
        long lastProgress = System.nanoTime();
        while (running) {
            long target = durableRevision.getAsLong();
            if (target > dispatched) {
                dispatch(target);
            }
            if (progressRequested) {
                // cleared before reading the dispatched revision: a request made meanwhile is served next round
                progressRequested = false;
                synchronized (lock) {
                    for (Watcher w : synced) {
                        w.requestedProgress(dispatched);
                    }
                }
            }
            long now = System.nanoTime();
            if (now - lastProgress >= progressIntervalNanos) {
                synchronized (lock) {
                    for (Watcher w : synced) {
                        w.progressTick(dispatched);
                    }
                }
                lastProgress = now;
            }
            if (durableRevision.getAsLong() == dispatched && !progressRequested) {
                LockSupport.parkNanos(this, Math.max(1, progressIntervalNanos - (System.nanoTime() - lastProgress)));
            }
        }
    }

    private void dispatch(long target) {
        synchronized (lock) {
            boolean cut = false;
            for (Map.Entry<Long, WatchEvent[]> e : index.events(dispatched + 1, target).entrySet()) {
                long revision = e.getKey();
                WatchEvent[] events = e.getValue();
                for (int i = 0, n = synced.size(); i < n; i++) {
                    cut |= !synced.get(i).offer(revision, events);
                }
            }
            dispatched = target;
            if (cut) {
                synced.removeIf(Watcher::ended);
            }
        }
    }

    /** Ends every watch with Unavailable and stops delivery. */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(dispatcher);
        try {
            dispatcher.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (lock) {
            synced.clear();
        }
        for (Watcher w : open) {
            w.end(new StoreException.Unavailable("the store is closed", null));
        }
        delivery.shutdown();
        try {
            delivery.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
