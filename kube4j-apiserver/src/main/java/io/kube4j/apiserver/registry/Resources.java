package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.metrics.StorageMetrics;
import io.kube4j.apiserver.registry.allocation.ClusterIpAllocator;
import io.kube4j.apiserver.registry.allocation.NodePortAllocator;
import io.kube4j.apiserver.registry.conversion.EventsV1OverCoreEvents;
import io.kube4j.apiserver.registry.conversion.HpaV1OverV2;
import io.kube4j.apiserver.registry.conversion.HpaV2Storage;
import io.kube4j.apiserver.registry.strategies.EventStrategy;
import io.kube4j.apiserver.registry.strategies.NamespaceStrategy;
import io.kube4j.apiserver.registry.strategies.CertificateSigningRequestStrategy;
import io.kube4j.apiserver.registry.strategies.NodeStrategy;
import io.kube4j.apiserver.registry.strategies.PodStrategy;
import io.kube4j.apiserver.registry.strategies.PriorityClassStrategy;
import io.kube4j.apiserver.registry.strategies.SecretStrategy;
import io.kube4j.apiserver.registry.strategies.ServiceStrategy;
import io.kube4j.apiserver.registry.strategies.WorkloadStrategy;
import io.kube4j.apiserver.watchcache.WatchCache;
import io.kube4j.store.Store;

import java.time.Clock;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every stored resource's {@link GenericRegistry} ({@link ResourceType#stored()}: none for the types the API server
 * answers itself, bindings among them), with one watch cache per storage prefix (versions of a resource share their
 * storage) for the resources clients may watch - each cache holds a store watch and a copy of its objects, which a
 * resource nobody watches would pay for with nothing to serve. Chooses each resource's strategy.
 */
public final class Resources implements AutoCloseable {

    public static final String SERVICE_CIDR = "10.43.0.0/16";
    private static final Set<String> WORKLOADS = Set.of("Deployment", "ReplicaSet", "StatefulSet", "DaemonSet",
            "ReplicationController", "Job", "CronJob");

    private final Store store;
    private final Clock clock;
    private final Leases leases;
    private final ClusterIpAllocator clusterIps;
    private final NodePortAllocator nodePorts;
    private final NamespaceLifecycle namespaces;
    private final Map<String, GenericRegistry> byPath = new ConcurrentHashMap<>();
    private final Map<String, WatchCache> caches = new LinkedHashMap<>();
    private final int cacheCapacity;
    /** Times each resource's store calls (upstream's etcd_request_duration_seconds). */
    private final StorageMetrics storageMetrics;

    public Resources(ResourceRegistry registry, Store store, Clock clock, int cacheCapacity) {
        this(registry, store, clock, cacheCapacity, SERVICE_CIDR);
    }

    /** {@code serviceCidr}: the range Service ClusterIPs are allocated from. */
    public Resources(ResourceRegistry registry, Store store, Clock clock, int cacheCapacity, String serviceCidr) {
        this(registry, store, clock, cacheCapacity, serviceCidr, new StorageMetrics());
    }

    /** As above, each resource's registry and watch cache calling the store through {@code storageMetrics}. */
    public Resources(ResourceRegistry registry, Store store, Clock clock, int cacheCapacity, String serviceCidr,
                     StorageMetrics storageMetrics) {
        this.storageMetrics = storageMetrics;
        this.store = store;
        this.cacheCapacity = cacheCapacity;
        this.clock = clock;
        this.leases = new Leases(store);
        this.clusterIps = new ClusterIpAllocator(store, serviceCidr);
        this.nodePorts = new NodePortAllocator(store);
        this.namespaces = new NamespaceLifecycle(store);
        for (ResourceType type : registry.all()) {
            // the types the API server answers itself (reviews, bindings, metrics.k8s.io, componentstatuses) have
            // no storage: a registry for one would read whatever shares its plural (PodMetrics: /registry/pods/)
            if (type.stored()) {
                add(type);
            }
        }
    }

