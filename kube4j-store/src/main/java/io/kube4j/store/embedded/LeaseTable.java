package io.kube4j.store.embedded;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Leases and the keys attached to them. Deadlines live only in memory (a keep-alive is not logged): after a
 * restart every lease gets its full TTL again, as etcd does on a leader change. Key attachment changes under
 * the store's apply lock; deadlines are read and refreshed without it.
 */
final class LeaseTable {

    static final class Lease {
        final long id;
        final long ttlSeconds;
        volatile long deadlineNanos;
        /** Guarded by the store's apply lock. */
        final Set<String> keys = new HashSet<>();

        Lease(long id, long ttlSeconds, long now) {
            this.id = id;
            this.ttlSeconds = ttlSeconds;
            refresh(now);
        }

        void refresh(long now) {
            deadlineNanos = now + ttlSeconds * 1_000_000_000L;
        }

        boolean expired(long now) {
            return now - deadlineNanos >= 0;
        }
    }

    private final ConcurrentHashMap<Long, Lease> leases = new ConcurrentHashMap<>();

    long newId() {
        while (true) {
            long id = ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE;
            if (id != 0 && !leases.containsKey(id)) {
                return id;
            }
        }
    }

    void grant(long id, long ttlSeconds, long now) {
        leases.put(id, new Lease(id, ttlSeconds, now));
    }

    Lease get(long id) {
        return leases.get(id);
    }

    Lease remove(long id) {
        return leases.remove(id);
    }

    /** Moves a key from one lease to another (either may be 0 = none). Caller holds the apply lock. */
    void move(String key, long from, long to) {
        if (from == to) {
            return;
        }
        if (from != 0) {
            Lease l = leases.get(from);
            if (l != null) {
                l.keys.remove(key);
            }
        }
        if (to != 0) {
            Lease l = leases.get(to);
            if (l != null) {
                l.keys.add(key);
            }
        }
    }

    List<Long> expired(long now) {
        List<Long> ids = new ArrayList<>();
        for (Lease l : leases.values()) {
            if (l.expired(now)) {
                ids.add(l.id);
            }
        }
        return ids;
    }

    List<SnapshotFile.LeaseEntry> entries() {
        List<SnapshotFile.LeaseEntry> list = new ArrayList<>();
        for (Lease l : leases.values()) {
            list.add(new SnapshotFile.LeaseEntry(l.id, l.ttlSeconds));
        }
        return list;
    }
}
