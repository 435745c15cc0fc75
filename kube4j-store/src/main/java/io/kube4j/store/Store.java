package io.kube4j.store;

import java.util.Optional;

/**
 * What the API server needs from etcd v3, and no more. One global revision counts every write; the first
 * write of an empty store gets revision 2, as in etcd. All operations are safe from many threads. A write
 * returns only once it is durable.
 *
 * <p>Revision arguments: {@code 0} means "the latest".
 */
public interface Store extends AutoCloseable {

    /** Passed as {@code expectedModRevision} to update or delete whatever the current revision is. */
    long ANY_REVISION = 0;

    /** Passed as {@code lease}: the key is not attached to a lease. */
    long NO_LEASE = 0;

    /** The revision of the last write. */
    long currentRevision();

    /**
     * Returns if the store can serve reads and writes now, or throws {@link StoreException.Unavailable} saying why
     * (the API server's etcd health check). By default one round trip of {@link #currentRevision()}.
     */
    default void checkHealthy() {
        currentRevision();
    }

    /** The revision below which history is gone (1 if nothing was ever compacted). */
    long compactedRevision();

    /** The key as it was at {@code revision} (0: now). */
    Optional<KeyValue> get(String key, long revision);

    default Optional<KeyValue> get(String key) {
        return get(key, 0);
    }

    /**
     * Keys starting with {@code prefix}, in key order, as they were at {@code revision} (0: now), starting at
     * {@code fromKey} inclusive (null: from the start of the prefix), at most {@code limit} (0: all).
     */
    ListResult list(String prefix, long revision, String fromKey, long limit);

    default ListResult list(String prefix) {
        return list(prefix, 0, null, 0);
    }

    /** How many keys start with {@code prefix} now. */
    long count(String prefix);

    /** Creates the key; fails with {@link StoreException.KeyExists} if it exists. */
    KeyValue create(String key, byte[] value, long lease);

    /**
     * Replaces the value if the key's mod-revision is {@code expectedModRevision} (or it is ANY_REVISION);
     * otherwise {@link StoreException.Conflict} with the current value, or {@link StoreException.KeyNotFound}.
     */
    KeyValue update(String key, byte[] value, long expectedModRevision, long lease);

    /** Deletes the key under the same guard as update. */
    DeleteResult delete(String key, long expectedModRevision);

    /**
     * Watches keys starting with {@code prefix} from {@code fromRevision} inclusive (0: from the next
     * write). Events already in history are replayed first, then live ones, each once, in order. Fails
     * (through the listener) with {@link StoreException.Compacted} when {@code fromRevision} is compacted.
     */
    Watch watch(String prefix, long fromRevision, WatchListener listener);

    /** Forgets history below {@code revision}: reads and watches before it fail with Compacted. */
    void compact(long revision);

    /** Grants a lease; keys attached to it are deleted (with watch events) when it expires. Returns its id. */
    long grantLease(long ttlSeconds);

    /** Restarts the lease's TTL. */
    void keepAlive(long leaseId);

    /** Revokes the lease now, deleting its keys. */
    void revokeLease(long leaseId);

    /** Seconds left before the lease expires, or -1 if it is not known. */
    long leaseTimeToLive(long leaseId);

    @Override
    void close();
}
