package io.kube4j.proxy.routes;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the pod network between nodes.
 *
 * @param nodeName       this node; its own pod CIDR is on its bridge, not routed
 * @param clusterCidr    the whole pod network; traffic from it to outside it is masqueraded
 * @param ipCommand      how to run iproute2, e.g. {@code [ip]} or {@code [ip, -n, NS]}
 * @param nftCommand     how to run nft, e.g. {@code [nft]} or {@code [ip, netns, exec, NS, nft]}
 * @param tableName      the nftables table (family ip) of the masquerade rule
 * @param resyncInterval how often the kernel is compared with the Node objects even when nothing changed, so
 *                       a route deleted by hand comes back
 */
public record PodNetworkOptions(String nodeName, String clusterCidr, List<String> ipCommand, List<String> nftCommand,
                                String tableName, Duration resyncInterval) {

    public PodNetworkOptions {
        Objects.requireNonNull(nodeName, "nodeName");
        Objects.requireNonNull(clusterCidr, "clusterCidr");
        ipCommand = List.copyOf(ipCommand);
        nftCommand = List.copyOf(nftCommand);
        if (!tableName.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("bad table name " + tableName);
        }
    }

    /** {@code ip} and {@code nft} in the current namespace, table {@code kube4j-podnet}, resync every minute. */
    public static PodNetworkOptions defaults(String nodeName, String clusterCidr) {
        return new PodNetworkOptions(nodeName, clusterCidr, List.of("ip"), List.of("nft"), "kube4j-podnet",
                Duration.ofMinutes(1));
    }

    /** Runs every command inside the named network namespace. */
    public PodNetworkOptions inNetns(String netns) {
        return new PodNetworkOptions(nodeName, clusterCidr, List.of("ip", "-n", netns),
                List.of("ip", "netns", "exec", netns, "nft"), tableName, resyncInterval);
    }

    public PodNetworkOptions withResyncInterval(Duration interval) {
        return new PodNetworkOptions(nodeName, clusterCidr, ipCommand, nftCommand, tableName, interval);
    }
}
