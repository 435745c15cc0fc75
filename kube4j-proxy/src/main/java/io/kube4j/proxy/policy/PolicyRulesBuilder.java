package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.IPBlock;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.kube4j.proxy.nft.Ruleset;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import static io.kube4j.proxy.nft.TableSkeleton.POLICY_EGRESS_PODS;
import static io.kube4j.proxy.nft.TableSkeleton.POLICY_INGRESS_PODS;

/**
 * NetworkPolicy enforcement for the pods of this node: a pod selected by an ingress (egress) policy gets a
 * chain that returns for the traffic some rule of its policies allows and drops the rest. The forward hook
 * jumps to these chains through the {@code policy-ingress-pods} and {@code policy-egress-pods} maps, by pod
 * address, after accepting established connections.
 */
public final class PolicyRulesBuilder {

    private static final String NAMESPACE_NAME_LABEL = "kubernetes.io/metadata.name";

    private final String nodeName;
    private final List<Pod> pods;
    private final Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    private final List<NetworkPolicy> policies;

    public PolicyRulesBuilder(String nodeName, Collection<Pod> pods, Collection<Namespace> namespaces,
                              Collection<NetworkPolicy> policies) {
        this.nodeName = nodeName;
        this.pods = pods.stream().filter(PolicyRulesBuilder::hasPodNetworkIp).toList();
        for (Namespace ns : namespaces) {
            Map<String, String> labels = new HashMap<>(ns.getMetadata().getLabels() == null ? Map.of()
                    : ns.getMetadata().getLabels());
            labels.putIfAbsent(NAMESPACE_NAME_LABEL, ns.getMetadata().getName());
            namespaceLabels.put(ns.getMetadata().getName(), labels);
        }
        this.policies = policies.stream()
                .sorted((a, b) -> key(a).compareTo(key(b))).toList();
    }

    private static String key(NetworkPolicy p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static boolean hasPodNetworkIp(Pod p) {
        if (p.getStatus() == null || p.getStatus().getPodIP() == null || p.getStatus().getPodIP().contains(":")) {
            return false;
        }
        if (p.getSpec() != null && Boolean.TRUE.equals(p.getSpec().getHostNetwork())) {
            return false;
        }
        String phase = p.getStatus().getPhase();
        return !"Succeeded".equals(phase) && !"Failed".equals(phase);
    }

    /** Adds the policy chains and map elements for this node's pods. */
    public void addTo(Ruleset rs) {
        List<Pod> local = pods.stream()
                .filter(p -> p.getSpec() != null && nodeName.equals(p.getSpec().getNodeName()))
                .sorted((a, b) -> podKey(a).compareTo(podKey(b))).toList();
        for (Pod pod : local) {
            List<NetworkPolicy> ingress = selecting(pod, "Ingress");
            if (!ingress.isEmpty()) {
                String chain = "policy-ingress-" + chainSuffix(pod);
                rs.addChain(chain, ingressRules(pod, ingress));
                rs.addElement(POLICY_INGRESS_PODS, pod.getStatus().getPodIP(), "jump " + chain);
            }
            List<NetworkPolicy> egress = selecting(pod, "Egress");
            if (!egress.isEmpty()) {
                String chain = "policy-egress-" + chainSuffix(pod);
                rs.addChain(chain, egressRules(pod, egress));
                rs.addElement(POLICY_EGRESS_PODS, pod.getStatus().getPodIP(), "jump " + chain);
            }
        }
    }

    private List<NetworkPolicy> selecting(Pod pod, String type) {
        return policies.stream()
                .filter(p -> p.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace()))
                .filter(p -> p.getSpec() != null && policyTypes(p).contains(type))
                .filter(p -> LabelSelectors.matches(p.getSpec().getPodSelector(), pod.getMetadata().getLabels()))
                .toList();
    }

    /** spec.policyTypes, or as the API defaults it: Ingress, plus Egress when egress rules are given. */
    static List<String> policyTypes(NetworkPolicy p) {
        if (p.getSpec().getPolicyTypes() != null && !p.getSpec().getPolicyTypes().isEmpty()) {
            return p.getSpec().getPolicyTypes();
        }
        List<String> types = new ArrayList<>(List.of("Ingress"));
        if (p.getSpec().getEgress() != null && !p.getSpec().getEgress().isEmpty()) {
            types.add("Egress");
        }
        return types;
    }

    private List<String> ingressRules(Pod pod, List<NetworkPolicy> selected) {
        List<String> rules = new ArrayList<>();
        for (NetworkPolicy policy : selected) {
            if (policy.getSpec().getIngress() == null) {
                continue;
            }
            for (var rule : policy.getSpec().getIngress()) {
                List<String> ports = portMatches(rule.getPorts(), pod);
                for (String peer : peerMatches("saddr", rule.getFrom(), policy)) {
                    for (String port : ports) {
                        rules.add(join(peer, port, "return"));
                    }
                }
            }
        }
        rules.add("drop");
        return rules;
    }

