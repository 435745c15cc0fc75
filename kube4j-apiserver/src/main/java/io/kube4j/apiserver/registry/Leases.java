package io.kube4j.apiserver.registry;

import io.kube4j.store.Store;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

/**
 * Store leases shared by objects with a TTL (events): one lease per TTL per minute rather than one per
 * object, as upstream's lease manager does, so objects live between TTL and TTL + 1 minute.
 */
public final class Leases {

    private static final long REUSE_MILLIS = 60_000;

    private record Granted(long id, long grantedAtMillis) {
    }

    private final Store store;
    private final Map<Long, Granted> byTtl = new ConcurrentHashMap<>();

    public Leases(Store store) {
        this.store = store;
    }

    public long leaseFor(long ttlSeconds) {
        long now = System.currentTimeMillis();
        return byTtl.compute(ttlSeconds, (ttl, granted) -> granted != null && now - granted.grantedAtMillis() < REUSE_MILLIS
                ? granted : new Granted(store.grantLease(ttl + REUSE_MILLIS / 1000), now)).id();
    }
}
