package io.kube4j.apiserver.watchcache;

import io.kube4j.store.KeyValue;
import tools.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/**
 * One current object of a watch cache: as decoded for clients (read-only, shared) and the stored key-value it was
 * decoded from, whose bytes a list can send without encoding the object again.
 */
public final class CachedObject {

    private final ObjectNode object;
    private final KeyValue stored;
    /** The last {@link #derived} value and its key; replaced as a whole. */
    private volatile Derived derived;

    public CachedObject(ObjectNode object, KeyValue stored) {
        this.object = object;
        this.stored = stored;
    }

    public ObjectNode object() {
        return object;
    }

    public KeyValue stored() {
        return stored;
    }

    /**
     * Something a reader works out from this entry alone (a list's item: where it inserts the resourceVersion in the
     * stored bytes), kept with it so that every list after the first skips the work and the allocation: the entry
     * never changes, so neither does it. {@code key} names what is derived (one value is kept, the last key's);
     * {@code derive} may return null.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object key, Function<CachedObject, T> derive) {
        Derived d = derived;
        if (d == null || !d.key().equals(key)) {
            d = new Derived(key, derive.apply(this));
            derived = d;
        }
        return (T) d.value();
    }

    private record Derived(Object key, Object value) {
    }
}