    private synchronized GenericRegistry add(ResourceType type) {
        String prefix = "/registry/" + storageName(type) + "/";
        StoredForm form = storedForm(type);
        // a view decodes stored objects into another form, so it cannot share the cache of the stored form
        String cacheKey = form == StoredForm.AS_SERVED ? prefix : prefix + "#" + type.apiVersion();
        ResourceStrategy strategy = strategyFor(type);
        // upstream's registries without a watch have no cacher either
        Store metered = storageMetrics.meter(store, groupResource(type));
        WatchCache cache = !type.supports("watch") ? null : caches.computeIfAbsent(cacheKey, k -> {
            WatchCache c = new WatchCache(metered, prefix, new StrategyCacheForm(form, strategy), cacheCapacity);
            c.start();
            return c;
        });
        GenericRegistry generic = new GenericRegistry(type, strategy, metered, prefix, cache, namespaces, clock,
                leases, form);
        byPath.put(path(type.group(), type.version(), type.plural()), generic);
        return generic;
    }

    /**
     * Serves a resource added at run time (a custom resource version) with its own strategy, stored under
     * {@code /registry/<storageName>/}; versions sharing a storage name share one watch cache.
     */
    public synchronized GenericRegistry add(ResourceType type, ResourceStrategy strategy, String storageName) {
        String prefix = "/registry/" + storageName + "/";
        Store metered = storageMetrics.meter(store, groupResource(type));
        WatchCache cache = caches.computeIfAbsent(prefix, p -> {
            WatchCache c = new WatchCache(metered, p, new StrategyCacheForm(StoredForm.AS_SERVED, strategy),
                    cacheCapacity);
            c.start();
            return c;
        });
        GenericRegistry generic = new GenericRegistry(type, strategy, metered, prefix, cache, namespaces, clock,
                leases);
        byPath.put(path(type.group(), type.version(), type.plural()), generic);
        return generic;
    }

    /**
     * Serves a resource added at run time whose objects are stored in another form ({@code form}): its watch cache
     * decodes with the form and is shared only by resources whose forms have the same {@code formKey}. A cache left
     * unused by the replaced registry is closed (its watchers end and re-watch, as upstream's do when a CRD
     * changes).
     */
    public synchronized GenericRegistry add(ResourceType type, ResourceStrategy strategy, String storageName,
                                            StoredForm form, String formKey) {
        String prefix = "/registry/" + storageName + "/";
        Store metered = storageMetrics.meter(store, groupResource(type));
        WatchCache cache = caches.computeIfAbsent(prefix + "#" + formKey, k -> {
            WatchCache c = new WatchCache(metered, prefix, new StrategyCacheForm(form, strategy), cacheCapacity);
            c.start();
            return c;
        });
        GenericRegistry generic = new GenericRegistry(type, strategy, metered, prefix, cache, namespaces, clock,
                leases, form);
        GenericRegistry replaced = byPath.put(path(type.group(), type.version(), type.plural()), generic);
        if (replaced != null && replaced.cache() != cache) {
            closeIfUnused(replaced.cache());
        }
        return generic;
    }

    /** Stops serving a resource added at run time; its watch cache closes once no version uses it. */
    public synchronized void remove(String group, String version, String plural) {
        GenericRegistry removed = byPath.remove(path(group, version, plural));
        if (removed != null) {
            closeIfUnused(removed.cache());
        }
    }

    /** Closes {@code cache} (null: a resource without one) once no served resource reads it. */
    private void closeIfUnused(WatchCache cache) {
        if (cache != null && byPath.values().stream().noneMatch(r -> r.cache() == cache)) {
            caches.values().remove(cache);
            cache.close();
        }
    }

    public Optional<GenericRegistry> find(String group, String version, String plural) {
        return Optional.ofNullable(byPath.get(path(group, version, plural)));
    }

    public Collection<GenericRegistry> all() {
        return List.copyOf(byPath.values());
    }

