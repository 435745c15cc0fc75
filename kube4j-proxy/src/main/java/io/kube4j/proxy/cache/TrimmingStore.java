package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps a trimmed copy of each object: only the fields its readers use. A fabric8
 * model object holds a map for unknown fields in every nested object, so a whole Pod (managedFields, volumes,
 * conditions, container statuses) is over a hundred maps and several KB on the heap; a trimmed one is a handful.
 *
 * <p>fabric8's informer puts the object it decoded and hands the event handlers the new object as decoded, the
 * previous one from this store, and after the first list the stored objects: handlers and indexers must read only
 * fields the trim keeps (and the resourceVersion, which the informer compares).
 */
public final class TrimmingStore<T extends HasMetadata> implements ItemStore<T> {

    private final Map<String, T> items = new ConcurrentHashMap<>();
    private final UnaryOperator<T> trim;

    public TrimmingStore(UnaryOperator<T> trim) {
        this.trim = trim;
    }

    @Override
    public String getKey(T obj) {
        return Cache.metaNamespaceKeyFunc(obj);
    }

    @Override
    public T put(String key, T obj) {
        return items.put(key, trim.apply(obj));
    }

    @Override
    public T remove(String key) {
        return items.remove(key);
    }

    @Override
    public Stream<String> keySet() {
        return items.keySet().stream();
    }

    @Override
    public Stream<T> values() {
        return items.values().stream();
    }

    @Override
    public int size() {
        return items.size();
    }

    @Override
    public T get(String key) {
        return items.get(key);
    }
}
