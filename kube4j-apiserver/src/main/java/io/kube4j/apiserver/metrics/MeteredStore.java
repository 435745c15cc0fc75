package io.kube4j.apiserver.metrics;

import io.kube4j.store.DeleteResult;
import io.kube4j.store.ForwardingStore;
import io.kube4j.store.KeyValue;
import io.kube4j.store.ListResult;
import io.kube4j.store.Store;

import java.util.Optional;

/**
 * The store as one resource calls it, each read and write timed into {@link StorageMetrics}; everything else (watches,
 * leases, compaction) passes straight through ({@link ForwardingStore}). The histograms are looked up on a call's
 * first use and kept, so a call costs two clock reads and a few counter increments.
 */
final class MeteredStore extends ForwardingStore {

    /** Upstream's operation names, indexed by the constants below. */
    private static final String[] OPERATIONS = {"get", "list", "listWithCount", "create", "update", "delete"};
    private static final int GET = 0;
    private static final int LIST = 1;
    private static final int COUNT = 2;
    private static final int CREATE = 3;
    private static final int UPDATE = 4;
    private static final int DELETE = 5;

    private final StorageMetrics metrics;
    private final String type;
    /** By operation index; each set on its first use (a race only looks the same histogram up twice). */
    private final Histogram[] histograms = new Histogram[OPERATIONS.length];

    MeteredStore(Store store, StorageMetrics metrics, String type) {
        super(store);
        this.metrics = metrics;
        this.type = type;
    }

    @Override
    public Optional<KeyValue> get(String key, long revision) {
        long start = System.nanoTime();
        try {
            return super.get(key, revision);
        } finally {
            observe(GET, start);
        }
    }

    @Override
    public ListResult list(String prefix, long revision, String fromKey, long limit) {
        long start = System.nanoTime();
        try {
            return super.list(prefix, revision, fromKey, limit);
        } finally {
            observe(LIST, start);
        }
    }

    @Override
    public long count(String prefix) {
        long start = System.nanoTime();
        try {
            return super.count(prefix);
        } finally {
            observe(COUNT, start);
        }
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        long start = System.nanoTime();
        try {
            return super.create(key, value, lease);
        } finally {
            observe(CREATE, start);
        }
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        long start = System.nanoTime();
        try {
            return super.update(key, value, expectedModRevision, lease);
        } finally {
            observe(UPDATE, start);
        }
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        long start = System.nanoTime();
        try {
            return super.delete(key, expectedModRevision);
        } finally {
            observe(DELETE, start);
        }
    }

    private void observe(int operation, long start) {
        Histogram h = histograms[operation];
        if (h == null) {
            h = metrics.histogram(OPERATIONS[operation], type);
            histograms[operation] = h;
        }
        h.observe(System.nanoTime() - start);
    }

    /** The store is shared by every resource: its owner closes it, not one resource's view of it. */
    @Override
    public void close() {
    }
}
