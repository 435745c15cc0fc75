package io.kube4j.apiserver.watchcache;

import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * The watch cache of one resource: one store watch on the resource's key prefix, the current objects in
 * memory, and a ring of recent events. Client watches register here and get events fanned out from that
 * single store watch; a watch from a recent resourceVersion is resumed from the ring.
 * <p>
 * Applying an event (under the lock) only updates the state and queues the event; the fan-out to listeners runs
 * afterwards on a shared pool, outside the lock, one task per cache at a time. So a thousand watchers cost the
 * store's delivery thread nothing, lists and new watches never wait behind a fan-out, and events that arrive
 * while a fan-out runs are handed to each listener together (its connection then writes them in one go).
 */
public final class WatchCache implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WatchCache.class);

    private final Store store;
    private final String prefix;
    private final CacheForm form;
    private final int capacity;

    /** Fans events out for every cache: listeners only queue bytes, so a few threads serve any number of caches. */
    private static final Executor FANOUT = Executors.newFixedThreadPool(
            Math.max(2, Runtime.getRuntime().availableProcessors()), daemonThreads("watchcache-fanout"));
    /** Starts the paced fan-out passes (see {@link FanoutPacing}); it only hands them to {@link #FANOUT}. */
    private static final ScheduledExecutorService PACER = Executors.newSingleThreadScheduledExecutor(
            daemonThreads("watchcache-pacer"));


    /** How long {@link #awaitFresh} waits for a progress notification before asking again. */
    private static final long PROGRESS_RETRY_MILLIS = 10;

    private final Object lock = new Object();
    /** The current objects by key: stored values and selection attributes, no decoded trees. */
    private final KeyOrderedObjects objects = new KeyOrderedObjects();
    private final ArrayDeque<CachedEvent> ring = new ArrayDeque<>();
    private final List<Registration> listeners = new CopyOnWriteArrayList<>();
    /** Events (CachedEvent) and progress notifications (Long revisions) applied but not yet fanned out. */
    private final ArrayDeque<Object> fanoutQueue = new ArrayDeque<>();
    /** Whether a fan-out task is queued, waiting for its pass or running; guarded by {@link #lock}. */
    private boolean fanoutScheduled;
    /** When the next fan-out pass may start; guarded by {@link #lock}. */
    private final FanoutPacing pacing = new FanoutPacing();
    /** Revision the cache reflects; events at or below it are in {@link #objects}. */
    private long revision;
    /** The oldest revision from which the ring can resume: a watch from rv >= this is served from memory. */
    private long ringStart;
    private Watch storeWatch;
    private boolean closed;
    /** Attributes writers announced for values on their way through the store (see {@link #expectWrite}). */
    private final ExpectedWrites expected = new ExpectedWrites();

    /**
     * {@code decoder} turns a stored value and its mod revision into the object clients see (with
     * metadata.resourceVersion set); objects are selected by namespace and labels only (see {@link CacheForm}).
     */
    public WatchCache(Store store, String prefix, BiFunction<byte[], Long, ObjectNode> decoder, int capacity) {
        this(store, prefix, CacheForm.decoding(decoder), capacity);
    }

    public WatchCache(Store store, String prefix, CacheForm form, int capacity) {
        this.store = store;
        this.prefix = prefix;
        this.form = form;
        this.capacity = capacity;
    }

    public String prefix() {
        return prefix;
    }

    public void start() {
        synchronized (lock) {
            objects.clear();
            ring.clear();
            ListResult all = store.list(prefix, 0, null, 0);
            for (KeyValue kv : all.items()) {
                objects.put(kv.key(), CachedObject.read(kv, form));
            }
            revision = all.revision();
            ringStart = revision;
            storeWatch = store.watch(prefix, revision + 1, new StoreListener());
        }
    }

    public long revision() {
        synchronized (lock) {
            return revision;
        }
    }

    /** The current objects under {@code keyPrefix}, decoded (new trees), in key order, and their revision. */
    public Snapshot snapshot(String keyPrefix) {
        StoredSnapshot stored = storedSnapshot(keyPrefix);
        List<ObjectNode> items = new ArrayList<>(stored.items().size());
        for (CachedObject item : stored.items()) {
            items.add(item.object());
        }
        return new Snapshot(items, stored.revision());
    }

    public record Snapshot(List<ObjectNode> items, long revision) {
    }

    /**
     * As {@link #snapshot}, the cache's entries (stored values and selection attributes) rather than decoded
     * objects, for a list written from the stored bytes without decoding or encoding the objects.
     */
    public StoredSnapshot storedSnapshot(String keyPrefix) {
        synchronized (lock) {
            // a view of an array that is never changed: no copy, and a list reads it after the lock is released
            return new StoredSnapshot(objects.inOrder(keyPrefix == null ? prefix : keyPrefix), revision);
        }
    }

    public record StoredSnapshot(List<CachedObject> items, long revision) {
    }

    /**
     * The cache's current entry for {@code key}, or null when it holds none: a lister's read, which may trail the
     * store by the writes the cache has not seen yet.
     */
    public CachedObject current(String key) {
        synchronized (lock) {
            return objects.get(key);
        }
    }

    /**
     * The cache's entry for {@code kv} if it holds that very version of it (same key, same mod revision: in an MVCC
     * store the pair names one value), else null. A list read from the store uses it to select the objects that
     * have not changed since the cache saw them by their cached attributes, and to share their list items.
     */
    public CachedObject cached(KeyValue kv) {
        synchronized (lock) {
            CachedObject cached = objects.get(kv.key());
            return cached != null && cached.stored().modRevision() == kv.modRevision() ? cached : null;
        }
    }

    /**
     * A registered listener and the revision it was registered at: it already has everything up to there (from
     * the ring or the initial state), so the fan-out gives it only what comes after.
     */
    private record Registration(CacheListener listener, long from) {
    }

    /**
     * Registers a listener. With {@code initialState}, it first gets a synthetic ADDED per current object
     * (returned revision: the state's); otherwise it gets every event after {@code afterRevision}. Returns
     * -1 if the ring no longer holds events that old: the caller must go to the store.
     */
    public long register(CacheListener listener, boolean initialState, long afterRevision) {
        synchronized (lock) {
            if (closed) {
                listener.onTerminated("watch cache closed");
                return revision;
            }
            if (initialState) {
                for (var e : objects.entrySet()) {
                    if (!listener.onEvent(new CachedEvent(EventType.ADDED, e.getKey(), e.getValue(), null,
                            revision))) {
                        return revision;
                    }
                }
                listener.onInitialEventsEnd(revision);
            } else {
                if (afterRevision < ringStart) {
                    return -1;
                }
                for (CachedEvent event : ring) {
                    if (event.revision() > afterRevision && !listener.onEvent(event)) {
                        return revision;
                    }
                }
            }
            listeners.add(new Registration(listener, revision));
            return revision;
        }
    }

    public void unregister(CacheListener listener) {
        listeners.removeIf(r -> r.listener() == listener);
    }

    /** How many objects the cache holds now (the stored objects under its prefix). */
    public int objectCount() {
        synchronized (lock) {
            return objects.size();
        }
    }

    public int watcherCount() {
        return listeners.size();
    }

    /** Whether the last fan-out pass wrote to enough listeners that the next one waits (for tests). */
    boolean fanoutPaced() {
        synchronized (lock) {
            return pacing.paced();
        }
    }

    /** Waits up to {@code millis} for the cache to reach {@code wanted}; returns whether it did. */
    public boolean awaitRevision(long wanted, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        synchronized (lock) {
            while (revision < wanted) {
                long left = (deadline - System.nanoTime()) / 1_000_000;
                if (left <= 0) {
                    return false;
                }
                lock.wait(left);
            }
            return true;
        }
    }

    /**
     * Waits up to {@code millis} until the cache has seen every write up to {@code wanted} (the store's revision
     * when a consistent list began), asking the store for a progress notification meanwhile: a cache whose
     * resource was not written lately learns it is current at once rather than at the next periodic one (upstream's
     * ConsistentListFromCache asks etcd the same way). Returns false if it did not get there in time, or at once
     * if the store cannot say: the caller then reads the store.
     */
    public boolean awaitFresh(long wanted, long millis) throws InterruptedException {
        Watch watch;
        synchronized (lock) {
            if (revision >= wanted) {
                return true;
            }
            watch = storeWatch;
        }
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (true) {
            // asked again every round: a request that crossed the store's dispatch of the wanted revision is
            // answered with an older one
            if (watch == null || !watch.requestProgress()) {
                return false;
            }
            synchronized (lock) {
                long left = Math.min(PROGRESS_RETRY_MILLIS, (deadline - System.nanoTime()) / 1_000_000);
                if (revision < wanted && left > 0) {
                    lock.wait(left);
                }
                if (revision >= wanted) {
                    return true;
                }
                if (System.nanoTime() - deadline >= 0 || closed) {
                    return false;
                }
                watch = storeWatch;
            }
        }
    }

    /**
     * Sends a progress notification to every listener (bookmarks for idle watches), queued behind the events not
     * yet fanned out so that no listener hears of a revision before it has every event up to it.
     */
    public void progress() {
        synchronized (lock) {
            if (!listeners.isEmpty()) {
                fanoutQueue.add(revision);
                scheduleFanout();
            }
        }
    }

    /** Called with the lock held. */
    private void scheduleFanout() {
        if (!fanoutScheduled && !closed) {
            fanoutScheduled = true;
            startPass(pacing.waitNanos(System.nanoTime()));
        }
    }

    /** Runs a fan-out pass now or after {@code waitNanos}; called with {@link #fanoutScheduled} set for it. */
    private void startPass(long waitNanos) {
        if (waitNanos <= 0) {
            FANOUT.execute(this::fanout);
        } else {
            // the pause is spent on the pacer's queue, not on a fan-out thread other caches need meanwhile
            PACER.schedule(() -> FANOUT.execute(this::fanout), waitNanos, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * Hands every queued item to every listener, outside the lock, until the queue is empty; with many listeners, the
     * passes are spaced (see {@link FanoutPacing}) and the events queued meanwhile go out together in the next one.
     */
    private void fanout() {
        while (true) {
            Object[] batch;
            synchronized (lock) {
                if (fanoutQueue.isEmpty() || closed) {
                    fanoutQueue.clear();
                    fanoutScheduled = false;
                    return;
                }
                batch = fanoutQueue.toArray();
                fanoutQueue.clear();
            }
            long start = System.nanoTime();
            int written = deliverAll(batch);
            long end = System.nanoTime();
            synchronized (lock) {
                pacing.passDone(start, end, written);
                long wait = pacing.waitNanos(end);
                if (wait > 0) {
                    if (fanoutQueue.isEmpty() || closed) {
                        fanoutScheduled = false; // the next event starts the next pass, no earlier than allowed
                    } else {
                        startPass(wait);
                    }
                    return;
                }
            }
        }
    }

    /** One fan-out pass: {@code batch} to every listener, in order; returns how many listeners sent something. */
    private int deliverAll(Object[] batch) {
        int written = 0;
        for (Registration r : listeners) {
            try {
                int outcome = deliver(r, batch);
                if (outcome == GONE) {
                    listeners.remove(r);
                } else if (outcome == SENT) {
                    written++;
                }
            } catch (RuntimeException e) {
                LOG.warn("watch cache {}: a listener failed; dropping it", prefix, e);
                listeners.remove(r);
                r.listener().onTerminated("internal error");
            }
        }
        return written;
    }

    /** {@link #deliver} outcomes. */
    private static final int GONE = -1;
    private static final int NOTHING_SENT = 0;
    private static final int SENT = 1;

    /** Hands the batch to one listener: {@link #GONE}, {@link #NOTHING_SENT} or {@link #SENT}. */
    private static int deliver(Registration r, Object[] batch) {
        CacheListener listener = r.listener();
        int outcome = NOTHING_SENT;
        for (Object item : batch) {
            if (item instanceof CachedEvent event) {
                if (event.revision() <= r.from()) {
                    continue;
                }
                if (!listener.onEvent(event)) {
                    return GONE;
                }
            } else {
                long rev = (Long) item;
                // unlike an event, a progress notification at the registration revision is news to the listener
                if (rev < r.from()) {
                    continue;
                }
                listener.onProgress(rev);
            }
            if (outcome == NOTHING_SENT && listener.sentLast()) {
                outcome = SENT;
            }
        }
        return outcome;
    }

    private void apply(WatchEvent event) {
        synchronized (lock) {
            KeyValue kv = event.kv();
            long rev = event.revision();
            CachedObject previous = objects.get(kv.key());
            if (previous == null && event.prev() != null) {
                previous = CachedObject.read(event.prev(), form);
            }
            CachedEvent cached = cachedEvent(event, previous);
            if (event.type() == WatchEvent.Type.DELETE) {
                objects.remove(kv.key());
            } else {
                objects.put(kv.key(), cached.entry());
            }
            revision = rev;
            if (cached == null) {
                return;
            }
            ring.addLast(cached);
            while (ring.size() > capacity) {
                ringStart = ring.removeFirst().revision();
            }
            if (!listeners.isEmpty()) {
                fanoutQueue.add(cached);
                scheduleFanout();
            }
            lock.notifyAll();
        }
    }

    /**
     * {@code event} (read from the store by a watch older than the ring) as this cache would have made it, its
     * previous object taken from the event itself; null for a delete of an object the store no longer knows.
     */
    public CachedEvent eventFor(WatchEvent event) {
        return cachedEvent(event, event.prev() == null ? null : CachedObject.read(event.prev(), form));
    }

    /**
     * Announces that {@code value}, the stored bytes of {@code served} (the object as {@link CacheForm#decode} would
     * read it back, whatever its resourceVersion), is about to be written under this cache's prefix: when the store's
     * event brings back this very array, the cache takes {@code served}'s attributes rather than parsing the bytes.
     * Read now, on the writer's thread, because the writer goes on changing its tree once the write is done.
     */
    public void expectWrite(byte[] value, ObjectNode served) {
        expected.expect(value, form.attributes(served));
    }

    /** The write announced for {@code value} failed: its event will not come. */
    public void forgetWrite(byte[] value) {
        expected.take(value);
    }

    /** The entry for a value just delivered by the store: with the attributes its writer announced, if any. */
    private CachedObject entryFor(KeyValue kv) {
        Selectable announced = kv.value() == null ? null : expected.take(kv.value());
        return announced != null ? new CachedObject(kv, announced, form) : CachedObject.read(kv, form);
    }

    /** {@code event} as a cache event, given the object's previous entry; null for a delete of an unknown object. */
    private CachedEvent cachedEvent(WatchEvent event, CachedObject previous) {
        String key = event.kv().key();
        if (event.type() == WatchEvent.Type.DELETE) {
            // the last state is the previous entry itself, served at the delete's revision: nothing is copied
            return previous == null ? null : new CachedEvent(EventType.DELETED, key, previous, previous, event.revision());
        }
        return new CachedEvent(previous == null ? EventType.ADDED : EventType.MODIFIED, key,
                entryFor(event.kv()), previous, event.revision());
    }

    private void restart(StoreException error) {
        List<CacheListener> cut;
        synchronized (lock) {
            if (closed) {
                return;
            }
            cut = listeners.stream().map(Registration::listener).toList();
            listeners.clear();
            fanoutQueue.clear();
        }
        LOG.info("watch cache {} lost its store watch ({}); relisting", prefix, error.getMessage());
        for (CacheListener l : cut) {
            l.onTerminated(error.getMessage());
        }
        try {
            start();
        } catch (StoreException e) {
            LOG.warn("watch cache {} could not restart", prefix, e);
        }
    }

    @Override
    public void close() {
        List<CacheListener> cut;
        synchronized (lock) {
            closed = true;
            if (storeWatch != null) {
                storeWatch.close();
            }
            cut = listeners.stream().map(Registration::listener).toList();
            listeners.clear();
            fanoutQueue.clear();
        }
        cut.forEach(l -> l.onTerminated("watch cache closed"));
    }

    private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private final class StoreListener implements WatchListener {
        @Override
        public void onEvent(WatchEvent event) {
            try {
                apply(event);
            } catch (RuntimeException e) {
                LOG.error("watch cache {} failed on event {}", prefix, event.kv(), e);
            }
        }

        @Override
        public void onError(StoreException error) {
            if (!closed) {
                Thread restarter = new Thread(() -> restart(error), "watchcache-restart");
                restarter.setDaemon(true);
                restarter.start();
            }
        }

        @Override
        public void onProgress(long rev) {
            synchronized (lock) {
                if (rev > revision) {
                    revision = rev;
                    lock.notifyAll();
                }
            }
        }
    }
}
