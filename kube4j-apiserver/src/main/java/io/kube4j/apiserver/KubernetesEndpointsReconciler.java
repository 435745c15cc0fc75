package io.kube4j.apiserver;

import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.KeyValue;
import io.kube4j.store.Store;
import io.kube4j.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Keeps the Endpoints and EndpointSlice {@code default/kubernetes} pointing at the API servers, as upstream's lease
 * endpoint reconciler does: each API server holds a store key {@code /masterleases/<ip>} on a short store lease,
 * renewed on each pass of {@link KubernetesServiceController}'s loop (every 10 s), and writes the addresses of every
 * live key into both objects (one port, {@code https}, the secure port). A server that stops withdraws its key at
 * once; one that dies drops out when its lease expires. Objects that differ (edited by hand, or another port after
 * a restart) are rewritten.
 */
public final class KubernetesEndpointsReconciler implements AutoCloseable {

    static final String LEASE_PREFIX = "/masterleases/";
    /** Upstream's endpoint reconciler lease TTL: a little more than the 10 s between passes. */
    static final long LEASE_TTL_SECONDS = 15;
    static final String NAMESPACE = "default";
    static final String NAME = "kubernetes";
    static final String PORT_NAME = "https";
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    static final String SKIP_MIRROR_LABEL = "endpointslice.kubernetes.io/skip-mirror";

    private static final Logger LOG = LoggerFactory.getLogger(KubernetesEndpointsReconciler.class);

    private final GenericRegistry endpoints;
    private final GenericRegistry slices;
    private final Store store;
    private final String ip;
    private final int port;
    private long lease = Store.NO_LEASE;

    public KubernetesEndpointsReconciler(Resources resources, Store store, String ip, int port) {
        this.endpoints = resources.find("", "v1", "endpoints").orElseThrow();
        this.slices = resources.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
        this.store = store;
        this.ip = ip;
        this.port = port;
    }

    /** Renews this server's lease, then writes the live servers' addresses into the Endpoints and EndpointSlice. */
    synchronized void reconcile() {
        renewLease();
        sync(liveAddresses());
    }

    /** The addresses of the API servers whose lease is alive, sorted (upstream sorts them too). */
    List<String> liveAddresses() {
        TreeSet<String> ips = new TreeSet<>();
        for (KeyValue kv : store.list(LEASE_PREFIX).items()) {
            ips.add(kv.key().substring(LEASE_PREFIX.length()));
        }
        return new ArrayList<>(ips);
    }

    private void renewLease() {
        String key = LEASE_PREFIX + ip;
        if (lease != Store.NO_LEASE) {
            try {
                store.keepAlive(lease);
                if (store.get(key).isPresent()) {
                    return;
                }
            } catch (StoreException.LeaseNotFound e) {
                lease = Store.NO_LEASE; // expired (the store was unreachable for a while): take a new one
            }
        }
        if (lease == Store.NO_LEASE) {
            lease = store.grantLease(LEASE_TTL_SECONDS);
        }
        byte[] value = ip.getBytes(StandardCharsets.UTF_8);
        // a key left by an earlier run of this server may still be there on its old lease: moved to ours
        var existing = store.get(key);
        if (existing.isEmpty()) {
            try {
                store.create(key, value, lease);
                return;
            } catch (StoreException.KeyExists e) {
                // written meanwhile: updated below
            }
        }
        store.update(key, value, Store.ANY_REVISION, lease);
    }

    private void sync(List<String> ips) {
        reset(endpoints, desiredEndpoints(ips), ips, "subsets");
        reset(slices, desiredSlice(ips), ips, "endpoints", "ports", "addressType");
    }

    /**
     * Creates {@code want}, or puts back its labels and the given top-level fields when the stored object differs
     * in any of them (other fields, e.g. annotations somebody added, are left alone).
     */
    private void reset(GenericRegistry registry, ObjectNode want, List<String> ips, String... fields) {
        ObjectNode current = registry.find(NAMESPACE, NAME).orElse(null);
        if (current == null) {
            Bootstrap.createIgnoringExisting(() -> registry.create(NAMESPACE, want, false,
                    GenericRegistry.SERVER_MANAGER));
            return;
        }
        JsonNode labels = want.path("metadata").path("labels");
        boolean same = current.path("metadata").path("labels").equals(labels);
        for (String field : fields) {
            same &= current.path(field).equals(want.path(field));
        }
        if (same) {
            return;
        }
        LOG.info("resetting {} {}/{} to {}:{}", want.path("kind").asString(), NAMESPACE, NAME, ips, port);
        // the registry compares the result with what it read: changed on a copy
        registry.guaranteedUpdate(NAMESPACE, NAME, true, false, false, GenericRegistry.SERVER_MANAGER, read -> {
            ObjectNode next = read.deepCopy();
            for (String field : fields) {
                next.set(field, want.get(field).deepCopy());
            }
            Json.metadata(next).set("labels", labels.deepCopy());
            return next;
        });
    }

    /**
     * Upstream's shape: one subset, the addresses and the {@code https} port. skip-mirror, because the slice is
     * written here and the mirroring controller must not write a second one.
     */
    ObjectNode desiredEndpoints(List<String> ips) {
        ObjectNode ep = Json.object("v1", "Endpoints", NAMESPACE, NAME);
        Json.metadata(ep).putObject("labels").put(SKIP_MIRROR_LABEL, "true");
        ArrayNode subsets = ep.putArray("subsets");
        if (!ips.isEmpty()) {
            ObjectNode subset = subsets.addObject();
            ArrayNode addresses = subset.putArray("addresses");
            for (String address : ips) {
                addresses.addObject().put("ip", address);
            }
            subset.putArray("ports").addObject().put("name", PORT_NAME).put("port", port).put("protocol", "TCP");
        }
        return ep;
    }

    /** Upstream's shape: named like the Service, only the service-name label, every address ready. */
    ObjectNode desiredSlice(List<String> ips) {
        ObjectNode slice = Json.object("discovery.k8s.io/v1", "EndpointSlice", NAMESPACE, NAME);
        Json.metadata(slice).putObject("labels").put(SERVICE_NAME_LABEL, NAME);
        slice.put("addressType", ips.stream().allMatch(a -> a.contains(":")) && !ips.isEmpty() ? "IPv6" : "IPv4");
        ArrayNode list = slice.putArray("endpoints");
        for (String address : ips) {
            ObjectNode endpoint = list.addObject();
            endpoint.putArray("addresses").add(address);
            endpoint.putObject("conditions").put("ready", true);
        }
        slice.putArray("ports").addObject().put("name", PORT_NAME).put("protocol", "TCP").put("port", port);
        return slice;
    }

    /**
     * Withdraws this server's address (upstream's RemoveEndpoints on shutdown), so clients are not sent to a server
     * that is gone while its lease would still run. The caller has stopped calling {@link #reconcile}.
     */
    @Override
    public synchronized void close() {
        try {
            if (lease != Store.NO_LEASE) {
                store.revokeLease(lease);
                lease = Store.NO_LEASE;
            }
            sync(liveAddresses());
        } catch (RuntimeException e) {
            LOG.warn("cannot withdraw {} from the endpoints of service {}/{}: {}", ip, NAMESPACE, NAME,
                    e.getMessage());
        }
    }
}
