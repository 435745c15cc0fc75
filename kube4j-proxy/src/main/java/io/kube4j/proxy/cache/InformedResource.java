package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.dsl.Informable;

import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A resource the worker's components inform themselves of, as {@link SharedInformers} shares it: what to list and
 * watch, and how each object is trimmed in the one cache all of them read. A trim keeps the union of what every
 * reader of that resource reads (see {@link Trimmed}), so adding a reader means checking its reads against the trim.
 *
 * @param name   for logs and tests
 * @param source the list/watch of every object of the resource, through a given client
 * @param trim   what is kept of each object (it may return the object it is given, changed)
 */
public record InformedResource<T extends HasMetadata>(String name, Function<KubernetesClient, Informable<T>> source,
                                                     UnaryOperator<T> trim) {

    /** Read whole by the proxy, cluster DNS, the load balancer status and the kubelet (service env vars). */
    public static final InformedResource<Service> SERVICES = new InformedResource<>("services",
            c -> c.services().inAnyNamespace(), Trimmed::withoutManagedFields);
    /** Read whole by the proxy and cluster DNS. */
    public static final InformedResource<EndpointSlice> ENDPOINT_SLICES = new InformedResource<>("endpointslices",
            c -> c.discovery().v1().endpointSlices().inAnyNamespace(), Trimmed::withoutManagedFields);
    /** The proxy's node addresses, the pod routes and the load balancer status. */
    public static final InformedResource<Node> NODES = new InformedResource<>("nodes", KubernetesClient::nodes,
            Trimmed::node);
    /** Every pod of the cluster: NetworkPolicy rules and cluster DNS pod records. */
    public static final InformedResource<Pod> PODS = new InformedResource<>("pods",
            c -> c.pods().inAnyNamespace(), Trimmed::pod);
    /** NetworkPolicy namespace selectors. */
    public static final InformedResource<Namespace> NAMESPACES = new InformedResource<>("namespaces",
            KubernetesClient::namespaces, Trimmed::namespace);
    public static final InformedResource<NetworkPolicy> NETWORK_POLICIES = new InformedResource<>("networkpolicies",
            c -> c.network().v1().networkPolicies().inAnyNamespace(), Trimmed::withoutManagedFields);

    /** The item store that trims as it keeps. */
    ItemStore<T> store() {
        return new TrimmingStore<>(trim);
    }

    @Override
    public String toString() {
        return name;
    }
}
