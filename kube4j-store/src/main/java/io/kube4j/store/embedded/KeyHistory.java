package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;

import java.util.Arrays;

/**
 * Every retained version of one key, oldest first (etcd's keyIndex, with the values inline). A delete is a
 * tombstone: a version with a null value. Appends and compaction happen under the store's apply lock; readers
 * never lock: they read an immutable (array, size) snapshot, and slots below a published size never change.
 */
final class KeyHistory {

    private record Versions(KeyValue[] slots, int size) {
    }

    private volatile Versions versions = new Versions(new KeyValue[2], 0);

    static KeyValue tombstone(String key, long revision) {
        return new KeyValue(key, null, 0, revision, 0, 0);
    }

    static boolean isTombstone(KeyValue kv) {
        return kv.value() == null;
    }

    /** The key as it was at {@code revision}: the newest version at or below it, or null if absent/deleted. */
    KeyValue at(long revision) {
        Versions v = versions;
        KeyValue[] slots = v.slots;
        int lo = 0;
        int hi = v.size - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (slots[mid].modRevision() <= revision) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        if (found < 0) {
            return null;
        }
        KeyValue kv = slots[found];
        return isTombstone(kv) ? null : kv;
    }

    /** The newest version, durable or not (writers only), or null if the key is absent or deleted. */
    KeyValue latest() {
        Versions v = versions;
        if (v.size == 0) {
            return null;
        }
        KeyValue kv = v.slots[v.size - 1];
        return isTombstone(kv) ? null : kv;
    }

    /** The newest version's (or tombstone's) revision, 0 if none is retained. */
    long latestRevision() {
        Versions v = versions;
        return v.size == 0 ? 0 : v.slots[v.size - 1].modRevision();
    }

    /** Appends a newer version (or tombstone). Caller holds the apply lock. */
    void append(KeyValue kv) {
        Versions v = versions;
        KeyValue[] slots = v.slots;
        if (v.size == slots.length) {
            slots = Arrays.copyOf(slots, slots.length * 2);
        }
        slots[v.size] = kv;
        versions = new Versions(slots, v.size + 1);
    }

    /**
     * Drops versions older than {@code revision}, keeping the newest one at or below it so reads at
     * {@code revision} still work (unless it is a tombstone: then the key is simply absent). Returns true when
     * nothing is left. Caller holds the apply lock.
     */
    boolean compact(long revision) {
        Versions v = versions;
        int keepFrom = -1;
        for (int i = 0; i < v.size; i++) {
            if (v.slots[i].modRevision() <= revision) {
                keepFrom = i;
            } else {
                break;
            }
        }
        if (keepFrom < 0) {
            return v.size == 0;
        }
        if (isTombstone(v.slots[keepFrom])) {
            keepFrom++;
        }
        if (keepFrom == 0) {
            return false;
        }
        int left = v.size - keepFrom;
        KeyValue[] slots = new KeyValue[Math.max(2, left)];
        System.arraycopy(v.slots, keepFrom, slots, 0, left);
        versions = new Versions(slots, left);
        return left == 0;
    }

    int size() {
        return versions.size;
    }
}
