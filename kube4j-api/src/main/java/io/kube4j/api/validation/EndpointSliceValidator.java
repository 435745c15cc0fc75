package io.kube4j.api.validation;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/** discovery.k8s.io/v1 EndpointSlice: address type, endpoints and ports. */
final class EndpointSliceValidator extends KindValidator {
    static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    private static final int MAX_ENDPOINTS = 1000;
    private static final int MAX_PORTS = 100;
    private static final int MAX_ADDRESSES = 100;

    EndpointSliceValidator() {
        super(true, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode slice, List<FieldError> errs) {
        String type = Json.strOr(slice, "addressType", "");
        Checks.oneOf(type, ADDRESS_TYPES, "addressType", errs);
        List<ObjectNode> endpoints = Json.objs(slice, "endpoints");
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.add(FieldError.tooMany("endpoints", endpoints.size(), MAX_ENDPOINTS));
        }
        for (int i = 0; i < endpoints.size(); i++) {
            String p = Paths.index("endpoints", i);
            List<String> addresses = Json.strs(endpoints.get(i), "addresses");
            String ap = Paths.child(p, "addresses");
            if (addresses.isEmpty()) {
                errs.add(FieldError.required(ap, "must contain at least 1 address"));
            } else if (addresses.size() > MAX_ADDRESSES) {
                errs.add(FieldError.tooMany(ap, addresses.size(), MAX_ADDRESSES));
            }
            for (int j = 0; j < addresses.size(); j++) {
                String a = addresses.get(j);
                String p2 = Paths.index(ap, j);
                switch (type) {
                    case "IPv4" -> {
                        if (!IpSyntax.isIpv4(a)) {
                            errs.add(FieldError.invalid(p2, a, "must be a valid IPv4 address"));
                        } else {
                            nonSpecial(a, p2, errs);
                        }
                    }
                    case "IPv6" -> {
                        if (!IpSyntax.isIpv6(a)) {
                            errs.add(FieldError.invalid(p2, a, "must be a valid IPv6 address"));
                        } else {
                            nonSpecial(a, p2, errs);
                        }
                    }
                    case "FQDN" -> Checks.dns1123Subdomain(a, p2, errs);
                    default -> { }
                }
            }
            String hostname = Json.str(endpoints.get(i), "hostname");
            if (hostname != null) {
                Checks.dns1123Label(hostname, Paths.child(p, "hostname"), errs);
            }
            String nodeName = Json.str(endpoints.get(i), "nodeName");
            if (nodeName != null) {
                Checks.dns1123Subdomain(nodeName, Paths.child(p, "nodeName"), errs);
            }
        }
        List<ObjectNode> ports = Json.objs(slice, "ports");
        if (ports.size() > MAX_PORTS) {
            errs.add(FieldError.tooMany("ports", ports.size(), MAX_PORTS));
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String p = Paths.index("ports", i);
            String name = Json.strOr(port, "name", "");
            if (!name.isEmpty()) {
                Checks.dns1123Label(name, Paths.child(p, "name"), errs);
            }
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
            Checks.oneOf(Json.str(port, "protocol"), PodSpecValidation.PROTOCOLS, Paths.child(p, "protocol"), errs);
            Long number = Json.lng(port, "port");
            if (number != null) {
                for (String m : NameValidation.isInRange(number, 0, 65535)) {
                    errs.add(FieldError.invalid(Paths.child(p, "port"), number, m));
                }
            }
            String appProtocol = Json.str(port, "appProtocol");
            if (appProtocol != null) {
                Checks.qualifiedName(appProtocol, Paths.child(p, "appProtocol"), errs);
            }
        }
    }

    private static void nonSpecial(String address, String path, List<FieldError> errs) {
        for (String problem : NonSpecialIp.problems(address)) {
            errs.add(FieldError.invalid(path, address, problem));
        }
    }

    @Override
    void validateImmutable(ObjectNode slice, ObjectNode old, List<FieldError> errs) {
        Checks.immutable(slice.get("addressType"), old.get("addressType"), "addressType", errs);
    }
}
