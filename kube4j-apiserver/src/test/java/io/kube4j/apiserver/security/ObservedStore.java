package io.kube4j.apiserver.security;

import io.kube4j.store.ForwardingStore;
import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import io.kube4j.store.Watch;
import io.kube4j.store.WatchEvent;
import io.kube4j.store.WatchListener;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A store as the API server sees it, observed by a test: it counts point reads per key, and it can hold back what the
 * watches of one prefix are told (events and progress notifications, in order) until released - a watch cache that
 * has not seen a write yet, as an informer trails the store.
 */
final class ObservedStore extends ForwardingStore {

    private final Map<String, AtomicInteger> reads = new ConcurrentHashMap<>();
    private final Set<HeldListener> listeners = ConcurrentHashMap.newKeySet();

    ObservedStore(Store store) {
        super(store);
    }

    /** How many point reads of {@code key} the server made so far. */
    int reads(String key) {
        AtomicInteger n = reads.get(key);
        return n == null ? 0 : n.get();
    }

    /** From now on the watches of {@code prefix} are told nothing until {@link #release}. */
    void hold(String prefix) {
        listeners.stream().filter(l -> l.prefix.equals(prefix)).forEach(HeldListener::hold);
    }

    /** The watches of {@code prefix} are told what was held back, in order, and then everything as it comes. */
    void release(String prefix) {
        listeners.stream().filter(l -> l.prefix.equals(prefix)).forEach(HeldListener::release);
    }

    @Override
    public Optional<KeyValue> get(String key, long revision) {
        reads.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return super.get(key, revision);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        HeldListener held = new HeldListener(prefix, listener);
        listeners.add(held);
        Watch watch = super.watch(prefix, fromRevision, held);
        return new Watch() {
            @Override
            public boolean requestProgress() {
                return watch.requestProgress();
            }

            @Override
            public void close() {
                listeners.remove(held);
                watch.close();
            }
        };
    }

    /** A listener that queues what it is told while held; it delivers under its lock, so nothing overtakes the queue. */
    private static final class HeldListener implements WatchListener {
        private final String prefix;
        private final WatchListener listener;
        private final Queue<Runnable> queued = new ArrayDeque<>();
        private boolean held;

        HeldListener(String prefix, WatchListener listener) {
            this.prefix = prefix;
            this.listener = listener;
        }

        synchronized void hold() {
            held = true;
        }

        synchronized void release() {
            held = false;
            while (!queued.isEmpty()) {
                queued.poll().run();
            }
        }

        private synchronized void tell(Runnable delivery) {
            if (held) {
                queued.add(delivery);
            } else {
                delivery.run();
            }
        }

        @Override
        public void onEvent(WatchEvent event) {
            tell(() -> listener.onEvent(event));
        }

        @Override
        public void onProgress(long revision) {
            tell(() -> listener.onProgress(revision));
        }

        @Override
        public void onError(StoreException error) {
            listener.onError(error);
        }
    }
}
