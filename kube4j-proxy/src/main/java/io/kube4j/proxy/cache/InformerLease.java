package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.informers.ExceptionHandler;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Indexer;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.Store;
import io.fabric8.kubernetes.client.utils.Utils;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * One component's hold on a {@link SharedInformers shared informer}: the informer as that component sees it. Reads go
 * to the shared cache; handlers are registered on the shared informer and remembered, so that {@link #close()} removes
 * this component's handlers and gives up its lease without stopping the informer for the others.
 *
 * <p>What belongs to the informer itself is shared too: indexes are named, and an index of a name the informer has is
 * taken to be the same index (they stay until the informer stops); the item store (the trim) is the resource's, so a
 * lease refuses to change it, and refuses to remove an index another component may read.
 */
final class InformerLease<T extends HasMetadata> implements SharedIndexInformer<T> {

    private final SharedInformers.Shared<T> shared;
    private final SharedIndexInformer<T> informer;
    private final List<ResourceEventHandler<? super T>> handlers = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private boolean closed;

    InformerLease(SharedInformers.Shared<T> shared) {
        this.shared = shared;
        this.informer = shared.informer;
        // the shared informer stopping (a failed first list, the client closed) ends this lease's view too
        informer.stopped().whenComplete((v, e) -> stopped.complete(null));
    }

    @Override
    public SharedIndexInformer<T> addIndexers(Map<String, Function<T, List<String>>> indexers) {
        synchronized (shared) {
            Map<String, Function<T, List<String>>> known = informer.getIndexer().getIndexers();
            Map<String, Function<T, List<String>>> added = new java.util.HashMap<>(indexers);
            added.keySet().removeAll(known.keySet());
            if (!added.isEmpty()) {
                informer.addIndexers(added);
            }
        }
        return this;
    }

    @Override
    public SharedIndexInformer<T> removeIndexer(String name) {
        throw new UnsupportedOperationException("the informer of " + shared + " is shared: index " + name
                + " may be read by another component");
    }

    @Override
    public Indexer<T> getIndexer() {
        return informer.getIndexer();
    }

    @Override
    public Store<T> getStore() {
        return informer.getStore();
    }

    @Override
    public SharedIndexInformer<T> addEventHandler(ResourceEventHandler<? super T> handler) {
        return addEventHandlerWithResyncPeriod(handler, 0);
    }

    @Override
    public SharedIndexInformer<T> addEventHandlerWithResyncPeriod(ResourceEventHandler<? super T> handler,
                                                                 long resyncPeriod) {
        synchronized (this) {
            if (closed) {
                throw new IllegalStateException("the lease on the informer of " + shared + " is closed");
            }
            handlers.add(handler);
        }
        informer.addEventHandlerWithResyncPeriod(handler, resyncPeriod);
        return this;
    }

    @Override
    public SharedIndexInformer<T> removeEventHandler(ResourceEventHandler<? super T> handler) {
        if (handlers.remove(handler)) {
            informer.removeEventHandler(handler);
        }
        return this;
    }

    /** Starts the shared informer unless it runs, and waits for its first list. */
    @Override
    public SharedIndexInformer<T> run() {
        Utils.waitUntilReadyOrFail(start().toCompletableFuture(), -1, TimeUnit.MILLISECONDS);
        return this;
    }

    @Override
    public CompletionStage<Void> start() {
        return shared.start();
    }

    /** Removes this lease's handlers and gives the lease up; the informer stops with its last lease. */
    @Override
    public void stop() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        for (ResourceEventHandler<? super T> handler : handlers) {
            informer.removeEventHandler(handler);
        }
        handlers.clear();
        shared.release();
        stopped.complete(null);
    }

    @Override
    public String lastSyncResourceVersion() {
        return informer.lastSyncResourceVersion();
    }

    @Override
    public synchronized boolean isRunning() {
        return !closed && informer.isRunning();
    }

    @Override
    public Class<T> getApiTypeClass() {
        return informer.getApiTypeClass();
    }

    @Override
    public synchronized boolean isWatching() {
        return !closed && informer.isWatching();
    }

    @Override
    public SharedIndexInformer<T> initialState(Stream<T> items) {
        throw new UnsupportedOperationException("the informer of " + shared + " is shared: its state is the cluster's");
    }

    @Override
    public SharedIndexInformer<T> itemStore(ItemStore<T> store) {
        throw new UnsupportedOperationException("the informer of " + shared + " is shared: its store trims to what "
                + "all its users read (InformedResource)");
    }

    @Override
    public SharedIndexInformer<T> exceptionHandler(ExceptionHandler handler) {
        throw new UnsupportedOperationException("the informer of " + shared + " is shared: it retries as every user "
                + "expects");
    }

    @Override
    public CompletionStage<Void> stopped() {
        return stopped;
    }
}
