package io.kube4j.proxy.nft;

import java.util.List;

/**
 * The fixed part of the proxy table: hook chains, the dispatch chains and the sets and verdict maps the
 * per-service rules fill in. Its layout follows upstream kube-proxy's nftables mode.
 */
public final class TableSkeleton {

    public static final String CLUSTER_IPS = "cluster-ips";
    public static final String NODEPORT_IPS = "nodeport-ips";
    /** {@code endpoint . endpoint} for every endpoint: after DNAT, a packet from an endpoint to itself is hairpin. */
    public static final String HAIRPIN_ENDPOINTS = "hairpin-endpoints";
    public static final String SERVICE_IPS = "service-ips";
    public static final String SERVICE_NODEPORTS = "service-nodeports";
    public static final String NO_ENDPOINT_SERVICES = "no-endpoint-services";
    public static final String NO_ENDPOINT_NODEPORTS = "no-endpoint-nodeports";
    public static final String POLICY_INGRESS_PODS = "policy-ingress-pods";
    public static final String POLICY_EGRESS_PODS = "policy-egress-pods";
    public static final String MARK_FOR_MASQUERADE = "mark-for-masquerade";
    public static final String REJECT_CHAIN = "reject-chain";
    /** The packet mark that asks the postrouting chain to masquerade, as upstream's 0x4000. */
    public static final String MASQUERADE_MARK = "0x4000";

    /** Names of the skeleton's sets and maps; plain sets have no verdict. */
    public static final List<String> SETS = List.of(CLUSTER_IPS, NODEPORT_IPS, HAIRPIN_ENDPOINTS);
    public static final List<String> MAPS = List.of(SERVICE_IPS, SERVICE_NODEPORTS, NO_ENDPOINT_SERVICES,
            NO_ENDPOINT_NODEPORTS, POLICY_INGRESS_PODS, POLICY_EGRESS_PODS);

    private TableSkeleton() {
    }

    /** The body of {@code table ip NAME { ... }} without per-service content. */
    public static String body(String serviceCidr) {
        return """
                  comment "rules for kube4j-proxy"
                  set cluster-ips { type ipv4_addr; comment "active ClusterIPs"; }
                  set nodeport-ips { type ipv4_addr; comment "addresses NodePorts are served on"; }
                  set hairpin-endpoints { type ipv4_addr . ipv4_addr; comment "endpoint . endpoint: a pod reaching itself through a service"; }
                  map service-ips { type ipv4_addr . inet_proto . inet_service : verdict; comment "ClusterIP, ExternalIP and LoadBalancer IP traffic"; }
                  map service-nodeports { type inet_proto . inet_service : verdict; comment "NodePort traffic"; }
                  map no-endpoint-services { type ipv4_addr . inet_proto . inet_service : verdict; comment "services without usable endpoints"; }
                  map no-endpoint-nodeports { type inet_proto . inet_service : verdict; comment "NodePorts without usable endpoints"; }
                  map policy-ingress-pods { type ipv4_addr : verdict; comment "local pods isolated for ingress"; }
                  map policy-egress-pods { type ipv4_addr : verdict; comment "local pods isolated for egress"; }
                  chain filter-input { type filter hook input priority -110; policy accept; ct state new jump nodeport-endpoints-check; ct state new jump service-endpoints-check; }
                  chain filter-forward { type filter hook forward priority -110; policy accept; ct state new jump service-endpoints-check; ct state new jump cluster-ips-check; }
                  chain filter-output { type filter hook output priority -110; policy accept; ct state new jump service-endpoints-check; }
                  chain filter-output-post-dnat { type filter hook output priority -90; policy accept; ct state new jump cluster-ips-check; }
                  chain policy-forward { type filter hook forward priority 0; policy accept; ct state established,related accept; ip daddr vmap @policy-ingress-pods; ip saddr vmap @policy-egress-pods; }
                  chain nat-prerouting { type nat hook prerouting priority -100; policy accept; jump services; }
                  chain nat-output { type nat hook output priority -100; policy accept; jump services; }
                  chain nat-postrouting { type nat hook postrouting priority 100; policy accept; ip saddr . ip daddr @hairpin-endpoints jump mark-for-masquerade; jump masquerading; }
                  chain mark-for-masquerade { meta mark set meta mark or 0x4000; }
                  chain masquerading { meta mark & 0x4000 == 0 return; meta mark set meta mark xor 0x4000; masquerade fully-random; }
                  chain services { ip daddr . meta l4proto . th dport vmap @service-ips; ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports; }
                  chain reject-chain { meta l4proto tcp reject with tcp reset; reject with icmp type port-unreachable; }
                  chain service-endpoints-check { ip daddr . meta l4proto . th dport vmap @no-endpoint-services; }
                  chain nodeport-endpoints-check { ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports; }
                  chain cluster-ips-check { ip daddr @cluster-ips reject comment "invalid port of a ClusterIP"; ip daddr SERVICE_CIDR drop comment "unallocated ClusterIP"; }
                """.replace("SERVICE_CIDR", serviceCidr);
    }

    /** The number of rules in the skeleton, for the rules metric. */
    public static int ruleCount() {
        return 25;
    }
}
