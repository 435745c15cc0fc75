package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.nft.Ruleset;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static io.kube4j.proxy.nft.TableSkeleton.CLUSTER_IPS;
import static io.kube4j.proxy.nft.TableSkeleton.MARK_FOR_MASQUERADE;
import static io.kube4j.proxy.nft.TableSkeleton.NODEPORT_IPS;
import static io.kube4j.proxy.nft.TableSkeleton.NO_ENDPOINT_NODEPORTS;
import static io.kube4j.proxy.nft.TableSkeleton.NO_ENDPOINT_SERVICES;
import static io.kube4j.proxy.nft.TableSkeleton.REJECT_CHAIN;
import static io.kube4j.proxy.nft.TableSkeleton.SERVICE_IPS;
import static io.kube4j.proxy.nft.TableSkeleton.SERVICE_NODEPORTS;

/**
 * Computes the per-service content of the proxy table from the service ports, the way upstream's
 * nftables proxier lays it out:
 * <ul>
 * <li>{@code service-*}: cluster traffic policy; masquerades traffic from outside the cluster CIDR and DNATs to an endpoint picked at random through a named map ({@code numgen random mod N map @...-endpoints}); with
 * ClientIP affinity it checks the affinity sets and picks an endpoint chain instead
 * ({@code numgen random mod N vmap});</li>
 * <li>{@code local-*}: the same over this node's endpoints only (traffic policy Local);</li>
 * <li>{@code external-*}: NodePort, external and load-balancer traffic; masquerades (policy Cluster) or keeps
 * the client address and goes to the local endpoints (policy Local);</li>
 * <li>{@code endpoint-*}: (affinity only) records the client in the affinity set and DNATs to one endpoint,
 * masquerading hairpin traffic.</li>
 * </ul>
 * Ports without usable endpoints get an element in the no-endpoint maps: reject when the service has no
 * endpoints at all, drop when only the policy leaves none on this node.
 */
public final class RulesetBuilder {

    private final String nodeName;
    private final String clusterCidr;
    private final List<String> nodeIps;

    public RulesetBuilder(String nodeName, String clusterCidr, List<String> nodeIps) {
        this.nodeName = nodeName;
        this.clusterCidr = clusterCidr;
        this.nodeIps = List.copyOf(nodeIps);
    }

    public Ruleset build(List<ServicePortInfo> ports) {
        return Ruleset.merge(List.of(nodeAddresses(), hairpin(ports), buildService(ports)));
    }

    /**
     * The hairpin set over all endpoints of all ports. It is one part of its own, not part of each Service's:
     * two Services may share an endpoint, and one dropping it must not remove it for the other.
     */
    public Ruleset hairpin(List<ServicePortInfo> allPorts) {
        return HairpinEndpoints.of(allPorts);
    }

    /** The part of the table that depends on this node's addresses only. */
    public Ruleset nodeAddresses() {
        Ruleset rs = new Ruleset();
        for (String ip : nodeIps) {
            rs.addElement(NODEPORT_IPS, ip, null);
        }
        return rs;
    }

    /** The part of the table for the given ports (one Service's, or any set) without the node's addresses. */
    public Ruleset buildService(List<ServicePortInfo> ports) {
        Ruleset rs = new Ruleset();
        for (ServicePortInfo port : ports) {
            addServicePort(rs, port);
        }
        return rs;
    }

