package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.List;
import java.util.Optional;

/** What the DNS server needs to know about the cluster; answered from informer caches. */
public interface ClusterView {

    Optional<Service> service(String namespace, String name);

    /** The EndpointSlices of a Service. */
    List<EndpointSlice> endpointSlices(String namespace, String service);

    /** Whether any Service lives in {@code namespace}. */
    boolean hasServices(String namespace);

    /** Whether a Pod in {@code namespace} has the IP {@code ip}. */
    boolean podHasIp(String namespace, String ip);

    /** Services whose ClusterIP is {@code ip}. */
    List<Service> servicesByClusterIp(String ip);
}
