package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;
import io.kube4j.proxy.conntrack.Conntrack;
import io.kube4j.proxy.conntrack.StaleUdpFlows;
import io.kube4j.proxy.metrics.ProxyMetrics;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServiceSnapshots;
import io.kube4j.proxy.nft.NftException;
import io.kube4j.proxy.nft.NftExecutor;
import io.kube4j.proxy.nft.NftRenderer;
import io.kube4j.proxy.nft.Ruleset;
import io.kube4j.proxy.nft.TableSkeleton;
import io.kube4j.proxy.policy.PolicyRulesBuilder;
import io.kube4j.proxy.rules.HairpinEndpoints;
import io.kube4j.proxy.rules.RulesetBuilder;
import io.kube4j.proxy.sync.SyncRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The service proxy: watches Services, EndpointSlices and Nodes (and, for NetworkPolicy, NetworkPolicies, and Pods
 * and Namespaces while some policy exists) through the API - on the JVM's {@link SharedInformers shared informers} - and
 * keeps one nftables table in step with them. The first sync (and any sync
 * after a failure, or after the node's addresses changed) rewrites the whole table; later syncs recompute only the
 * Services whose Service or EndpointSlices changed (and the policy part when policy inputs changed) and send nft
 * only their difference, so a change costs the same with 10 Services or 10,000. After each sync, UDP conntrack
 * entries that point at endpoints that are gone are deleted.
 */
public final class Proxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    /** Part keys that cannot clash with a Service's {@code ns/name}. */
    private static final String NODE_PART = "#node";
    private static final String POLICY_PART = "#policy";
    private static final Ruleset EMPTY = new Ruleset();

    private final ProxyOptions options;
    private final NftExecutor nft;
    private final NftRenderer renderer;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    // assigned while events may already arrive; a sync before all informers exist is skipped (start syncs)
    private volatile SharedIndexInformer<Service> services;
    private volatile SharedIndexInformer<EndpointSlice> slices;
    private volatile SharedIndexInformer<Node> nodes;
    private volatile SharedIndexInformer<NetworkPolicy> policies;
    /** null unless NetworkPolicy is enforced */
    private volatile PolicyInputs policyInputs;
    private volatile boolean informersStarted;
    private final SyncRunner runner;
    /** null when conntrack is not to be touched */
    private final StaleUdpFlows staleUdpFlows;
    /** Services (ns/name) changed since the last sync: a partial sync recomputes and diffs only these. */
    private final Set<String> changedServices = ConcurrentHashMap.newKeySet();
    private volatile boolean policiesChanged;
    /** What the kernel has: one part per Service, plus the node's addresses and the policies. */
    private Map<String, Ruleset> applied;
    private Map<String, List<ServicePortInfo>> appliedPorts = new TreeMap<>();
    /**
     * The hairpin set, kept apart from the parts: it spans all Services, and counting its addresses lets a partial
     * sync send only what the changed Services touched. Recounted on every full sync (including after a failure).
     */
    private final HairpinEndpoints hairpin = new HairpinEndpoints();
    private List<String> appliedNodeIps = List.of();
    private long lastFullSync;
    private volatile boolean closed;

    private Proxy(ProxyOptions options) {
        this.options = options;
        this.nft = new NftExecutor(options.nftCommand());
        this.renderer = new NftRenderer(options.tableName(), options.serviceCidr());
        this.runner = new SyncRunner("kube4j-proxy-sync", options.minSyncInterval(), this::syncQuietly);
        this.staleUdpFlows = options.conntrackCommand().isEmpty() ? null
                : new StaleUdpFlows(new Conntrack(options.conntrackCommand()), options.serviceCidr());
    }

    /**
     * Starts watching the cluster and programs the table once before returning.
     *
     * @throws NftException when the first full sync is refused (nft missing, no permission, ...)
     */
    public static Proxy start(KubernetesClient client, ProxyOptions options) throws NftException {
        Proxy proxy = new Proxy(options);
        try {
            proxy.startInformers(client);
            proxy.sync();
        } catch (NftException | RuntimeException e) {
            proxy.stopInformers();
            proxy.runner.close();
            throw e;
        }
        return proxy;
    }

    private void startInformers(KubernetesClient client) {
        ResourceEventHandler<Object> handler = handler(obj -> runner.request());
        services = informed(client, InformedResource.SERVICES, handler(obj -> {
            changedServices.add(Cache.metaNamespaceKeyFunc(obj));
            runner.request();
        }), Map.of());
        slices = informed(client, InformedResource.ENDPOINT_SLICES, handler(obj -> {
            ServiceSnapshots.serviceKey((EndpointSlice) obj).ifPresent(changedServices::add);
            runner.request();
        }), Map.of(ServiceSnapshots.SLICES_BY_SERVICE, ServiceSnapshots::serviceKeys));
        if (options.nodeIps().isEmpty()) {
            nodes = informed(client, InformedResource.NODES, handler, Map.of());
        }
        if (options.networkPolicy()) {
            ResourceEventHandler<Object> policyHandler = handler(obj -> {
                policiesChanged = true;
                runner.request();
            });
            // Pods and namespaces only matter to the rules while some NetworkPolicy exists: a sync holds them then
            // (and their events recompute the policy part) and lets them go with the last policy.
            policyInputs = new PolicyInputs(client, policyHandler);
            policies = informed(client, InformedResource.NETWORK_POLICIES, policyHandler, Map.of());
        }
        informersStarted = true;
    }

    /**
     * This proxy's lease on the JVM's shared informer of a resource (the kubelet, cluster DNS and the pod routes read
     * the same cache), with its handler and the indexes it reads, once the informer has listed.
     */
    private <T extends HasMetadata> SharedIndexInformer<T> informed(KubernetesClient client,
                                                                    InformedResource<T> resource,
                                                                    ResourceEventHandler<Object> handler,
                                                                    Map<String, Function<T, List<String>>> indexes) {
        SharedIndexInformer<T> informer = SharedInformers.lease(client, resource);
        informers.add(informer);
        informer.addIndexers(indexes);
        informer.addEventHandler(cast(handler));
        informer.run();
        return informer;
    }

    private static ResourceEventHandler<Object> handler(java.util.function.Consumer<HasMetadata> onChange) {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                onChange.accept((HasMetadata) obj);
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                onChange.accept((HasMetadata) newObj);
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                onChange.accept((HasMetadata) obj);
            }
        };
    }

    @SuppressWarnings("unchecked")
    private static <T> ResourceEventHandler<T> cast(ResourceEventHandler<Object> handler) {
        return (ResourceEventHandler<T>) (ResourceEventHandler<?>) handler;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (NftException e) {
            LOG.warn("proxy sync failed, retrying with a full sync: {}", e.getMessage());
            runner.requestAfter(RETRY_DELAY);
        } catch (KubernetesClientException e) {
            LOG.warn("proxy sync cannot list the NetworkPolicy inputs, retrying: {}", e.getMessage());
            runner.requestAfter(RETRY_DELAY);
        }
    }

    private synchronized void sync() throws NftException {
        if (closed || !informersStarted) {
            return;
        }
        long start = System.nanoTime();
        List<String> nodeIps = nodeIps();
        boolean full = applied == null || !nodeIps.equals(appliedNodeIps)
                || System.currentTimeMillis() - lastFullSync > options.fullSyncInterval().toMillis();
        // drained before reading the caches: a change arriving meanwhile is seen now or in the next sync
        boolean policiesDirty = policiesChanged;
        policiesChanged = false;
        List<NetworkPolicy> currentPolicies = options.networkPolicy() ? policyInputsFor(policiesDirty) : List.of();
        Set<String> changed = new TreeSet<>();
        for (var it = changedServices.iterator(); it.hasNext(); ) {
            changed.add(it.next());
            it.remove();
        }

        RulesetBuilder builder = new RulesetBuilder(options.nodeName(), options.clusterCidr(), nodeIps);
        Map<String, Ruleset> next = full ? new TreeMap<>() : new TreeMap<>(applied);
        Map<String, List<ServicePortInfo>> nextPorts = full ? new TreeMap<>() : new TreeMap<>(appliedPorts);
        Collection<String> rebuild = full ? services.getStore().listKeys() : changed;
        for (String key : rebuild) {
            Service service = services.getStore().getByKey(key);
            List<ServicePortInfo> ports = service == null ? List.of()
                    : ServiceSnapshots.build(List.of(service), slices.getIndexer().byIndex(ServiceSnapshots.SLICES_BY_SERVICE, key), nodeIps);
            if (ports.isEmpty()) {
                next.remove(key);
                nextPorts.remove(key);
            } else {
                next.put(key, builder.buildService(ports));
                nextPorts.put(key, ports);
            }
        }
        next.put(NODE_PART, builder.nodeAddresses());
        List<ServicePortInfo> allPorts = new ArrayList<>();
        nextPorts.values().forEach(allPorts::addAll);
        if (options.networkPolicy() && (full || policiesDirty)) {
            Ruleset policyPart = new Ruleset();
            if (!currentPolicies.isEmpty()) {
                new PolicyRulesBuilder(options.nodeName(), policyInputs.pods(), policyInputs.namespaces(),
                        currentPolicies).addTo(policyPart);
            }
            next.put(POLICY_PART, policyPart);
        }

        String tx;
        if (full) {
            hairpin.clear();
            hairpin.update(List.of(), allPorts);
            List<Ruleset> all = new ArrayList<>(next.values());
            all.add(hairpin.ruleset());
            tx = renderer.full(Ruleset.merge(all));
        } else {
            StringBuilder diff = new StringBuilder();
            List<ServicePortInfo> removedPorts = new ArrayList<>();
            List<ServicePortInfo> addedPorts = new ArrayList<>();
            for (String key : changed) {
                removedPorts.addAll(appliedPorts.getOrDefault(key, List.of()));
                addedPorts.addAll(nextPorts.getOrDefault(key, List.of()));
            }
            // if nft refuses the transaction the counts are wrong, but the failure forces a full sync, which recounts
            HairpinEndpoints.Change hairpinChange = hairpin.update(removedPorts, addedPorts);
            diff.append(renderer.incremental(hairpinChange.before(), hairpinChange.after()));
            Set<String> parts = new TreeSet<>(changed);
            if (policiesDirty) {
                parts.add(POLICY_PART);
            }
            for (String part : parts) {
                diff.append(renderer.incremental(applied.getOrDefault(part, EMPTY), next.getOrDefault(part, EMPTY)));
            }
            tx = diff.toString();
        }
        long built = System.nanoTime();
        LOG.trace("nft transaction:\n{}", tx);
        try {
            if (!tx.isEmpty()) {
                nft.apply(tx);
            }
        } catch (NftException e) {
            metrics.recordFailure();
            applied = null;
            throw e;
        }
        applied = next;
        appliedPorts = nextPorts;
        appliedNodeIps = nodeIps;
        if (full) {
            lastFullSync = System.currentTimeMillis();
        }
        long inKernel = System.nanoTime();
        removeStaleUdpFlows(allPorts);
        double seconds = (System.nanoTime() - start) / 1e9;
        int rules = next.values().stream().mapToInt(Ruleset::ruleCount).sum();
        metrics.recordSync(full, seconds, TableSkeleton.ruleCount() + rules, System.currentTimeMillis());
        LOG.debug("proxy {} sync: {} service ports, {} rules in {} ms ({} ms to compute, {} ms in nft for {} lines)",
                full ? "full" : "partial", allPorts.size(), rules, Math.round(seconds * 1000),
                (built - start) / 1_000_000, (inKernel - built) / 1_000_000, tx.lines().count());
    }

    /**
     * The NetworkPolicies as they are now, with the pods and namespaces held while there is one and let go without.
     * Holding them lists them first; when that fails, nothing of this sync has been taken yet but the policy change,
     * which is put back for the retry.
     */
    private List<NetworkPolicy> policyInputsFor(boolean policiesDirty) {
        List<NetworkPolicy> current = policies.getStore().list();
        if (current.isEmpty()) {
            policyInputs.close();
            return current;
        }
        try {
            policyInputs.hold();
        } catch (RuntimeException e) {
            policiesChanged |= policiesDirty;
            throw e;
        }
        return current;
    }

    /** After the rules: from now on new flows go to current endpoints only, so old ones can be dropped. */
    private void removeStaleUdpFlows(List<ServicePortInfo> ports) {
        if (staleUdpFlows == null) {
            return;
        }
        try {
            int deleted = staleUdpFlows.clean(ports);
            if (deleted > 0) {
                LOG.debug("removed {} groups of stale UDP conntrack entries", deleted);
            }
        } catch (Conntrack.ConntrackException e) {
            // the rules are right; stale flows only last until they time out. The next change tries again.
            LOG.warn("cannot remove stale UDP conntrack entries: {}", e.getMessage());
        }
    }

    private List<String> nodeIps() {
        if (!options.nodeIps().isEmpty()) {
            return options.nodeIps();
        }
        List<String> ips = new ArrayList<>();
        for (Node node : nodes.getStore().list()) {
            if (!options.nodeName().equals(node.getMetadata().getName()) || node.getStatus() == null
                    || node.getStatus().getAddresses() == null) {
                continue;
            }
            for (NodeAddress address : node.getStatus().getAddresses()) {
                boolean nodeAddress = "InternalIP".equals(address.getType()) || "ExternalIP".equals(address.getType());
                if (nodeAddress && address.getAddress() != null && !address.getAddress().contains(":")
                        && !ips.contains(address.getAddress())) {
                    ips.add(address.getAddress());
                }
            }
        }
        return ips;
    }

    /** The proxy's metrics in the Prometheus text format, for a {@code /metrics} endpoint. */
    public String metricsText() {
        return metrics.text();
    }

    /** The proxy's sync counters (last sync duration, rule count), for benchmarks and tests. */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** Number of successful syncs so far (tests use it to wait for a sync). */
    public long syncCount() {
        return metrics.syncs();
    }

    public ProxyOptions options() {
        return options;
    }

    /**
     * Stops watching but leaves the table in place, so that Services keep working until the next proxy
     * (a restart, an upgrade) replaces the table with its first full sync.
     */
    public void detach() {
        synchronized (this) {
            closed = true;
        }
        stopInformers();
        runner.close();
    }

    /** Stops watching and removes the table. */
    @Override
    public void close() {
        detach();
        try {
            nft.deleteTable(options.tableName());
        } catch (NftException e) {
            LOG.warn("cannot remove table {}: {}", options.tableName(), e.getMessage());
        }
    }

    private void stopInformers() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
        if (policyInputs != null) {
            policyInputs.close();
        }
    }
}
