package io.kube4j.proxy.lb;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerStatus;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;
import io.kube4j.proxy.sync.SyncRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Gives LoadBalancer Services (without a loadBalancerClass) the addresses of the ready nodes as their
 * {@code status.loadBalancer.ingress}, as k3s's servicelb does; every proxy serves the port on its node's
 * addresses. Run one instance per cluster (on the server).
 */
public final class LoadBalancerStatusController implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerStatusController.class);

    private final KubernetesClient client;
    // set while events may already arrive: reconcile waits until both informers exist
    private volatile SharedIndexInformer<Service> services;
    private volatile SharedIndexInformer<Node> nodes;
    private final SyncRunner runner;

    private LoadBalancerStatusController(KubernetesClient client) {
        this.client = client;
        this.runner = new SyncRunner("kube4j-servicelb", Duration.ofMillis(200), this::reconcile);
        // the JVM's shared informers: on a server's node the proxy reads the same Services and Nodes
        try {
            this.services = informed(client, InformedResource.SERVICES);
            this.nodes = informed(client, InformedResource.NODES);
        } catch (RuntimeException e) {
            if (services != null) {
                services.close();
            }
            runner.close();
            throw e;
        }
    }

    private <T extends HasMetadata> SharedIndexInformer<T> informed(KubernetesClient client,
                                                                    InformedResource<T> resource) {
        SharedIndexInformer<T> informer = SharedInformers.lease(client, resource);
        try {
            return informer.addEventHandler(handler()).run();
        } catch (RuntimeException e) {
            informer.close();
            throw e;
        }
    }

    public static LoadBalancerStatusController start(KubernetesClient client) {
        LoadBalancerStatusController c = new LoadBalancerStatusController(client);
        c.runner.request();
        return c;
    }

    private <T> ResourceEventHandler<T> handler() {
        return new ResourceEventHandler<>() {
            @Override
            public void onAdd(T obj) {
                runner.request();
            }

            @Override
            public void onUpdate(T oldObj, T newObj) {
                runner.request();
            }

            @Override
            public void onDelete(T obj, boolean deletedFinalStateUnknown) {
                runner.request();
            }
        };
    }

    /**
     * The ingress addresses: each ready node's ExternalIP, or its InternalIP when it has none. Reads only what
     * {@link io.kube4j.proxy.cache.Trimmed#node} keeps.
     */
    static List<String> nodeAddresses(Collection<Node> nodes) {
        TreeSet<String> ips = new TreeSet<>();
        for (Node node : nodes) {
            if (node.getStatus() == null || node.getStatus().getAddresses() == null || !ready(node)) {
                continue;
            }
            List<String> external = new ArrayList<>();
            List<String> internal = new ArrayList<>();
            for (NodeAddress a : node.getStatus().getAddresses()) {
                if (a.getAddress() == null || a.getAddress().contains(":")) {
                    continue;
                }
                if ("ExternalIP".equals(a.getType())) {
                    external.add(a.getAddress());
                } else if ("InternalIP".equals(a.getType())) {
                    internal.add(a.getAddress());
                }
            }
            ips.addAll(external.isEmpty() ? internal : external);
        }
        return List.copyOf(ips);
    }

    private static boolean ready(Node node) {
        if (node.getStatus().getConditions() == null) {
            return true;
        }
        return node.getStatus().getConditions().stream()
                .noneMatch(c -> "Ready".equals(c.getType()) && !"True".equals(c.getStatus()));
    }

    private void reconcile() {
        if (services == null || nodes == null) {
            return;
        }
        List<String> ips = nodeAddresses(nodes.getStore().list());
        List<LoadBalancerIngress> ingress = ips.stream()
                .map(ip -> new LoadBalancerIngressBuilder().withIp(ip).withIpMode("VIP").build()).toList();
        for (Service svc : services.getStore().list()) {
            if (svc.getSpec() == null || !"LoadBalancer".equals(svc.getSpec().getType())
                    || svc.getSpec().getLoadBalancerClass() != null) {
                continue;
            }
            LoadBalancerStatus current = svc.getStatus() == null ? null : svc.getStatus().getLoadBalancer();
            List<String> currentIps = current == null || current.getIngress() == null ? List.of()
                    : current.getIngress().stream().map(LoadBalancerIngress::getIp).filter(Objects::nonNull).toList();
            if (currentIps.equals(ips)) {
                continue;
            }
            Service updated = new ServiceBuilder(svc).editOrNewStatus().withNewLoadBalancer().withIngress(ingress)
                    .endLoadBalancer().endStatus().build();
            try {
                client.services().inNamespace(svc.getMetadata().getNamespace()).resource(updated).updateStatus();
            } catch (KubernetesClientException e) {
                LOG.debug("cannot update load balancer status of {}/{}: {}", svc.getMetadata().getNamespace(),
                        svc.getMetadata().getName(), e.getMessage());
                runner.requestAfter(Duration.ofSeconds(1));
            }
        }
    }

    @Override
    public void close() {
        services.close();
        nodes.close();
        runner.close();
    }
}
