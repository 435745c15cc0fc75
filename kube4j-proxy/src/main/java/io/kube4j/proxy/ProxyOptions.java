package io.kube4j.proxy;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Settings of one proxy instance.
 *
 * @param nodeName         the Node this proxy runs on (its endpoints are "local")
 * @param nodeIps          addresses NodePorts and LoadBalancer ports are served on; empty: the Node's
 *                         InternalIP/ExternalIP addresses from the API
 * @param clusterCidr      the pod network; traffic from outside it to a ClusterIP is masqueraded
 * @param serviceCidr      the service network; addresses in it without a service are dropped
 * @param nftCommand       how to run nft, e.g. {@code [/usr/sbin/nft]} or {@code [ip, netns, exec, NS, nft]}
 * @param tableName        the nftables table (family ip)
 * @param minSyncInterval  minimum time between two syncs; changes in between are coalesced
 * @param fullSyncInterval how often the table is rewritten completely even when nothing failed
 * @param networkPolicy    whether to enforce NetworkPolicies for this node's pods (watches Pods, Namespaces
 *                         and NetworkPolicies)
 * @param conntrackCommand how to run conntrack, e.g. {@code [conntrack]}; empty: stale UDP flows are not removed
 */
public record ProxyOptions(String nodeName, List<String> nodeIps, String clusterCidr, String serviceCidr,
                           List<String> nftCommand, String tableName, Duration minSyncInterval,
                           Duration fullSyncInterval, boolean networkPolicy,
                           List<String> conntrackCommand) {

    public ProxyOptions {
        Objects.requireNonNull(nodeName, "nodeName");
        nodeIps = List.copyOf(nodeIps);
        nftCommand = List.copyOf(nftCommand);
        conntrackCommand = List.copyOf(conntrackCommand);
        if (nftCommand.isEmpty()) {
            throw new IllegalArgumentException("nftCommand is empty");
        }
        if (!tableName.matches("[A-Za-z][A-Za-z0-9_-]*")) {
            throw new IllegalArgumentException("bad table name " + tableName);
        }
    }

    /** Defaults: cluster CIDR 10.42.0.0/16, service CIDR 10.43.0.0/16, {@code nft}, table {@code kube4j}. */
    public static ProxyOptions defaults(String nodeName) {
        return new ProxyOptions(nodeName, List.of(), "10.42.0.0/16", "10.43.0.0/16", List.of("nft"), "kube4j",
                Duration.ofSeconds(1), Duration.ofHours(1), true, List.of("conntrack"));
    }

    public ProxyOptions withNodeIps(List<String> ips) {
        return new ProxyOptions(nodeName, ips, clusterCidr, serviceCidr, nftCommand, tableName, minSyncInterval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    public ProxyOptions withClusterCidr(String cidr) {
        return new ProxyOptions(nodeName, nodeIps, cidr, serviceCidr, nftCommand, tableName, minSyncInterval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    public ProxyOptions withServiceCidr(String cidr) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, cidr, nftCommand, tableName, minSyncInterval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    /** Runs nft from this path. */
    public ProxyOptions withNftPath(String path) {
        return withNftCommand(List.of(path));
    }

    public ProxyOptions withNftCommand(List<String> command) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, command, tableName, minSyncInterval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    public ProxyOptions withTableName(String name) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, nftCommand, name, minSyncInterval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    public ProxyOptions withMinSyncInterval(Duration interval) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, nftCommand, tableName, interval,
                fullSyncInterval, networkPolicy, conntrackCommand);
    }

    public ProxyOptions withNetworkPolicy(boolean enforce) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, nftCommand, tableName, minSyncInterval,
                fullSyncInterval, enforce, conntrackCommand);
    }

    public ProxyOptions withConntrackCommand(List<String> command) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, nftCommand, tableName, minSyncInterval,
                fullSyncInterval, networkPolicy, command);
    }

    /** Runs nft and conntrack inside the named network namespace. */
    public ProxyOptions inNetns(String netns) {
        return withNftCommand(List.of("ip", "netns", "exec", netns, "nft"))
                .withConntrackCommand(List.of("ip", "netns", "exec", netns, "conntrack"));
    }

    public ProxyOptions withFullSyncInterval(Duration interval) {
        return new ProxyOptions(nodeName, nodeIps, clusterCidr, serviceCidr, nftCommand, tableName, minSyncInterval,
                interval, networkPolicy, conntrackCommand);
    }
}
