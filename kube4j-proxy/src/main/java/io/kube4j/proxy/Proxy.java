package io.kube4j.proxy;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.metrics.ProxyMetrics;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServiceSnapshots;
import io.kube4j.proxy.nft.NftException;
import io.kube4j.proxy.nft.NftExecutor;
import io.kube4j.proxy.nft.NftRenderer;
import io.kube4j.proxy.nft.Ruleset;
import io.kube4j.proxy.nft.TableSkeleton;
import io.kube4j.proxy.policy.PolicyRulesBuilder;
import io.kube4j.proxy.rules.RulesetBuilder;
import io.kube4j.proxy.sync.SyncRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The service proxy: watches Services, EndpointSlices and Nodes (and, for NetworkPolicy, Pods, Namespaces
 * and NetworkPolicies) through the API and keeps one nftables table in step with them. The first sync (and any sync after a failure) rewrites the whole table; later
 * syncs only touch what changed.
 */
public final class Proxy implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Proxy.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);

    private final ProxyOptions options;
    private final NftExecutor nft;
    private final NftRenderer renderer;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final List<SharedIndexInformer<?>> informers = new ArrayList<>();
    // assigned while events may already arrive; a sync before all informers exist is skipped (start syncs)
    private volatile SharedIndexInformer<Service> services;
    private volatile SharedIndexInformer<EndpointSlice> slices;
    private volatile SharedIndexInformer<Node> nodes;
    private volatile SharedIndexInformer<Pod> pods;
    private volatile SharedIndexInformer<Namespace> namespaces;
    private volatile SharedIndexInformer<NetworkPolicy> policies;
    private volatile boolean informersStarted;
    private final SyncRunner runner;
    private Ruleset applied;
    private long lastFullSync;
    private volatile boolean closed;

    private Proxy(ProxyOptions options) {
        this.options = options;
        this.nft = new NftExecutor(options.nftCommand());
        this.renderer = new NftRenderer(options.tableName(), options.serviceCidr());
        this.runner = new SyncRunner("kube4j-proxy-sync", options.minSyncInterval(), this::syncQuietly);
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
        ResourceEventHandler<Object> handler = new ResourceEventHandler<>() {
            @Override
            public void onAdd(Object obj) {
                runner.request();
            }

            @Override
            public void onUpdate(Object oldObj, Object newObj) {
                runner.request();
            }

            @Override
            public void onDelete(Object obj, boolean deletedFinalStateUnknown) {
                runner.request();
            }
        };
        services = client.services().inAnyNamespace().inform(cast(handler), 0);
        informers.add(services);
        slices = client.discovery().v1().endpointSlices().inAnyNamespace().inform(cast(handler), 0);
        informers.add(slices);
        if (options.nodeIps().isEmpty()) {
            nodes = client.nodes().inform(cast(handler), 0);
            informers.add(nodes);
        }
        if (options.networkPolicy()) {
            pods = client.pods().inAnyNamespace().inform(cast(handler), 0);
            informers.add(pods);
            namespaces = client.namespaces().inform(cast(handler), 0);
            informers.add(namespaces);
            policies = client.network().v1().networkPolicies().inAnyNamespace().inform(cast(handler), 0);
            informers.add(policies);
        }
        informersStarted = true;
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
        }
    }

    private synchronized void sync() throws NftException {
        if (closed || !informersStarted) {
            return;
        }
        long start = System.nanoTime();
        List<String> nodeIps = nodeIps();
        List<ServicePortInfo> ports = ServiceSnapshots.build(services.getStore().list(), slices.getStore().list(),
                nodeIps);
        Ruleset next = new RulesetBuilder(options.nodeName(), options.clusterCidr(), nodeIps).build(ports);
        if (options.networkPolicy()) {
            new PolicyRulesBuilder(options.nodeName(), pods.getStore().list(), namespaces.getStore().list(),
                    policies.getStore().list()).addTo(next);
        }
        boolean full = applied == null
                || System.currentTimeMillis() - lastFullSync > options.fullSyncInterval().toMillis();
        String tx = full ? renderer.full(next) : renderer.incremental(applied, next);
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
        if (full) {
            lastFullSync = System.currentTimeMillis();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        metrics.recordSync(full, seconds, TableSkeleton.ruleCount() + next.ruleCount(), System.currentTimeMillis());
        LOG.debug("proxy {} sync: {} service ports, {} rules in {} ms", full ? "full" : "partial", ports.size(),
                next.ruleCount(), Math.round(seconds * 1000));
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
            nft.apply(renderer.deleteTable());
        } catch (NftException e) {
            LOG.warn("cannot remove table {}: {}", options.tableName(), e.getMessage());
        }
    }

    private void stopInformers() {
        informers.forEach(SharedIndexInformer::close);
        informers.clear();
    }
}
