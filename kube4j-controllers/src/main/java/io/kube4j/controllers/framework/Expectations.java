package io.kube4j.controllers.framework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.Map;

/**
 * Upstream's ControllerExpectations: after a controller creates or deletes N objects it waits until
 * its informer has observed them before acting on the same key again, so a stale cache never
 * causes duplicate creates. Expectations expire after five minutes in case an event was missed.
 */
public final class Expectations {
    static final Duration TTL = Duration.ofMinutes(5);

    private final Clock clock;
    private final Map<String, Record> records = new HashMap<>();

    private static final class Record {
        long adds;
        long dels;
        Instant timestamp;
        Set<String> deleteKeys = Set.of();
    }

    public Expectations(Clock clock) {
        this.clock = clock;
    }

    public Expectations() {
        this(Clock.systemUTC());
    }

    public synchronized void expectCreations(String key, int adds) {
        set(key, adds, 0);
    }

    public synchronized void expectDeletions(String key, int dels) {
        set(key, 0, dels);
    }

    /**
     * Expects the deletion of these objects; each is counted once however many times its deletion
     * is observed (deletionTimestamp set, then removal), as upstream's UIDTrackingControllerExpectations.
     */
    public synchronized void expectDeletions(String key, Collection<String> objectKeys) {
        set(key, 0, objectKeys.size());
        records.get(key).deleteKeys = new HashSet<>(objectKeys);
    }

    public synchronized void deletionObserved(String key, String objectKey) {
        Record r = records.get(key);
        if (r != null && r.deleteKeys.contains(objectKey)) {
            r.deleteKeys.remove(objectKey);
            r.dels--;
        }
    }

    private void set(String key, long adds, long dels) {
        Record r = new Record();
        r.adds = adds;
        r.dels = dels;
        r.timestamp = clock.instant();
        records.put(key, r);
    }

    public synchronized void creationObserved(String key) {
        Record r = records.get(key);
        if (r != null) {
            r.adds--;
        }
    }

    public synchronized void deletionObserved(String key) {
        Record r = records.get(key);
        if (r != null) {
            r.dels--;
        }
    }

    /** Lowers the expectations, e.g. for creations that were skipped or failed. */
    public synchronized void lower(String key, int adds, int dels) {
        Record r = records.get(key);
        if (r != null) {
            r.adds -= adds;
            r.dels -= dels;
        }
    }

    public synchronized void delete(String key) {
        records.remove(key);
    }

    public synchronized boolean satisfied(String key) {
        Record r = records.get(key);
        if (r == null) {
            return true;
        }
        if (r.adds <= 0 && r.dels <= 0) {
            return true;
        }
        return Duration.between(r.timestamp, clock.instant()).compareTo(TTL) > 0;
    }

    public synchronized long pendingAdds(String key) {
        Record r = records.get(key);
        return r == null ? 0 : r.adds;
    }

    public synchronized long pendingDeletions(String key) {
        Record r = records.get(key);
        return r == null ? 0 : r.dels;
    }
}
