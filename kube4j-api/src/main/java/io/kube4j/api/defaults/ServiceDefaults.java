package io.kube4j.api.defaults;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Service defaults: upstream's SetDefaults_Service plus the IP family fields its registry fills in (single-stack IPv4). */
final class ServiceDefaults {
    private ServiceDefaults() {
    }

    static final int DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

    static void service(ObjectNode svc) {
        ObjectNode spec = Nodes.ensureObj(svc, "spec");
        Nodes.defaultStr(spec, "sessionAffinity", "None");
        String affinity = Nodes.str(spec, "sessionAffinity");
        if (affinity.equals("None")) {
            spec.remove("sessionAffinityConfig");
        } else if (affinity.equals("ClientIP")) {
            ObjectNode cfg = Nodes.ensureObj(spec, "sessionAffinityConfig");
            ObjectNode clientIp = Nodes.ensureObj(cfg, "clientIP");
            Nodes.defaultInt(clientIp, "timeoutSeconds", DEFAULT_CLIENT_IP_AFFINITY_SECONDS);
        }
        Nodes.defaultStr(spec, "type", "ClusterIP");
        String type = Nodes.str(spec, "type");
        for (ObjectNode port : Nodes.objs(spec, "ports")) {
            Nodes.defaultStr(port, "protocol", "TCP");
            JsonNode target = port.get("targetPort");
            boolean unset = target == null || target.isNull()
                    || (target.isNumber() && target.asInt() == 0)
                    || (target.isString() && target.asString().isEmpty());
            if (unset && port.has("port")) {
                port.set("targetPort", port.get("port"));
            }
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer")) {
            Nodes.defaultStr(spec, "externalTrafficPolicy", "Cluster");
        }
        if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
            Nodes.defaultStr(spec, "internalTrafficPolicy", "Cluster");
        }
        if (type.equals("LoadBalancer")) {
            Nodes.defaultBool(spec, "allocateLoadBalancerNodePorts", true);
            for (ObjectNode ing : Nodes.objs(Nodes.obj(Nodes.obj(svc, "status"), "loadBalancer"), "ingress")) {
                if (!Nodes.blank(ing, "ip")) {
                    Nodes.defaultStr(ing, "ipMode", "VIP");
                }
            }
        }
        if (!type.equals("ExternalName")) {
            ipFamilies(spec);
        }
    }

    /** This cluster is single-stack IPv4; a headless service without selector asks for every family the cluster has. */
    private static void ipFamilies(ObjectNode spec) {
        boolean headless = "None".equals(Nodes.str(spec, "clusterIP"));
        ObjectNode selector = Nodes.obj(spec, "selector");
        boolean noSelector = selector == null || selector.isEmpty();
        if (Nodes.blank(spec, "ipFamilyPolicy")) {
            spec.put("ipFamilyPolicy", headless && noSelector ? "RequireDualStack" : "SingleStack");
        }
        JsonNode families = spec.get("ipFamilies");
        if (families == null || families.isNull() || (families.isArray() && families.isEmpty())) {
            spec.putArray("ipFamilies").add("IPv4");
        }
    }
}
