package io.kube4j.apiserver.watchcache;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The current objects of a watch cache by key, and the same objects as one array in key order for lists. Walking a
 * tree of 10,000 entries scattered over the heap costs a cache miss or more per entry, the largest part of serving a
 * large list once the bytes are ready; the array is built on the first list after a change and then shared by every
 * list until the next change, each list taking its prefix's range of it as a view (found by binary search).
 * Not thread-safe: the cache's lock guards it. The array and the views handed out are never changed afterwards.
 */
final class KeyOrderedObjects {

    private final TreeMap<String, CachedObject> byKey = new TreeMap<>();
    /** Every object in key order and their keys, or null when a change came after they were built. */
    private CachedObject[] ordered;
    private String[] keys;

    CachedObject get(String key) {
        return byKey.get(key);
    }

    int size() {
        return byKey.size();
    }

    CachedObject put(String key, CachedObject object) {
        ordered = null;
        keys = null;
        return byKey.put(key, object);
    }

    CachedObject remove(String key) {
        CachedObject removed = byKey.remove(key);
        if (removed != null) {
            ordered = null;
            keys = null;
        }
        return removed;
    }

    void clear() {
        byKey.clear();
        ordered = null;
        keys = null;
    }

    /** The entries in key order, read-only. */
    Set<Map.Entry<String, CachedObject>> entrySet() {
        return Collections.unmodifiableMap(byKey).entrySet();
    }

    /** The objects whose keys start with {@code prefix}, in key order: an unmodifiable view that never changes. */
    List<CachedObject> inOrder(String prefix) {
        if (ordered == null) {
            ordered = byKey.values().toArray(new CachedObject[0]);
            keys = byKey.keySet().toArray(new String[0]);
        }
        int from = lowerBound(prefix);
        // every key with the prefix sorts before the prefix followed by the highest char (as the tree's subMap)
        int to = lowerBound(prefix + Character.MAX_VALUE);
        return Collections.unmodifiableList(Arrays.asList(ordered).subList(from, to));
    }

    /** The index of the first key not below {@code key}. */
    private int lowerBound(String key) {
        int at = Arrays.binarySearch(keys, key);
        return at >= 0 ? at : -at - 1;
    }
}
