package io.kube4j.proxy.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.kube4j.proxy.net.Ipv4;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The routes a node needs: every other node's IPv4 pod CIDR via that node's InternalIP (host-gw). */
public final class DesiredRoutes {

    private DesiredRoutes() {
    }

    /** Pod CIDR to next hop, for every node but {@code self} that has both. */
    public static Map<String, String> of(Collection<Node> nodes, String self) {
        Map<String, String> routes = new TreeMap<>();
        for (Node node : nodes) {
            if (node.getMetadata() == null || self.equals(node.getMetadata().getName())) {
                continue;
            }
            Optional<String> via = internalIp(node);
            Optional<String> cidr = podCidr(node);
            if (via.isPresent() && cidr.isPresent()) {
                routes.put(cidr.get(), via.get());
            }
        }
        return routes;
    }

    static Optional<String> podCidr(Node node) {
        if (node.getSpec() == null) {
            return Optional.empty();
        }
        if (node.getSpec().getPodCIDRs() != null) {
            for (String cidr : node.getSpec().getPodCIDRs()) {
                if (Ipv4.isCidr(cidr)) {
                    return Optional.of(normalize(cidr));
                }
            }
        }
        String cidr = node.getSpec().getPodCIDR();
        return Ipv4.isCidr(cidr) ? Optional.of(normalize(cidr)) : Optional.empty();
    }

    static Optional<String> internalIp(Node node) {
        if (node.getStatus() == null || node.getStatus().getAddresses() == null) {
            return Optional.empty();
        }
        for (NodeAddress address : node.getStatus().getAddresses()) {
            if ("InternalIP".equals(address.getType()) && address.getAddress() != null) {
                try {
                    Ipv4.toLong(address.getAddress());
                    return Optional.of(address.getAddress());
                } catch (IllegalArgumentException notIpv4) {
                    // an IPv6 address: this network is IPv4 only
                }
            }
        }
        return Optional.empty();
    }

    /** The network address of a CIDR, as the kernel prints it ({@code 10.42.1.7/24} is {@code 10.42.1.0/24}). */
    static String normalize(String cidr) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : (0xFFFFFFFFL << (32 - bits)) & 0xFFFFFFFFL;
        String network = Ipv4.toString(Ipv4.toLong(parts[0]) & mask);
        return bits == 32 ? network : network + "/" + bits;
    }
}
