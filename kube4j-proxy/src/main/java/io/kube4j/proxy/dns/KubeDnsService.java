package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.proxy.model.ServiceSnapshots;
import io.kube4j.proxy.net.Ipv4;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;

/**
 * The {@code kube-system/kube-dns} Service pods are told to use, and one EndpointSlice per node that serves DNS.
 * The Service has no selector: like k3s's CoreDNS it is an ordinary ClusterIP that the proxy load-balances, but
 * its endpoints are the in-process DNS servers on the nodes' own addresses, so every slice is written here
 * rather than by the EndpointSlice controller (which leaves selector-less Services alone).
 */
public final class KubeDnsService {

    public static final String NAMESPACE = "kube-system";
    public static final String NAME = "kube-dns";
    /** The managed-by label of the slices written here, so the EndpointSlice controller never claims them. */
    public static final String MANAGED_BY = "kube4j-dns";
    static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    static final String UDP_PORT_NAME = "dns";
    static final String TCP_PORT_NAME = "dns-tcp";
    /** The Service port clients use; a DNS server may listen elsewhere (the slice says where). */
    static final int SERVICE_PORT = 53;

    private static final Logger LOG = LoggerFactory.getLogger(KubeDnsService.class);

    private KubeDnsService() {
    }

    /** The tenth address of the service network, where upstream and k3s put the cluster DNS (10.43.0.10). */
    public static String clusterIp(String serviceCidr) {
        String[] parts = serviceCidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + serviceCidr);
        }
        int bits = Integer.parseInt(parts[1]);
        if (bits < 0 || bits > 28) {
            throw new IllegalArgumentException("service CIDR " + serviceCidr + " is too small for the DNS address");
        }
        long network = Ipv4.toLong(parts[0]) & (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        return Ipv4.toString(network + 10);
    }

    /** The name of the slice a node's DNS server is published in. */
    public static String sliceName(String nodeName) {
        return NAME + "-" + nodeName;
    }

    static Service desiredService(String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(NAME).withNamespace(NAMESPACE)
                .addToLabels("k8s-app", "kube-dns").addToLabels("kubernetes.io/name", "kube4j-dns")
                .addToLabels("kubernetes.io/cluster-service", "true").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp)
                .addNewPort().withName(UDP_PORT_NAME).withProtocol("UDP").withPort(SERVICE_PORT)
                .withNewTargetPort(SERVICE_PORT).endPort()
                .addNewPort().withName(TCP_PORT_NAME).withProtocol("TCP").withPort(SERVICE_PORT)
                .withNewTargetPort(SERVICE_PORT).endPort()
                .endSpec().build();
    }

    static EndpointSlice nodeSlice(String nodeName, String ip, int port) {
        return new EndpointSliceBuilder().withNewMetadata().withName(sliceName(nodeName)).withNamespace(NAMESPACE)
                .addToLabels(ServiceSnapshots.SERVICE_NAME_LABEL, NAME).addToLabels(MANAGED_BY_LABEL, MANAGED_BY)
                .endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName(UDP_PORT_NAME).withProtocol("UDP").withPort(port).endPort()
                .addNewPort().withName(TCP_PORT_NAME).withProtocol("TCP").withPort(port).endPort()
                .addNewEndpoint().withAddresses(ip).withNodeName(nodeName)
                .withNewConditions().withReady(true).withServing(true).withTerminating(false).endConditions()
                .endEndpoint()
                .build();
    }

    /**
     * Creates the Service unless it exists. An existing one is kept as it is (an administrator may have changed
     * it); a different ClusterIP is reported, because pods are told the address computed from the CIDR.
     */
    public static void ensureService(KubernetesClient client, String clusterIp) {
        Service existing = client.services().inNamespace(NAMESPACE).withName(NAME).get();
        if (existing == null) {
            try {
                client.services().inNamespace(NAMESPACE).resource(desiredService(clusterIp)).create();
                return;
            } catch (KubernetesClientException e) {
                if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                    throw e;
                }
                existing = client.services().inNamespace(NAMESPACE).withName(NAME).get();
            }
        }
        String actual = existing == null || existing.getSpec() == null ? null : existing.getSpec().getClusterIP();
        if (actual != null && !actual.equals(clusterIp)) {
            LOG.warn("service {}/{} has ClusterIP {}, but pods are told to use {}: delete the service to let kube4j "
                    + "recreate it", NAMESPACE, NAME, actual, clusterIp);
        }
    }

    /** Publishes (or replaces) this node's DNS endpoint. */
    public static void publish(KubernetesClient client, String nodeName, String ip, int port) {
        EndpointSlice slice = nodeSlice(nodeName, ip, port);
        var slices = client.discovery().v1().endpointSlices().inNamespace(NAMESPACE);
        EndpointSlice existing = slices.withName(slice.getMetadata().getName()).get();
        if (existing == null) {
            slices.resource(slice).create();
        } else {
            slice.getMetadata().setResourceVersion(existing.getMetadata().getResourceVersion());
            slices.resource(slice).update();
        }
    }

    /** Removes this node's DNS endpoint, so clients stop being sent to a server that is gone. */
    public static void withdraw(KubernetesClient client, String nodeName) {
        try {
            client.discovery().v1().endpointSlices().inNamespace(NAMESPACE).withName(sliceName(nodeName)).delete();
        } catch (KubernetesClientException e) {
            LOG.warn("cannot remove the DNS endpoint of node {}: {}", nodeName, e.getMessage());
        }
    }
}
