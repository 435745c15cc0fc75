package io.kube4j.apiserver.watchcache;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Attributes of values a writer is handing to the store, found again by the identity of the byte array: the embedded
 * store keeps the writer's array in the event it delivers, so the watch cache takes the attributes the writer read from
 * its own tree instead of parsing the value once more (that parse was a tenth of a configmap update's CPU). Arrays
 * compare by identity, so a copy (the etcd store's bytes come back over gRPC) never matches and is parsed as before.
 * Bounded, oldest dropped first: a write that fails after the writer forgot to say so, or bytes that never come back,
 * cost a slot until then, never a wrong answer.
 */
final class ExpectedWrites {

    /** Far above the writes in flight at once (one per request being served). */
    static final int CAPACITY = 256;

    private final Map<byte[], Selectable> byValue = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<byte[], Selectable> eldest) {
            return size() > CAPACITY;
        }
    };

    synchronized void expect(byte[] value, Selectable attributes) {
        byValue.put(value, attributes);
    }

    /** The attributes announced for exactly this array (and forgets them), or null. */
    synchronized Selectable take(byte[] value) {
        return byValue.remove(value);
    }

    synchronized int size() {
        return byValue.size();
    }
}
