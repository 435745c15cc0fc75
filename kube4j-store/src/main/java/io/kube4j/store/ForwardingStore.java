package io.kube4j.store;

import java.util.Optional;

/**
 * A store that passes every call on to another: the base of a decorator, which overrides only what it adds to (a
 * metered view of the store, a test's observed one). Closing it closes the store it wraps.
 */
public abstract class ForwardingStore implements Store {

    private final Store store;

    protected ForwardingStore(Store store) {
        this.store = store;
    }

    /** The store calls are passed to. */
    protected final Store delegate() {
        return store;
    }

    @Override
    public long currentRevision() {
        return store.currentRevision();
    }

    @Override
    public void checkHealthy() {
        store.checkHealthy();
    }

    @Override
    public long compactedRevision() {
        return store.compactedRevision();
    }

    @Override
    public Optional<KeyValue> get(String key, long revision) {
        return store.get(key, revision);
    }

    @Override
    public ListResult list(String prefix, long revision, String fromKey, long limit) {
        return store.list(prefix, revision, fromKey, limit);
    }

    @Override
    public long count(String prefix) {
        return store.count(prefix);
    }

    @Override
    public KeyValue create(String key, byte[] value, long lease) {
        return store.create(key, value, lease);
    }

    @Override
    public KeyValue update(String key, byte[] value, long expectedModRevision, long lease) {
        return store.update(key, value, expectedModRevision, lease);
    }

    @Override
    public DeleteResult delete(String key, long expectedModRevision) {
        return store.delete(key, expectedModRevision);
    }

    @Override
    public Watch watch(String prefix, long fromRevision, WatchListener listener) {
        return store.watch(prefix, fromRevision, listener);
    }

    @Override
    public void compact(long revision) {
        store.compact(revision);
    }

    @Override
    public long grantLease(long ttlSeconds) {
        return store.grantLease(ttlSeconds);
    }

    @Override
    public void keepAlive(long leaseId) {
        store.keepAlive(leaseId);
    }

    @Override
    public void revokeLease(long leaseId) {
        store.revokeLease(leaseId);
    }

    @Override
    public long leaseTimeToLive(long leaseId) {
        return store.leaseTimeToLive(leaseId);
    }

    @Override
    public void close() {
        store.close();
    }
}