    private void addServicePort(Ruleset rs, ServicePortInfo svc) {
        ServicePortName spn = svc.name();
        String proto = spn.protocol().nft();
        EndpointSelection sel = EndpointSelection.of(svc.endpoints(), nodeName);
        List<Endpoint> internal = svc.internalPolicyLocal() ? sel.local() : sel.cluster();
        List<Endpoint> external = svc.externalPolicyLocal() ? sel.local() : sel.cluster();
        boolean hasEndpoints = !sel.cluster().isEmpty() || !sel.local().isEmpty();
        boolean hasInternal = !internal.isEmpty();
        boolean hasExternal = svc.externallyAccessible() && !external.isEmpty();

        boolean usesClusterChain = !sel.cluster().isEmpty() && (!svc.internalPolicyLocal() || hasExternal);
        boolean usesLocalChain = !sel.local().isEmpty()
                && (svc.internalPolicyLocal() || (hasExternal && svc.externalPolicyLocal()));

        Map<String, Endpoint> endpointChains = new LinkedHashMap<>();
        // endpoint chains only where affinity needs them: every chain costs nft time on each later transaction
        boolean perEndpointChains = svc.affinityTimeoutSeconds() > 0;
        if (usesClusterChain && perEndpointChains) {
            sel.cluster().forEach(e -> endpointChains.put(ChainNames.endpoint(spn, e), e));
        }
        if (usesLocalChain && perEndpointChains) {
            sel.local().forEach(e -> endpointChains.put(ChainNames.endpoint(spn, e), e));
        }
        for (var entry : endpointChains.entrySet()) {
            Endpoint ep = entry.getValue();
            List<String> rules = new ArrayList<>();
            rules.add("ip saddr " + ep.ip() + " jump " + MARK_FOR_MASQUERADE);
            if (svc.affinityTimeoutSeconds() > 0) {
                String set = ChainNames.affinity(spn, ep);
                rs.addAffinitySet(set, svc.affinityTimeoutSeconds());
                rules.add("update @" + set + " { ip saddr }");
            }
            rules.add("meta l4proto " + proto + " dnat to " + ep.ip() + ":" + ep.port());
            rs.addChain(entry.getKey(), rules);
        }

        String clusterChain = ChainNames.service(spn);
        String localChain = ChainNames.local(spn);
        if (usesClusterChain) {
            List<String> rules = new ArrayList<>();
            rules.add("ip daddr " + svc.clusterIp() + " " + proto + " dport " + svc.port() + " ip saddr != "
                    + clusterCidr + " jump " + MARK_FOR_MASQUERADE);
            rules.addAll(loadBalancing(rs, clusterChain, svc, sel.cluster()));
            rs.addChain(clusterChain, rules);
        }
        if (usesLocalChain) {
            rs.addChain(localChain, loadBalancing(rs, localChain, svc, sel.local()));
        }
        String externalChain = ChainNames.external(spn);
        if (hasExternal) {
            List<String> rules = new ArrayList<>();
            if (svc.externalPolicyLocal()) {
                // pods and the node itself are not "external": they may use any endpoint
                if (!sel.cluster().isEmpty()) {
                    rules.add("ip saddr " + clusterCidr + " goto " + clusterChain);
                    rules.add("fib saddr type local jump " + MARK_FOR_MASQUERADE);
                    rules.add("fib saddr type local goto " + clusterChain);
                }
                rules.add("goto " + localChain);
            } else {
                rules.add("jump " + MARK_FOR_MASQUERADE);
                rules.add("goto " + clusterChain);
            }
            rs.addChain(externalChain, rules);
        }

        String noEndpointVerdict = "goto " + REJECT_CHAIN;
        String internalVerdict = hasInternal ? "goto " + (svc.internalPolicyLocal() ? localChain : clusterChain)
                : null;
        String internalFilter = hasEndpoints ? "drop" : noEndpointVerdict;
        String externalFilter = hasEndpoints ? "drop" : noEndpointVerdict;

        rs.addElement(CLUSTER_IPS, svc.clusterIp(), null);
        String clusterKey = svc.clusterIp() + " . " + proto + " . " + svc.port();
        if (internalVerdict != null) {
            rs.addElement(SERVICE_IPS, clusterKey, internalVerdict);
        } else {
            rs.addElement(NO_ENDPOINT_SERVICES, clusterKey, internalFilter);
        }
        List<String> externalAddresses = new ArrayList<>(svc.externalIps());
        svc.loadBalancerIps().stream().filter(ip -> !externalAddresses.contains(ip)).forEach(externalAddresses::add);
        for (String ip : externalAddresses) {
            String key = ip + " . " + proto + " . " + svc.port();
            if (hasExternal) {
                rs.addElement(SERVICE_IPS, key, "goto " + externalChain);
            } else {
                rs.addElement(NO_ENDPOINT_SERVICES, key, externalFilter);
            }
        }
        if (svc.nodePort() > 0) {
            String key = proto + " . " + svc.nodePort();
            if (hasExternal) {
                rs.addElement(SERVICE_NODEPORTS, key, "goto " + externalChain);
            } else {
                rs.addElement(NO_ENDPOINT_NODEPORTS, key, externalFilter);
            }
        }
    }

    /**
     * Index to endpoint address and port. nft 1.0.6 cannot declare a named map keyed by a plain integer with
     * {@code type}, so {@code typeof} takes the key's type from the numgen expression (the modulus does not matter).
     * The port is named by the service's protocol: with {@code th dport}, nft 1.0.6 fails ("conflicting protocols
     * specified: tcp vs. th") when a later transaction re-adds a rule next to a {@code tcp dport} match.
     */
    static String endpointMapDeclaration(String protocol) {
        return "typeof numgen random mod 1 : ip daddr . " + protocol + " dport";
    }

    private List<String> loadBalancing(Ruleset rs, String chain, ServicePortInfo svc, List<Endpoint> endpoints) {
        List<String> rules = new ArrayList<>();
        if (svc.affinityTimeoutSeconds() == 0) {
            // Without affinity no per-endpoint chain is needed: one DNAT through a map picks the endpoint. Hairpin
            // traffic (a pod reaching itself through the service) is masqueraded after the DNAT, in postrouting,
            // through the hairpin set. The map is a named one: new endpoints with the same count change only its
            // elements, and nft applies an element-only transaction without first reading every rule of the table.
            String map = ChainNames.endpointMap(chain);
            rs.addMap(map, endpointMapDeclaration(svc.name().protocol().nft()));
            for (int i = 0; i < endpoints.size(); i++) {
                rs.addElement(map, Integer.toString(i), endpoints.get(i).ip() + " . " + endpoints.get(i).port());
            }
            rules.add("meta l4proto " + svc.name().protocol().nft() + " dnat to numgen random mod " + endpoints.size()
                    + " map @" + map);
            return rules;
        }
        for (Endpoint ep : endpoints) {
            rules.add("ip saddr @" + ChainNames.affinity(svc.name(), ep) + " goto " + ChainNames.endpoint(svc.name(), ep));
        }
        List<String> branches = new ArrayList<>();
        for (int i = 0; i < endpoints.size(); i++) {
            branches.add(i + " : goto " + ChainNames.endpoint(svc.name(), endpoints.get(i)));
        }
        rules.add("numgen random mod " + endpoints.size() + " vmap { "
                + branches.stream().collect(Collectors.joining(", ")) + " }");
        return rules;
    }
}
