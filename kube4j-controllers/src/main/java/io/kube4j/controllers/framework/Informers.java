package io.kube4j.controllers.framework;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.SharedInformerFactory;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One informer per type for every controller of a manager, so that N controllers watching pods
 * cost one watch and one cache.
 */
public final class Informers {
    private final SharedInformerFactory factory;
    private final long resyncMillis;
    private final Map<Class<?>, SharedIndexInformer<?>> informers = new LinkedHashMap<>();
    private boolean started;

    public Informers(SharedInformerFactory factory, Duration resync) {
        this.factory = factory;
        this.resyncMillis = resync.toMillis();
    }

    /** The informer of a type; every type must be asked for before {@link #startAndWaitForSync}, typically in constructors. */
    @SuppressWarnings("unchecked")
    public synchronized <T extends HasMetadata> SharedIndexInformer<T> of(Class<T> type) {
        SharedIndexInformer<?> existing = informers.get(type);
        if (existing == null) {
            if (started) {
                throw new IllegalStateException("informer for " + type.getSimpleName() + " requested after start");
            }
            existing = factory.sharedIndexInformerFor(type, resyncMillis);
            informers.put(type, existing);
        }
        return (SharedIndexInformer<T>) existing;
    }

    public <T extends HasMetadata> T get(Class<T> type, String key) {
        return of(type).getStore().getByKey(key);
    }

    public <T extends HasMetadata> List<T> inNamespace(Class<T> type, String namespace) {
        return of(type).getIndexer().byIndex(Cache.NAMESPACE_INDEX, namespace);
    }

    public <T extends HasMetadata> List<T> list(Class<T> type) {
        return of(type).getStore().list();
    }

    public void startAndWaitForSync(Duration timeout) throws Exception {
        CompletableFuture<?> all;
        synchronized (this) {
            started = true;
            all = CompletableFuture.allOf(new ArrayList<>(informers.values()).stream()
                    .map(i -> i.start().toCompletableFuture()).toArray(CompletableFuture[]::new));
        }
        all.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized void stop() {
        informers.values().forEach(SharedIndexInformer::stop);
    }
}
