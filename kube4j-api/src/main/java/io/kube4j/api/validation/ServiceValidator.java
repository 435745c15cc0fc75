package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** core/v1 Service: ValidateService and ValidateServiceUpdate (cluster IPs may not change once set). */
final class ServiceValidator extends KindValidator {
    static final List<String> TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final int NODE_PORT_MIN = 30000;
    static final int NODE_PORT_MAX = 32767;
    private static final int KUBELET_PORT = 10250;

    ServiceValidator() {
        super(true, NameFn.DNS1035_LABEL);
    }

    @Override
    void validate(ObjectNode svc, List<FieldError> errs) {
        ObjectNode spec = Json.obj(svc, "spec");
        String type = Json.strOr(spec, "type", "");
        List<ObjectNode> ports = Json.objs(spec, "ports");
        List<String> clusterIPs = clusterIPs(spec);
        boolean headless = !clusterIPs.isEmpty() && clusterIPs.get(0).equals("None");
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.add(FieldError.required("spec.ports", ""));
        }
        switch (type) {
            case "LoadBalancer" -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", clusterIPs.get(0), "may not be set to 'None' for LoadBalancer services"));
                }
                for (int i = 0; i < ports.size(); i++) {
                    Long port = Json.lng(ports.get(i), "port");
                    if (port != null && port == KUBELET_PORT) {
                        errs.add(FieldError.invalid(Paths.index("spec.ports", i), port, "may not expose port 10250 externally since it is used by kubelet"));
                    }
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errs.add(FieldError.invalid("spec.clusterIPs[0]", clusterIPs.get(0), "may not be set to 'None' for NodePort services"));
                }
            }
            case "ExternalName" -> {
                if (!Json.arr(spec, "clusterIPs").isEmpty()) {
                    errs.add(FieldError.forbidden("spec.clusterIPs", "may not be set for ExternalName services"));
                }
                if (!Json.arr(spec, "ipFamilies").isEmpty()) {
                    errs.add(FieldError.forbidden("spec.ipFamilies", "may not be set for ExternalName services"));
                }
                if (Json.has(spec, "ipFamilyPolicy")) {
                    errs.add(FieldError.forbidden("spec.ipFamilyPolicy", "may not be set for ExternalName services"));
                }
                String cname = Json.strOr(spec, "externalName", "");
                if (cname.endsWith(".")) {
                    cname = cname.substring(0, cname.length() - 1);
                }
                if (cname.isEmpty()) {
                    errs.add(FieldError.required("spec.externalName", ""));
                } else {
                    Checks.dns1123Subdomain(cname, "spec.externalName", errs);
                }
            }
            default -> { }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            servicePort(ports.get(i), ports.size() > 1, names, Paths.index("spec.ports", i), errs);
        }
        errs.addAll(ObjectMetaValidation.validateLabels(Json.obj(spec, "selector"), "spec.selector"));
        String affinity = Json.strOr(spec, "sessionAffinity", "");
        Checks.oneOf(affinity, List.of("ClientIP", "None"), "spec.sessionAffinity", errs);
        if (affinity.equals("ClientIP")) {
            Long timeout = Json.lng(Json.obj(Json.obj(spec, "sessionAffinityConfig"), "clientIP"), "timeoutSeconds");
            if (timeout == null) {
                errs.add(FieldError.required("spec.sessionAffinityConfig.clientIP.timeoutSeconds", ""));
            } else if (timeout <= 0 || timeout > 86400) {
                errs.add(FieldError.invalid("spec.sessionAffinityConfig.clientIP.timeoutSeconds", timeout,
                        "must be greater than 0 and less than 86400"));
            }
        } else if (affinity.equals("None") && Json.has(spec, "sessionAffinityConfig")) {
            errs.add(FieldError.forbidden("spec.sessionAffinityConfig", "must not be set when session affinity is None"));
        }
        for (int i = 0; i < clusterIPs.size(); i++) {
            String ip = clusterIPs.get(i);
            if (!ip.equals("None") && !ip.isEmpty() && !IpSyntax.isIp(ip)) {
                errs.add(FieldError.invalid(Paths.index("spec.clusterIPs", i), ip, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
        }
        List<String> externalIPs = Json.strs(spec, "externalIPs");
        for (int i = 0; i < externalIPs.size(); i++) {
            if (!IpSyntax.isIp(externalIPs.get(i))) {
                errs.add(FieldError.invalid(Paths.index("spec.externalIPs", i), externalIPs.get(i),
                        "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
            }
        }
        Checks.oneOf(type, TYPES, "spec.type", errs);
        Set<String> nodePorts = new HashSet<>();
        Set<String> portKeys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ObjectNode port = ports.get(i);
            String p = Paths.index("spec.ports", i);
            Long nodePort = Json.lng(port, "nodePort");
            String protocol = Json.strOr(port, "protocol", "");
            if (nodePort != null && nodePort != 0) {
                if (type.equals("ClusterIP")) {
                    errs.add(FieldError.forbidden(Paths.child(p, "nodePort"), "may not be used when `type` is 'ClusterIP'"));
                } else if (nodePort < NODE_PORT_MIN || nodePort > NODE_PORT_MAX) {
                    errs.add(FieldError.invalid(Paths.child(p, "nodePort"), nodePort,
                            "provided port is not in the valid range. The range of valid ports is " + NODE_PORT_MIN + "-" + NODE_PORT_MAX));
                }
                if (!nodePorts.add(protocol + "/" + nodePort)) {
                    errs.add(FieldError.duplicate(Paths.child(p, "nodePort"), nodePort));
                }
            }
            long number = Json.lng(port, "port") == null ? 0 : Json.lng(port, "port");
            if (!portKeys.add(protocol + "/" + number)) {
                errs.add(FieldError.duplicate(p, new GoFormat.Raw("core.ServicePort{Name:\"\", Protocol:" + GoFormat.quote(protocol)
                        + ", AppProtocol:(*string)(nil), Port:" + number
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
            }
        }
        String external = Json.str(spec, "externalTrafficPolicy");
        if (external != null && !external.isEmpty()) {
            if (!type.equals("NodePort") && !type.equals("LoadBalancer")) {
                errs.add(FieldError.invalid("spec.externalTrafficPolicy", external, "may only be set for externally-accessible services"));
            } else {
                Checks.optionalOneOf(external, List.of("Cluster", "Local"), "spec.externalTrafficPolicy", errs);
            }
        }
        Checks.optionalOneOf(Json.str(spec, "internalTrafficPolicy"), List.of("Cluster", "Local"), "spec.internalTrafficPolicy", errs);
        Checks.optionalOneOf(Json.str(spec, "ipFamilyPolicy"), List.of("SingleStack", "PreferDualStack", "RequireDualStack"),
                "spec.ipFamilyPolicy", errs);
        List<String> families = Json.strs(spec, "ipFamilies");
        for (int i = 0; i < families.size(); i++) {
            Checks.optionalOneOf(families.get(i), List.of("IPv4", "IPv6"), Paths.index("spec.ipFamilies", i), errs);
        }
    }

    private static void servicePort(ObjectNode sp, boolean requireName, Set<String> names, String p, List<FieldError> errs) {
        String name = Json.strOr(sp, "name", "");
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(Paths.child(p, "name"), ""));
        } else if (!name.isEmpty()) {
            Checks.dns1123Label(name, Paths.child(p, "name"), errs);
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(Paths.child(p, "name"), name));
            }
        }
        long port = Json.lng(sp, "port") == null ? 0 : Json.lng(sp, "port");
        for (String m : NameValidation.isValidPortNum(port)) {
            errs.add(FieldError.invalid(Paths.child(p, "port"), port, m));
        }
        Checks.oneOf(Json.str(sp, "protocol"), PodSpecValidation.PROTOCOLS, Paths.child(p, "protocol"), errs);
        JsonNode target = Json.node(sp, "targetPort");
        if (target != null) {
            Checks.portNumOrName(target, Paths.child(p, "targetPort"), errs);
        }
        String appProtocol = Json.str(sp, "appProtocol");
        if (appProtocol != null) {
            Checks.qualifiedName(appProtocol, Paths.child(p, "appProtocol"), errs);
        }
    }

    /** spec.clusterIPs, or [spec.clusterIP] when only the singular field is set. */
    static List<String> clusterIPs(ObjectNode spec) {
        List<String> ips = Json.strs(spec, "clusterIPs");
        if (ips.isEmpty()) {
            String ip = Json.strOr(spec, "clusterIP", "");
            if (!ip.isEmpty()) {
                ips = new ArrayList<>(List.of(ip));
            }
        }
        return ips;
    }

    @Override
    void validateImmutable(ObjectNode svc, ObjectNode old, List<FieldError> errs) {
        ObjectNode spec = Json.obj(svc, "spec");
        ObjectNode oldSpec = Json.obj(old, "spec");
        if ("ExternalName".equals(Json.str(spec, "type")) || "ExternalName".equals(Json.str(oldSpec, "type"))) {
            return;
        }
        List<String> now = clusterIPs(spec);
        List<String> before = clusterIPs(oldSpec);
        // An update that omits the allocated IPs keeps them (the server copies them over, as upstream's registry does).
        if (now.isEmpty() || (!before.isEmpty() && before.get(0).equals("None") && !now.isEmpty() && now.get(0).equals("None"))) {
            return;
        }
        if (!before.isEmpty() && !now.get(0).equals(before.get(0))) {
            errs.add(FieldError.invalid("spec.clusterIPs[0]", now, "may not change once set"));
        } else if (now.size() == before.size()) {
            for (int i = 1; i < before.size(); i++) {
                if (!before.get(i).equals(now.get(i))) {
                    errs.add(FieldError.invalid(Paths.index("spec.clusterIPs", i), now, "may not change once set"));
                }
            }
        }
    }
}
