package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.proxy.cache.InformedResource;
import io.kube4j.proxy.cache.SharedInformers;
import io.kube4j.proxy.model.ServiceSnapshots;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A ClusterView over the shared informers on Services, EndpointSlices and Pods (pods trimmed to their addresses:
 * {@link io.kube4j.proxy.cache.Trimmed#pod}), indexed for the lookups DNS makes.
 */
final class InformerClusterView implements ClusterView, AutoCloseable {

    /** fabric8's own namespace index. */
    private static final String BY_NAMESPACE = "namespace";
    private static final String BY_CLUSTER_IP = "kube4j-clusterIP";
    private static final String BY_POD_IP = "kube4j-podIP";

    private final SharedIndexInformer<Service> services;
    private final SharedIndexInformer<EndpointSlice> slices;
    private final SharedIndexInformer<Pod> pods;

    /** Leases the JVM's shared informers (the proxy and the kubelet read the same caches); {@link #start} runs them. */
    InformerClusterView(KubernetesClient client) {
        List<SharedIndexInformer<?>> leased = new ArrayList<>();
        try {
            services = lease(client, InformedResource.SERVICES, leased);
            slices = lease(client, InformedResource.ENDPOINT_SLICES, leased);
            pods = lease(client, InformedResource.PODS, leased);
            services.addIndexers(Map.<String, Function<Service, List<String>>>of(
                    BY_CLUSTER_IP, InformerClusterView::clusterIps));
            slices.addIndexers(Map.<String, Function<EndpointSlice, List<String>>>of(
                    ServiceSnapshots.SLICES_BY_SERVICE, ServiceSnapshots::serviceKeys));
            pods.addIndexers(Map.<String, Function<Pod, List<String>>>of(BY_POD_IP, InformerClusterView::podIps));
        } catch (RuntimeException e) {
            leased.forEach(SharedIndexInformer::close);
            throw e;
        }
    }

    private static <T extends HasMetadata> SharedIndexInformer<T> lease(KubernetesClient client,
                                                                        InformedResource<T> resource,
                                                                        List<SharedIndexInformer<?>> leased) {
        SharedIndexInformer<T> informer = SharedInformers.lease(client, resource);
        leased.add(informer);
        return informer;
    }

    /** Starts the informers (unless another component did) and waits for their first list. */
    void start() {
        services.run();
        slices.run();
        pods.run();
    }

    private static List<String> clusterIps(Service s) {
        if (s.getSpec() == null) {
            return List.of();
        }
        List<String> ips = new ArrayList<>();
        if (s.getSpec().getClusterIP() != null) {
            ips.add(s.getSpec().getClusterIP());
        }
        if (s.getSpec().getClusterIPs() != null) {
            s.getSpec().getClusterIPs().stream().filter(ip -> !ips.contains(ip)).forEach(ips::add);
        }
        ips.removeIf(ip -> ip.isEmpty() || ip.equals("None"));
        return ips;
    }

    private static List<String> podIps(Pod p) {
        if (p.getStatus() == null) {
            return List.of();
        }
        String ns = p.getMetadata().getNamespace();
        List<String> keys = new ArrayList<>();
        if (p.getStatus().getPodIPs() != null) {
            for (PodIP ip : p.getStatus().getPodIPs()) {
                keys.add(ns + "/" + ip.getIp());
            }
        }
        if (p.getStatus().getPodIP() != null && !keys.contains(ns + "/" + p.getStatus().getPodIP())) {
            keys.add(ns + "/" + p.getStatus().getPodIP());
        }
        return keys;
    }

    @Override
    public Optional<Service> service(String namespace, String name) {
        return Optional.ofNullable(services.getStore().getByKey(namespace + "/" + name));
    }

    @Override
    public List<EndpointSlice> endpointSlices(String namespace, String service) {
        return slices.getIndexer().byIndex(ServiceSnapshots.SLICES_BY_SERVICE, namespace + "/" + service);
    }

    @Override
    public boolean hasServices(String namespace) {
        return !services.getIndexer().byIndex(BY_NAMESPACE, namespace).isEmpty();
    }

    @Override
    public boolean podHasIp(String namespace, String ip) {
        return !pods.getIndexer().byIndex(BY_POD_IP, namespace + "/" + ip).isEmpty();
    }

    @Override
    public List<Service> servicesByClusterIp(String ip) {
        return services.getIndexer().byIndex(BY_CLUSTER_IP, ip);
    }

    @Override
    public void close() {
        services.close();
        slices.close();
        pods.close();
    }
}