    private List<String> egressRules(Pod pod, List<NetworkPolicy> selected) {
        List<String> rules = new ArrayList<>();
        for (NetworkPolicy policy : selected) {
            if (policy.getSpec().getEgress() == null) {
                continue;
            }
            for (var rule : policy.getSpec().getEgress()) {
                boolean namedPorts = rule.getPorts() != null && rule.getPorts().stream()
                        .anyMatch(p -> p.getPort() != null && p.getPort().getStrVal() != null);
                if (namedPorts) {
                    // a named port means a different number on each destination pod
                    for (Pod peer : peerPods(rule.getTo(), policy)) {
                        for (String port : portMatches(rule.getPorts(), peer)) {
                            rules.add(join("ip daddr " + peer.getStatus().getPodIP(), port, "return"));
                        }
                    }
                    continue;
                }
                List<String> ports = portMatches(rule.getPorts(), null);
                for (String peer : peerMatches("daddr", rule.getTo(), policy)) {
                    for (String port : ports) {
                        rules.add(join(peer, port, "return"));
                    }
                }
            }
        }
        rules.add("drop");
        return rules;
    }

    private static String join(String... parts) {
        return java.util.Arrays.stream(parts).filter(s -> !s.isEmpty()).collect(Collectors.joining(" "));
    }

    /** Address matches of a rule's peers; no peers means any address (one empty match). */
    private List<String> peerMatches(String field, List<NetworkPolicyPeer> peers, NetworkPolicy policy) {
        if (peers == null || peers.isEmpty()) {
            return List.of("");
        }
        List<String> matches = new ArrayList<>();
        List<String> podIps = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                IPBlock block = peer.getIpBlock();
                String match = "ip " + field + " " + block.getCidr();
                if (block.getExcept() != null && !block.getExcept().isEmpty()) {
                    match += " ip " + field + " != { " + String.join(", ", block.getExcept()) + " }";
                }
                matches.add(match);
            } else {
                peerPods(List.of(peer), policy).forEach(p -> podIps.add(p.getStatus().getPodIP()));
            }
        }
        List<String> distinct = podIps.stream().distinct().sorted().toList();
        if (!distinct.isEmpty()) {
            matches.add(0, "ip " + field + " { " + String.join(", ", distinct) + " }");
        }
        return matches;
    }

    private List<Pod> peerPods(List<NetworkPolicyPeer> peers, NetworkPolicy policy) {
        if (peers == null || peers.isEmpty()) {
            return pods;
        }
        List<Pod> result = new ArrayList<>();
        for (NetworkPolicyPeer peer : peers) {
            if (peer.getIpBlock() != null) {
                continue;
            }
            for (Pod pod : pods) {
                String ns = pod.getMetadata().getNamespace();
                boolean nsMatch = peer.getNamespaceSelector() == null
                        ? ns.equals(policy.getMetadata().getNamespace())
                        : LabelSelectors.matches(peer.getNamespaceSelector(), namespaceLabels.getOrDefault(ns,
                        Map.of(NAMESPACE_NAME_LABEL, ns)));
                boolean podMatch = peer.getPodSelector() == null
                        || LabelSelectors.matches(peer.getPodSelector(), pod.getMetadata().getLabels());
                if (nsMatch && podMatch && !result.contains(pod)) {
                    result.add(pod);
                }
            }
        }
        return result;
    }

    /**
     * Port matches of a rule; no ports means every port (one empty match). Named ports are looked up in
     * {@code pod}'s containers; a name the pod does not have matches nothing.
     */
    private static List<String> portMatches(List<NetworkPolicyPort> ports, Pod pod) {
        if (ports == null || ports.isEmpty()) {
            return List.of("");
        }
        List<String> matches = new ArrayList<>();
        for (NetworkPolicyPort port : ports) {
            String proto = port.getProtocol() == null ? "tcp" : port.getProtocol().toLowerCase(Locale.ROOT);
            IntOrString p = port.getPort();
            if (p == null) {
                matches.add("meta l4proto " + proto);
            } else if (p.getStrVal() != null) {
                Integer number = pod == null ? null : namedPort(pod, p.getStrVal(), proto);
                if (number != null) {
                    matches.add("meta l4proto " + proto + " th dport " + number);
                }
            } else if (port.getEndPort() != null && port.getEndPort() > p.getIntVal()) {
                matches.add("meta l4proto " + proto + " th dport " + p.getIntVal() + "-" + port.getEndPort());
            } else {
                matches.add("meta l4proto " + proto + " th dport " + p.getIntVal());
            }
        }
        return matches;
    }

    private static Integer namedPort(Pod pod, String name, String proto) {
        if (pod.getSpec() == null || pod.getSpec().getContainers() == null) {
            return null;
        }
        for (Container c : pod.getSpec().getContainers()) {
            if (c.getPorts() == null) {
                continue;
            }
            for (ContainerPort cp : c.getPorts()) {
                String cpProto = cp.getProtocol() == null ? "tcp" : cp.getProtocol().toLowerCase(Locale.ROOT);
                if (name.equals(cp.getName()) && proto.equals(cpProto)) {
                    return cp.getContainerPort();
                }
            }
        }
        return null;
    }

    /** A hash for uniqueness plus the readable pod name, cut to stay within nft's 256-character names. */
    private static String chainSuffix(Pod pod) {
        String key = podKey(pod);
        return hash(key) + "-" + (key.length() > 160 ? key.substring(0, 160) : key);
    }

    private static String podKey(Pod p) {
        return p.getMetadata().getNamespace() + "/" + p.getMetadata().getName();
    }

    private static String hash(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 4).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
