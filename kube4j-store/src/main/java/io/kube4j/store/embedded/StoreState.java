package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.WatchEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * What the log replays into: the MVCC index, the leases and the revision counters, with the one way each
 * change is applied, live or on replay. Mutations happen under the store's apply lock (or during start-up,
 * on one thread).
 */
final class StoreState {
    final MvccIndex index = new MvccIndex();
    final LeaseTable leases = new LeaseTable();
    /** The last revision handed out (durable or not). Apply lock. */
    long assignedRevision = 1;
    volatile long compactedRevision = 1;
    /** Oldest revision whose events are known (after a restart from a snapshot, the one after it). */
    volatile long historyStart = 1;
    /** Events at or above this may still be needed by the watch dispatcher, so compaction keeps them. */
    private LongSupplier eventsNeededFrom = () -> Long.MAX_VALUE;

    void keepEventsFrom(LongSupplier revision) {
        this.eventsNeededFrom = revision;
    }

    /** Starts from a snapshot: its keys without their history, its leases with a full TTL. */
    void load(SnapshotFile.Contents c) {
        long now = System.nanoTime();
        for (SnapshotFile.LeaseEntry l : c.leases()) {
            leases.grant(l.id(), l.ttlSeconds(), now);
        }
        for (KeyValue kv : c.keys()) {
            index.append(kv);
            leases.move(kv.key(), 0, kv.lease());
        }
        assignedRevision = c.revision();
        compactedRevision = Math.max(c.compactedRevision(), c.revision());
        historyStart = c.revision() + 1;
    }

    /** Redoes a logged change; IllegalArgumentException if it does not follow the state so far. */
    void replay(WalRecord record) {
        if (record instanceof WalRecord.Put p) {
            expectNext(p.revision());
            put(p.revision(), p.key(), p.value(), p.lease());
        } else if (record instanceof WalRecord.Delete d) {
            expectNext(d.revision());
            KeyValue prev = index.latest(d.key());
            if (prev == null) {
                throw new IllegalArgumentException("delete of missing key " + d.key());
            }
            delete(d.revision(), prev);
        } else if (record instanceof WalRecord.LeaseGrant g) {
            leases.grant(g.id(), g.ttlSeconds(), System.nanoTime());
        } else if (record instanceof WalRecord.LeaseRevoke r) {
            if (!r.keys().isEmpty()) {
                expectNext(r.revision());
            }
            revoke(r.revision(), r.id(), r.keys());
        } else if (record instanceof WalRecord.Compact c) {
            if (c.revision() > assignedRevision) {
                throw new IllegalArgumentException("compaction at future revision " + c.revision());
            }
            compact(c.revision());
        }
    }

    private void expectNext(long revision) {
        if (revision != assignedRevision + 1) {
            throw new IllegalArgumentException("revision " + revision + " after " + assignedRevision);
        }
        assignedRevision = revision;
    }

    KeyValue put(long revision, String key, byte[] value, long lease) {
        return put(revision, key, value, lease, index.history(key));
    }

    /** {@link #put(long, String, byte[], long)} given the key's versions as {@link MvccIndex#history} returned them. */
    KeyValue put(long revision, String key, byte[] value, long lease, KeyHistory history) {
        KeyValue prev = history == null ? null : history.latest();
        KeyValue kv = prev == null
                ? new KeyValue(key, value, revision, revision, 1, lease)
                : new KeyValue(key, value, prev.createRevision(), revision, prev.version() + 1, lease);
        index.append(kv, history);
        index.recordEvents(revision, new WatchEvent[]{new WatchEvent(WatchEvent.Type.PUT, kv, prev)});
        leases.move(key, prev == null ? 0 : prev.lease(), lease);
        return kv;
    }

    void delete(long revision, KeyValue prev) {
        KeyValue tombstone = KeyHistory.tombstone(prev.key(), revision);
        index.append(tombstone);
        index.recordEvents(revision, new WatchEvent[]{new WatchEvent(WatchEvent.Type.DELETE, tombstone, prev)});
        leases.move(prev.key(), prev.lease(), 0);
    }

    /** Drops the lease and deletes its keys, all at one revision (like etcd's revoke transaction). */
    void revoke(long revision, long leaseId, List<String> keys) {
        leases.remove(leaseId);
        List<WatchEvent> events = new ArrayList<>(keys.size());
        for (String key : keys) {
            KeyValue prev = index.latest(key);
            if (prev != null) {
                KeyValue tombstone = KeyHistory.tombstone(key, revision);
                index.append(tombstone);
                events.add(new WatchEvent(WatchEvent.Type.DELETE, tombstone, prev));
            }
        }
        if (!events.isEmpty()) {
            index.recordEvents(revision, events.toArray(new WatchEvent[0]));
        }
    }

    void compact(long revision) {
        if (revision <= compactedRevision) {
            return;
        }
        // published first: a reader that overlaps the trimming re-checks it afterwards and fails cleanly
        compactedRevision = revision;
        index.compact(revision, Math.min(revision, eventsNeededFrom.getAsLong()));
    }
}