    public NamespaceLifecycle namespaces() {
        return namespaces;
    }

    public ClusterIpAllocator clusterIps() {
        return clusterIps;
    }

    /**
     * Upstream's etcd prefix: the plural. events.k8s.io Events share core Events' storage, and autoscaling/v1
     * HPAs v2's, as upstream's do.
     */
    static String storageName(ResourceType type) {
        return type.plural();
    }

    /** How a resource's objects are stored: as served, except the resources that are views of another's. */
    private static StoredForm storedForm(ResourceType type) {
        if (type.group().equals("events.k8s.io") && type.kind().equals("Event")) {
            return new EventsV1OverCoreEvents();
        }
        if (type.group().equals("autoscaling") && type.kind().equals("HorizontalPodAutoscaler")) {
            return type.version().equals("v1") ? new HpaV1OverV2() : new HpaV2Storage();
        }
        return StoredForm.AS_SERVED;
    }

    private ResourceStrategy strategyFor(ResourceType type) {
        ResourceStrategy admissionPolicy = io.kube4j.apiserver.admission.policy.PolicyStrategy.strategyFor(type);
        if (admissionPolicy != null) {
            return admissionPolicy;
        }
        ResourceStrategy webhookConfiguration =
                io.kube4j.apiserver.admission.webhook.WebhookConfigurationStrategy.strategyFor(type);
        if (webhookConfiguration != null) {
            return webhookConfiguration;
        }
        if (type.group().isEmpty()) {
            switch (type.kind()) {
                case "Pod":
                    return new PodStrategy(type);
                case "Service":
                    return new ServiceStrategy(type, clusterIps, nodePorts);
                case "Namespace":
                    return new NamespaceStrategy(type);
                case "Node":
                    return new NodeStrategy(type);
                case "Event":
                    return new EventStrategy(type);
                case "Secret":
                    return new SecretStrategy(type);
                default:
                    break;
            }
        }
        if (type.group().equals("scheduling.k8s.io") && type.kind().equals("PriorityClass")) {
            return new PriorityClassStrategy(type);
        }
        if (type.group().equals("events.k8s.io")) {
            return new EventStrategy(type);
        }
        if (type.group().equals("certificates.k8s.io") && type.kind().equals("CertificateSigningRequest")) {
            return new CertificateSigningRequestStrategy(type);
        }
        if (WORKLOADS.contains(type.kind()) && (type.group().equals("apps") || type.group().equals("batch")
                || type.group().isEmpty())) {
            return new WorkloadStrategy(type);
        }
        return new DefaultStrategy(type);
    }

    /** A resource as upstream's metrics label it, its GroupResource: {@code pods}, {@code deployments.apps}. */
    private static String groupResource(ResourceType type) {
        return type.group().isEmpty() ? type.plural() : type.plural() + "." + type.group();
    }

    private static String path(String group, String version, String plural) {
        return group + "/" + version + "/" + plural;
    }

    /**
     * The objects stored per resource, upstream's {@code apiserver_storage_objects} (label {@code pods},
     * {@code deployments.apps}), read from the watch caches (resources sharing a storage - core and events.k8s.io
     * events - each show its count, as upstream's); resources without a cache (never watched) are not counted.
     */
    public java.util.SortedMap<String, Integer> storedObjectCounts() {
        java.util.SortedMap<String, Integer> counts = new java.util.TreeMap<>();
        for (GenericRegistry registry : byPath.values()) {
            WatchCache cache = registry.cache();
            if (cache != null) {
                counts.put(groupResource(registry.type()), cache.objectCount());
            }
        }
        return counts;
    }

    /** Number of client watches across all caches. */
    public int watchCount() {
        synchronized (this) {
            return caches.values().stream().mapToInt(WatchCache::watcherCount).sum();
        }
    }

    public synchronized void progressAll() {
        caches.values().forEach(WatchCache::progress);
    }

    @Override
    public synchronized void close() {
        caches.values().forEach(WatchCache::close);
    }
}
