package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One informer per resource and client in this JVM, shared by every component that informs itself of that resource
 * through that client: one list and watch, one trimmed cache, one event queue. A worker runs the kubelet, the proxy,
 * the pod routes and cluster DNS in one JVM, and each used to hold its own watch and its own copy of the Services,
 * Nodes, EndpointSlices and Pods.
 *
 * <p>Each component takes a lease ({@link #lease}): its event handlers are its own, and closing the lease removes
 * them; the informer stops when its last lease is closed, so components still start and stop on their own. Sharing
 * is per client because a client is a set of credentials (the kubelet's node identity, kube-proxy's): two clients are
 * never served from one cache.
 */
public final class SharedInformers {

    /** Guards itself and every {@link Shared#leases}. */
    private static final Map<KubernetesClient, Map<InformedResource<?>, Shared<?>>> INFORMERS = new IdentityHashMap<>();

    private SharedInformers() {
    }

    /**
     * A lease on the shared informer of {@code resource} through {@code client}: it reads the one cache, registers its
     * handlers on the one informer ({@code run()} starts it if it was not running yet and waits for its first list; a
     * handler added to a running informer is told of every object already cached), and {@code close()} ends only this
     * lease.
     */
    public static <T extends HasMetadata> SharedIndexInformer<T> lease(KubernetesClient client,
                                                                       InformedResource<T> resource) {
        synchronized (INFORMERS) {
            Map<InformedResource<?>, Shared<?>> ofClient = INFORMERS.computeIfAbsent(client, c -> new HashMap<>());
            @SuppressWarnings("unchecked")
            Shared<T> shared = (Shared<T>) ofClient.get(resource);
            if (shared == null || shared.failed()) {
                // a failed first list leaves a stopped informer: the next user starts afresh
                SharedIndexInformer<T> informer = resource.source().apply(client).runnableInformer(0);
                informer.itemStore(resource.store());
                shared = new Shared<>(client, resource, informer);
                ofClient.put(resource, shared);
            }
            shared.leases++;
            return new InformerLease<>(shared);
        }
    }

    /** Whether an informer of {@code resource} through {@code client} is held by any lease (tests). */
    static boolean informed(KubernetesClient client, InformedResource<?> resource) {
        synchronized (INFORMERS) {
            Map<InformedResource<?>, Shared<?>> ofClient = INFORMERS.get(client);
            return ofClient != null && ofClient.containsKey(resource);
        }
    }

    /** An informer and how many leases hold it. */
    static final class Shared<T extends HasMetadata> {
        private final KubernetesClient client;
        private final InformedResource<T> resource;
        final SharedIndexInformer<T> informer;
        /** Guarded by {@link #INFORMERS}. */
        private int leases;
        /** Guarded by this. */
        private CompletableFuture<Void> started;

        private Shared(KubernetesClient client, InformedResource<T> resource, SharedIndexInformer<T> informer) {
            this.client = client;
            this.resource = resource;
            this.informer = informer;
        }

        /** Starts the informer once, whoever asks first. */
        synchronized CompletableFuture<Void> start() {
            if (started == null) {
                started = informer.start().toCompletableFuture();
            }
            return started;
        }

        private synchronized boolean failed() {
            return started != null && started.isCompletedExceptionally();
        }

        /** Ends one lease; the last one stops the informer. */
        void release() {
            synchronized (INFORMERS) {
                if (--leases > 0) {
                    return;
                }
                Map<InformedResource<?>, Shared<?>> ofClient = INFORMERS.get(client);
                // a failed informer may already have been replaced by a fresh one, which stays
                if (ofClient != null && ofClient.get(resource) == this) {
                    ofClient.remove(resource);
                    if (ofClient.isEmpty()) {
                        INFORMERS.remove(client);
                    }
                }
            }
            informer.close();
        }

        @Override
        public String toString() {
            return resource.name();
        }
    }
}
