package io.kube4j.proxy.routes;

import io.kube4j.proxy.nft.NftException;
import io.kube4j.proxy.nft.NftExecutor;

/**
 * The masquerade rule of the pod network, in a small table of its own: pods keep their address when they talk
 * to pods (on any node, so the receiver sees the real client), and leave the cluster with the node's address.
 * Multicast is left alone, as flannel does.
 */
public final class PodNetworkMasquerade {

    private final NftExecutor nft;
    private final String table;
    private final String clusterCidr;

    public PodNetworkMasquerade(NftExecutor nft, String table, String clusterCidr) {
        this.nft = nft;
        this.table = table;
        this.clusterCidr = clusterCidr;
    }

    /** The transaction that (re)writes the whole table; atomic, so there is no moment without the rule. */
    String ruleset() {
        return "add table ip " + table + "\n"
                + "delete table ip " + table + "\n"
                + "table ip " + table + " {\n"
                + "  comment \"kube4j pod network: masquerade traffic leaving the cluster CIDR\"\n"
                + "  chain postrouting {\n"
                + "    type nat hook postrouting priority 110; policy accept;\n"
                + "    ip saddr " + clusterCidr + " ip daddr " + clusterCidr + " return\n"
                + "    ip saddr " + clusterCidr + " ip daddr != 224.0.0.0/4 masquerade fully-random\n"
                + "  }\n"
                + "}\n";
    }

    public void apply() throws NftException {
        nft.apply(ruleset());
    }

    public void remove() throws NftException {
        nft.deleteTable(table);
    }
}
