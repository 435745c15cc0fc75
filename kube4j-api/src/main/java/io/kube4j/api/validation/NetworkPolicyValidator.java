package io.kube4j.api.validation;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * networking.k8s.io/v1 NetworkPolicy, as upstream's ValidateNetworkPolicySpec: the pod selector, the policy types,
 * and every ingress and egress rule's ports and peers (selectors, or an ipBlock whose cidr and except entries are
 * CIDRs, each except a strict subset of the cidr).
 */
final class NetworkPolicyValidator extends KindValidator {
    private static final List<String> PROTOCOLS = List.of("TCP", "UDP", "SCTP");
    private static final String CIDR_HINT = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

    NetworkPolicyValidator() {
        super(true, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode np, List<FieldError> errs) {
        ObjectNode spec = Json.obj(np, "spec");
        LabelSelectors.validate(Json.obj(spec, "podSelector"), "spec.podSelector", errs);
        rules(spec, "ingress", "from", errs);
        rules(spec, "egress", "to", errs);
        List<String> types = Json.strs(spec, "policyTypes");
        if (types.size() > 2) {
            errs.add(FieldError.invalid("spec.policyTypes", types, "may not specify more than two policyTypes"));
        }
        for (int i = 0; i < types.size(); i++) {
            Checks.optionalOneOf(types.get(i), List.of("Ingress", "Egress"), Paths.index("spec.policyTypes", i), errs);
        }
    }

    private static void rules(ObjectNode spec, String direction, String peers, List<FieldError> errs) {
        List<ObjectNode> rules = Json.objs(spec, direction);
        for (int i = 0; i < rules.size(); i++) {
            String path = Paths.index("spec." + direction, i);
            List<ObjectNode> ports = Json.objs(rules.get(i), "ports");
            for (int j = 0; j < ports.size(); j++) {
                port(ports.get(j), Paths.index(Paths.child(path, "ports"), j), errs);
            }
            List<ObjectNode> list = Json.objs(rules.get(i), peers);
            for (int j = 0; j < list.size(); j++) {
                peer(list.get(j), Paths.index(Paths.child(path, peers), j), errs);
            }
        }
    }

    private static void port(ObjectNode port, String path, List<FieldError> errs) {
        String protocol = Json.str(port, "protocol");
        if (protocol != null && !PROTOCOLS.contains(protocol)) {
            errs.add(FieldError.notSupported(Paths.child(path, "protocol"), protocol, PROTOCOLS));
        }
        JsonNode number = Json.node(port, "port");
        Long endPort = Json.lng(port, "endPort");
        if (number == null || number.isNull()) {
            if (endPort != null) {
                errs.add(FieldError.invalid(Paths.child(path, "endPort"), endPort,
                        "may not be specified when `port` is not specified"));
            }
            return;
        }
        if (number.isNumber()) {
            for (String m : NameValidation.isValidPortNum(number.asLong())) {
                errs.add(FieldError.invalid(Paths.child(path, "port"), number.asLong(), m));
            }
            if (endPort != null) {
                if (endPort < number.asLong()) {
                    errs.add(FieldError.invalid(Paths.child(path, "endPort"), number.asLong(),
                            "must be greater than or equal to `port`"));
                }
                for (String m : NameValidation.isValidPortNum(endPort)) {
                    errs.add(FieldError.invalid(Paths.child(path, "endPort"), endPort, m));
                }
            }
        } else {
            if (endPort != null) {
                errs.add(FieldError.invalid(Paths.child(path, "endPort"), endPort,
                        "may not be specified when `port` is non-numeric"));
            }
            for (String m : NameValidation.isValidPortName(number.asString())) {
                errs.add(FieldError.invalid(Paths.child(path, "port"), number.asString(), m));
            }
        }
    }

    private static void peer(ObjectNode peer, String path, List<FieldError> errs) {
        int kinds = 0;
        ObjectNode pods = Json.obj(peer, "podSelector");
        if (pods != null) {
            kinds++;
            LabelSelectors.validate(pods, Paths.child(path, "podSelector"), errs);
        }
        ObjectNode namespaces = Json.obj(peer, "namespaceSelector");
        if (namespaces != null) {
            kinds++;
            LabelSelectors.validate(namespaces, Paths.child(path, "namespaceSelector"), errs);
        }
        ObjectNode ipBlock = Json.obj(peer, "ipBlock");
        if (ipBlock != null) {
            kinds++;
            ipBlock(ipBlock, Paths.child(path, "ipBlock"), errs);
        }
        if (kinds == 0) {
            errs.add(FieldError.required(path, "must specify a peer"));
        } else if (kinds > 1 && ipBlock != null) {
            errs.add(FieldError.forbidden(path, "may not specify both ipBlock and another peer"));
        }
    }

    private static void ipBlock(ObjectNode block, String path, List<FieldError> errs) {
        String cidr = Json.strOr(block, "cidr", "");
        if (cidr.isEmpty()) {
            errs.add(FieldError.required(Paths.child(path, "cidr"), ""));
            return;
        }
        Cidr outer = Cidr.parse(cidr);
        if (outer == null) {
            errs.add(FieldError.invalid(Paths.child(path, "cidr"), cidr, CIDR_HINT));
            return;
        }
        List<String> except = Json.strs(block, "except");
        for (int i = 0; i < except.size(); i++) {
            String exceptPath = Paths.index(Paths.child(path, "except"), i);
            Cidr inner = Cidr.parse(except.get(i));
            if (inner == null) {
                errs.add(FieldError.invalid(exceptPath, except.get(i), CIDR_HINT));
            } else if (!outer.strictlyContains(inner)) {
                errs.add(FieldError.invalid(exceptPath, except.get(i), "must be a strict subset of `cidr`"));
            }
        }
    }

    /** An address range as Go's ParseCIDR reads it: an IP literal and a prefix length within its family's size. */
    private record Cidr(BigInteger network, int bits, int size) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            if (slash < 0) {
                return null;
            }
            String ip = text.substring(0, slash);
            String prefix = text.substring(slash + 1);
            if (!IpSyntax.isIp(ip) || prefix.isEmpty() || prefix.length() > 3 || !prefix.chars().allMatch(Character::isDigit)) {
                return null;
            }
            int size = IpSyntax.isIpv4(ip) ? 32 : 128;
            int bits = Integer.parseInt(prefix);
            if (bits > size) {
                return null;
            }
            try {
                // a literal (checked above): no name lookup happens
                BigInteger address = new BigInteger(1, InetAddress.getByName(ip).getAddress());
                int length = InetAddress.getByName(ip).getAddress().length * 8;
                if (length != size) {
                    return null; // an IPv4-mapped IPv6 literal collapses to IPv4
                }
                return new Cidr(address.shiftRight(size - bits).shiftLeft(size - bits), bits, size);
            } catch (UnknownHostException e) {
                return null;
            }
        }

        boolean strictlyContains(Cidr inner) {
            return size == inner.size && bits < inner.bits
                    && inner.network.shiftRight(size - bits).shiftLeft(size - bits).equals(network);
        }
    }
}
