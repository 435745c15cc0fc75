package io.kube4j.apiserver.watchcache;

import io.kube4j.store.KeyValue;
import tools.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/**
 * One object of a watch cache: the stored key-value it was read from (whose bytes a list or a watch line sends
 * without encoding the object again) and what selections read of it, worked out once when it was written. No
 * decoded tree is kept: thousands of trees of maps made every young collection copy each recent write and the
 * heap several times the stored bytes; one is decoded when a caller needs the object itself.
 */
public final class CachedObject {

    private final KeyValue stored;
    private final Selectable attributes;
    private final CacheForm form;
    /** The last {@link #derived} value and its key; replaced as a whole. */
    private volatile Derived derived;

    public CachedObject(KeyValue stored, Selectable attributes, CacheForm form) {
        this.stored = stored;
        this.attributes = attributes;
        this.form = form;
    }

    /** The entry for {@code kv}, decoded once now to read its attributes. */
    static CachedObject read(KeyValue kv, CacheForm form) {
        return new CachedObject(kv, form.attributes(form.decode(kv.value(), kv.modRevision())), form);
    }

    /** The object as clients see it at its own resourceVersion: a new tree on every call, the caller's to change. */
    public ObjectNode object() {
        return decode(stored.modRevision());
    }

    /** The object with metadata.resourceVersion {@code revision} (a delete's carries the delete's): a new tree. */
    public ObjectNode decode(long revision) {
        return form.decode(stored.value(), revision);
    }

    /** The object's JSON as clients see it, with metadata.resourceVersion {@code revision}. */
    public byte[] servedBytes(long revision) {
        return form.servedBytes(stored.value(), revision, attributes);
    }

    public KeyValue stored() {
        return stored;
    }

    public Selectable attributes() {
        return attributes;
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
