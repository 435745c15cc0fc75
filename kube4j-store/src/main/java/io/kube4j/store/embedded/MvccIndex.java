package io.kube4j.store.embedded;

import io.kube4j.store.KeyValue;
import io.kube4j.store.WatchEvent;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory multi-version index: every key's versions in key order (for point reads and prefix scans at
 * any retained revision) and every revision's events in revision order (for watch replay). Mutations happen
 * under the store's apply lock, possibly ahead of durability; readers pass the durable revision, so versions
 * that are not durable yet are never seen.
 */
final class MvccIndex {

    private final ConcurrentSkipListMap<String, KeyHistory> keys = new ConcurrentSkipListMap<>(KeyOrder.INSTANCE);
    /**
     * The same histories by key, for point lookups: a skip-list lookup compares the key with ~2 log2(n) others,
     * and keys share long prefixes ("/registry/configmaps/ns/..."), so at 20,000 keys every get and every write
     * (under the apply lock) spent most of its index time in those comparisons. Kept in step with {@link #keys}
     * under the apply lock; the skip list remains for ordered scans.
     */
    private final ConcurrentHashMap<String, KeyHistory> byKey = new ConcurrentHashMap<>();
    private final ConcurrentSkipListMap<Long, WatchEvent[]> events = new ConcurrentSkipListMap<>();
    /**
     * Keys with something for compaction to drop (an older version or a tombstone), so compaction, which
     * holds the apply lock, costs what changed rather than the whole key space. Guarded by the apply lock.
     */
    private final Set<String> compactable = new HashSet<>();

    KeyValue get(String key, long revision) {
        KeyHistory history = byKey.get(key);
        return history == null ? null : history.at(revision);
    }

    /**
     * The key's versions, or null if it has none: a writer looks the key up once for its guard and its append
     * (every lookup walks the skip list, under the apply lock). Caller holds the apply lock.
     */
    KeyHistory history(String key) {
        return byKey.get(key);
    }

    /** Newest version including ones not durable yet (writers, under the apply lock). */
    KeyValue latest(String key) {
        KeyHistory history = byKey.get(key);
        return history == null ? null : history.latest();
    }

    /** Revision of the key's newest version or tombstone, durable or not; 0 if it has none. */
    long latestRevision(String key) {
        KeyHistory history = byKey.get(key);
        return history == null ? 0 : history.latestRevision();
    }

    /** One page of keys under {@code prefix} from {@code fromKey} at {@code revision}, plus how many are left. */
    Page range(String prefix, String fromKey, long revision, long limit) {
        String start = fromKey != null && KeyOrder.INSTANCE.compare(fromKey, prefix) > 0 ? fromKey : prefix;
        List<KeyValue> items = new ArrayList<>();
        long remaining = 0;
        for (Map.Entry<String, KeyHistory> e : keys.tailMap(start, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            KeyValue kv = e.getValue().at(revision);
            if (kv == null) {
                continue;
            }
            if (limit <= 0 || items.size() < limit) {
                items.add(kv);
            } else {
                remaining++;
            }
        }
        return new Page(items, remaining);
    }

    record Page(List<KeyValue> items, long remaining) {
    }

    long count(String prefix, long revision) {
        long n = 0;
        for (Map.Entry<String, KeyHistory> e : keys.tailMap(prefix, true).entrySet()) {
            if (!e.getKey().startsWith(prefix)) {
                break;
            }
            if (e.getValue().at(revision) != null) {
                n++;
            }
        }
        return n;
    }

    /** Appends a version (or a tombstone) of its key. Caller holds the apply lock. */
    void append(KeyValue kv) {
        append(kv, byKey.get(kv.key()));
    }

    /** {@link #append(KeyValue)} to {@code history}, the key's as {@link #history} gave it (null: none yet). */
    void append(KeyValue kv, KeyHistory history) {
        if (history == null) {
            // under the apply lock, so no other writer adds the key meanwhile; the ordered map first, so a key a
            // point read finds is already in scans
            history = new KeyHistory();
            keys.put(kv.key(), history);
            byKey.put(kv.key(), history);
        }
        history.append(kv);
        if (history.size() > 1 || KeyHistory.isTombstone(kv)) {
            compactable.add(kv.key());
        }
    }

    /** Records what happened at {@code revision}, once all its events are known. Caller holds the apply lock. */
    void recordEvents(long revision, WatchEvent[] atRevision) {
        events.put(revision, atRevision);
    }

    WatchEvent[] eventsAt(long revision) {
        return events.get(revision);
    }

    /** Events with revision in [from, to], in order. */
    NavigableMap<Long, WatchEvent[]> events(long from, long to) {
        return events.subMap(from, true, to, true);
    }

    long oldestEventRevision() {
        Map.Entry<Long, WatchEvent[]> first = events.firstEntry();
        return first == null ? Long.MAX_VALUE : first.getKey();
    }

    /**
     * Forgets versions below {@code revision} (keeping each key's newest one at or below it) and events below
     * {@code eventsBelow}. Caller holds the apply lock.
     */
    void compact(long revision, long eventsBelow) {
        Iterator<String> it = compactable.iterator();
        while (it.hasNext()) {
            String key = it.next();
            KeyHistory history = byKey.get(key);
            if (history == null) {
                it.remove();
            } else if (history.compact(revision)) {
                byKey.remove(key);
                keys.remove(key);
                it.remove();
            } else if (history.size() == 1 && history.latest() != null) {
                it.remove(); // a single live version: nothing to drop until the key changes again
            }
        }
        events.headMap(eventsBelow, false).clear();
    }

    /** Every key's newest version at {@code revision} (for snapshots), in key order. */
    Iterable<KeyValue> liveAt(long revision) {
        return () -> new Iterator<>() {
            private final Iterator<KeyHistory> it = keys.values().iterator();
            private KeyValue next = advance();

            private KeyValue advance() {
                while (it.hasNext()) {
                    KeyValue kv = it.next().at(revision);
                    if (kv != null) {
                        return kv;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public KeyValue next() {
                KeyValue kv = next;
                next = advance();
                return kv;
            }
        };
    }

    int keyCount() {
        return keys.size();
    }
}
