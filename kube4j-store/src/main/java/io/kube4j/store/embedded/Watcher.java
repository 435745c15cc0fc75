package io.kube4j.store.embedded;

import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Map;

/**
 * One watch: a prefix, a bounded queue of matching revisions (each an array of its events, delivered as a
 * whole), and a delivery task on the hub's executor that calls the listener. Before it is synced the task
 * replays history straight from the index.
 */
final class Watcher implements Watch, Runnable {
    private static final Logger log = LoggerFactory.getLogger(Watcher.class);

    private final WatchHub hub;
    private final String prefix;
    private final WatchListener listener;
    private final int queueLimit;

    /** First revision still to deliver; fixed once synced (live events below it are ignored). */
    private volatile long next;
    /** Revision of the last event (or progress) the listener received; written only by the delivery task. */
    private volatile long lastDelivered;

    // guarded by this
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean catchingUp;
    private boolean closed;
    private boolean tooSlow;
    private StoreException error;
    private boolean errorDelivered;
    private boolean matchedSinceTick;

    Watcher(WatchHub hub, String prefix, long next, WatchListener listener, int queueLimit) {
        this.hub = hub;
        this.prefix = prefix;
        this.next = next;
        this.lastDelivered = next - 1;
        this.listener = listener;
        this.queueLimit = queueLimit;
    }

    synchronized void startCatchUp() {
        catchingUp = true;
        schedule();
    }

    /**
     * Offers one durable revision (dispatcher thread, hub lock held). Returns false if the watcher is over
     * (closed, failed, or just cut off for being too slow) and should leave the synced set.
     */
    boolean offer(long revision, WatchEvent[] events) {
        if (revision < next) {
            return true;
        }
        WatchEvent[] matching = matching(events);
        synchronized (this) {
            if (closed || error != null) {
                return false;
            }
            if (matching == null) {
                return true;
            }
            if (queue.size() >= queueLimit) {
                tooSlow = true;
                queue.clear();
                error = new StoreException.WatchTooSlow(-1); // replaced at delivery with the real last revision
                schedule();
                return false;
            }
            queue.add(matching);
            matchedSinceTick = true;
            schedule();
            return true;
        }
    }

    /** Periodic bookmark for a synced watcher that had nothing to deliver (hub lock held). */
    synchronized void progressTick(long revision) {
        if (!matchedSinceTick && queue.isEmpty() && error == null && !closed) {
            queue.add(revision);
            schedule();
        }
        matchedSinceTick = false;
    }

    /**
     * A progress notification asked for by {@link #requestProgress} (hub lock held, after every revision up to
     * {@code revision} was offered): queued behind the events, so the listener hears of it only after them.
     */
    synchronized void requestedProgress(long revision) {
        if (error == null && !closed) {
            queue.add(revision);
            schedule();
        }
    }

    @Override
    public boolean requestProgress() {
        hub.requestProgress();
        return true;
    }

    /** Ends the watch with an error (delivered once, after what the listener is processing now). */
    void end(StoreException e) {
        synchronized (this) {
            if (closed || error != null) {
                return;
            }
            error = e;
            queue.clear();
            schedule();
        }
        hub.remove(this);
    }

    synchronized boolean ended() {
        return closed || error != null;
    }

    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
        hub.remove(this);
    }

    private void schedule() {
        if (!scheduled) {
            scheduled = true;
            hub.execute(this);
        }
    }

    private WatchEvent[] matching(WatchEvent[] events) {
        if (prefix.isEmpty()) {
            return events;
        }
        int n = 0;
        for (WatchEvent e : events) {
            if (e.kv().key().startsWith(prefix)) {
                n++;
            }
        }
        if (n == events.length) {
            return events;
        }
        if (n == 0) {
            return null;
        }
        WatchEvent[] some = new WatchEvent[n];
        int i = 0;
        for (WatchEvent e : events) {
            if (e.kv().key().startsWith(prefix)) {
                some[i++] = e;
            }
        }
        return some;
    }

    @Override
    public void run() {
        boolean catchUp;
        synchronized (this) {
            catchUp = catchingUp;
        }
        if (catchUp) {
            catchUp();
        }
        drain();
    }

    /** Replays history from the index until this watcher can join the live stream. */
    private void catchUp() {
        long from = next;
        while (true) {
            if (ended()) {
                return;
            }
            if (!hub.running()) {
                end(new StoreException.Unavailable("the store is closed", null));
                return;
            }
            long upTo = hub.dispatchedRevision();
            if (from <= upTo) {
                for (Map.Entry<Long, WatchEvent[]> e : hub.index().events(from, upTo).entrySet()) {
                    if (e.getKey() != from) {
                        break; // a hole: compacted meanwhile
                    }
                    WatchEvent[] matching = matching(e.getValue());
                    if (matching != null && !deliverEvents(matching)) {
                        return;
                    }
                    from++;
                }
                if (from <= upTo) {
                    end(new StoreException.Compacted(from, hub.compactedRevision()));
                    return;
                }
            }
            next = from;
            if (hub.trySync(this, from)) {
                synchronized (this) {
                    catchingUp = false;
                }
                return;
            }
        }
    }

    private void drain() {
        while (true) {
            Object item;
            StoreException failure = null;
            synchronized (this) {
                if (closed) {
                    scheduled = false;
                    return;
                }
                if (error != null) {
                    if (errorDelivered) {
                        scheduled = false;
                        return;
                    }
                    errorDelivered = true;
                    failure = tooSlow ? new StoreException.WatchTooSlow(lastDelivered) : error;
                    item = null;
                } else {
                    item = queue.poll();
                    if (item == null) {
                        scheduled = false;
                        return;
                    }
                }
            }
            if (failure != null) {
                try {
                    listener.onError(failure);
                } catch (RuntimeException e) {
                    log.warn("watch listener failed in onError", e);
                }
                continue;
            }
            if (item instanceof WatchEvent[] events) {
                deliverEvents(events);
            } else {
                long revision = (Long) item;
                try {
                    listener.onProgress(revision);
                } catch (RuntimeException e) {
                    log.warn("watch listener failed in onProgress", e);
                }
            }
        }
    }

    /** Returns false if the watch ended meanwhile. */
    private boolean deliverEvents(WatchEvent[] events) {
        for (WatchEvent e : events) {
            synchronized (this) {
                if (closed) {
                    return false;
                }
            }
            try {
                listener.onEvent(e);
            } catch (RuntimeException ex) {
                log.warn("watch listener failed on the event at revision {}", e.revision(), ex);
            }
        }
        lastDelivered = events[0].revision();
        return true;
    }
}
