package io.kube4j.proxy.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;
import io.kube4j.proxy.nft.NftException;
import io.kube4j.proxy.nft.NftExecutor;
import io.kube4j.proxy.sync.SyncRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The pod network across nodes, host-gw style (flannel's host-gw backend, without flannel): watches the Node
 * objects and keeps one kernel route per other node, {@code <its podCIDR> via <its InternalIP>}, plus the
 * masquerade rule for traffic that leaves the cluster CIDR. Each sync compares the kernel with the Nodes and fixes
 * the difference, so a start after a crash, a node that went away or a changed CIDR all come out right.
 * Needs the nodes on one link (as host-gw does): a next hop that is not directly reachable is refused by the
 * kernel and logged.
 */
public final class PodRoutes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PodRoutes.class);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(2);

    private final PodNetworkOptions options;
    private final KernelRoutes kernel;
    private final PodNetworkMasquerade masquerade;
    private final SyncRunner runner;
    private final ScheduledExecutorService resync;
    private final Set<String> reportedFailures = new HashSet<>();
    private volatile SharedIndexInformer<Node> nodes;
    private volatile boolean closed;
    private volatile long syncs;

    private PodRoutes(PodNetworkOptions options) {
        this.options = options;
        this.kernel = new KernelRoutes(options.ipCommand());
        this.masquerade = new PodNetworkMasquerade(new NftExecutor(options.nftCommand()), options.tableName(),
                options.clusterCidr());
        this.runner = new SyncRunner("kube4j-pod-routes", Duration.ofMillis(200), this::syncQuietly);
        this.resync = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kube4j-pod-routes-resync");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Installs the masquerade rule, starts watching Nodes and syncs the routes once before returning.
     *
     * @throws NftException when the masquerade rule is refused (nft missing, no permission)
     */
    public static PodRoutes start(KubernetesClient client, PodNetworkOptions options) throws NftException {
        PodRoutes routes = new PodRoutes(options);
        try {
            routes.masquerade.apply();
            // the JVM's shared Node informer (the proxy reads the same nodes), trimmed to what its readers need: for
            // the routes, the nodes' pod CIDRs and addresses
            SharedIndexInformer<Node> informer = SharedInformers.lease(client, InformedResource.NODES);
            informer.addEventHandler(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node obj) {
                    routes.runner.request();
                }

                @Override
                public void onUpdate(Node oldObj, Node newObj) {
                    if (!Objects.equals(DesiredRoutes.podCidr(oldObj), DesiredRoutes.podCidr(newObj))
                            || !Objects.equals(DesiredRoutes.internalIp(oldObj), DesiredRoutes.internalIp(newObj))) {
                        routes.runner.request();
                    }
                }

                @Override
                public void onDelete(Node obj, boolean deletedFinalStateUnknown) {
                    routes.runner.request();
                }
            });
            try {
                informer.run();
            } catch (RuntimeException e) {
                informer.close();
                throw e;
            }
            // only now: a sync before the first list would take the nodes not yet listed for nodes that are gone
            routes.nodes = informer;
            routes.sync();
        } catch (NftException | RuntimeException e) {
            routes.close();
            throw e;
        }
        long every = options.resyncInterval().toMillis();
        routes.resync.scheduleWithFixedDelay(routes.runner::request, every, every, TimeUnit.MILLISECONDS);
        return routes;
    }

    private void syncQuietly() {
        try {
            sync();
        } catch (RuntimeException e) {
            LOG.warn("pod route sync failed, retrying: {}", e.getMessage());
            runner.requestAfter(RETRY_DELAY);
        }
    }

    private synchronized void sync() {
        SharedIndexInformer<Node> informer = nodes;
        if (closed || informer == null) {
            return;
        }
        Map<String, String> desired = DesiredRoutes.of(informer.getStore().list(), options.nodeName());
        Map<String, String> current;
        try {
            current = kernel.list();
        } catch (KernelRoutes.RouteException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        boolean failed = false;
        for (String destination : current.keySet()) {
            if (!desired.containsKey(destination)) {
                failed |= !attempt(() -> kernel.delete(destination), "remove the route to " + destination);
            }
        }
        for (var route : desired.entrySet()) {
            if (!route.getValue().equals(current.get(route.getKey()))) {
                failed |= !attempt(() -> kernel.replace(route.getKey(), route.getValue()),
                        "route " + route.getKey() + " via " + route.getValue());
            }
        }
        syncs++;
        if (failed) {
            // an unreachable next hop may become reachable (an address added later): try again, not in a tight loop
            runner.requestAfter(RETRY_DELAY.multipliedBy(5));
        }
    }

    private interface RouteChange {
        void run() throws KernelRoutes.RouteException;
    }

    private boolean attempt(RouteChange change, String what) {
        try {
            change.run();
            reportedFailures.remove(what);
            return true;
        } catch (KernelRoutes.RouteException e) {
            // once per problem, not on every retry
            if (reportedFailures.add(what)) {
                LOG.warn("cannot {}: {}", what, e.getMessage());
            }
            return false;
        }
    }

    /** Number of completed syncs (tests wait on it). */
    public long syncCount() {
        return syncs;
    }

    /** Stops watching and removes the routes and the masquerade rule this node added. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        resync.shutdownNow();
        runner.close();
        if (nodes != null) {
            nodes.close();
        }
        try {
            for (String destination : kernel.list().keySet()) {
                kernel.delete(destination);
            }
        } catch (KernelRoutes.RouteException e) {
            LOG.warn("cannot remove pod routes: {}", e.getMessage());
        }
        try {
            masquerade.remove();
        } catch (NftException e) {
            LOG.warn("cannot remove table {}: {}", options.tableName(), e.getMessage());
        }
    }
}
