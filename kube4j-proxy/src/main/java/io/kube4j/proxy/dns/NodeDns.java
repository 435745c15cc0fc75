package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * The cluster DNS as one node serves it: a {@link ClusterDns} on the node's own address, published as this node's
 * endpoint of the {@code kube-system/kube-dns} Service, whose ClusterIP the kubelet writes into pods'
 * resolv.conf. The proxy's rules carry pod traffic from the ClusterIP to the node address, as they would to a
 * CoreDNS pod.
 */
public final class NodeDns implements AutoCloseable {

    private final KubernetesClient client;
    private final String nodeName;
    private final ClusterDns server;

    private NodeDns(KubernetesClient client, String nodeName, ClusterDns server) {
        this.client = client;
        this.nodeName = nodeName;
        this.server = server;
    }

    /**
     * Listens on {@code options.bindAddress()} (the node IP) and {@code options.port()}, then makes sure the
     * Service exists at the tenth address of {@code serviceCidr} and publishes the node's endpoint.
     *
     * @throws IOException when the address cannot be bound (another DNS server on port 53, say)
     */
    public static NodeDns start(KubernetesClient client, String nodeName, String serviceCidr, DnsOptions options)
            throws IOException {
        String clusterIp = KubeDnsService.clusterIp(serviceCidr);
        InetSocketAddress self = new InetSocketAddress(options.bindAddress(), options.port());
        // forwarding to ourselves (a resolv.conf naming the node address) would loop until every query timed out
        List<InetSocketAddress> upstreams = options.upstreams().stream().filter(u -> !u.equals(self)).toList();
        ClusterDns server;
        try {
            server = ClusterDns.start(client, options.withUpstreams(upstreams));
        } catch (BindException e) {
            throw new IOException("cannot serve cluster DNS on " + options.bindAddress() + ":" + options.port() + " ("
                    + e.getMessage() + "): stop what listens there, or pass --disable-dns", e);
        }
        try {
            KubeDnsService.ensureService(client, clusterIp);
            KubeDnsService.publish(client, nodeName, options.bindAddress(), server.address().getPort());
        } catch (KubernetesClientException e) {
            server.close();
            throw new IOException("cannot publish the cluster DNS service: " + e.getMessage(), e);
        }
        return new NodeDns(client, nodeName, server);
    }

    /** Where the server listens. */
    public InetSocketAddress address() {
        return server.address();
    }

    @Override
    public void close() {
        KubeDnsService.withdraw(client, nodeName);
        server.close();
    }
}
