package io.kube4j.api.defaults;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaults of the networking, discovery, autoscaling, storage, scheduling, RBAC and apiextensions kinds. */
final class OtherDefaults {
    private OtherDefaults() {
    }

    static void endpointSlice(ObjectNode slice) {
        for (ObjectNode port : Nodes.objs(slice, "ports")) {
            Nodes.defaultStr(port, "protocol", "TCP");
            if (Nodes.absent(port, "name")) {
                port.put("name", "");
            }
        }
    }

    static void networkPolicy(ObjectNode np) {
        ObjectNode spec = Nodes.ensureObj(np, "spec");
        for (String dir : new String[] {"ingress", "egress"}) {
            for (ObjectNode rule : Nodes.objs(spec, dir)) {
                for (ObjectNode port : Nodes.objs(rule, "ports")) {
                    Nodes.defaultStr(port, "protocol", "TCP");
                }
            }
        }
        JsonNode types = spec.get("policyTypes");
        if (types == null || types.isNull() || (types.isArray() && types.isEmpty())) {
            ArrayNode t = spec.putArray("policyTypes");
            t.add("Ingress");
            JsonNode egress = spec.get("egress");
            if (egress != null && egress.isArray() && !egress.isEmpty()) {
                t.add("Egress");
            }
        }
    }

    static void horizontalPodAutoscaler(ObjectNode hpa) {
        ObjectNode spec = Nodes.ensureObj(hpa, "spec");
        Nodes.defaultInt(spec, "minReplicas", 1);
        String apiVersion = Nodes.str(hpa, "apiVersion");
        if (!apiVersion.startsWith("autoscaling/v2")) {
            return;
        }
        JsonNode metrics = spec.get("metrics");
        if (metrics == null || metrics.isNull() || (metrics.isArray() && metrics.isEmpty())) {
            ObjectNode m = spec.putArray("metrics").addObject();
            m.put("type", "Resource");
            ObjectNode res = m.putObject("resource");
            res.put("name", "cpu");
            ObjectNode target = res.putObject("target");
            target.put("type", "Utilization");
            target.put("averageUtilization", 80);
        }
        ObjectNode behavior = Nodes.obj(spec, "behavior");
        if (behavior != null) {
            scalingRules(behavior, "scaleUp");
            scalingRules(behavior, "scaleDown");
        }
    }

    /** Upstream's GenerateHPAScaleUpRules / GenerateHPAScaleDownRules. */
    private static void scalingRules(ObjectNode behavior, String direction) {
        ObjectNode rules = Nodes.ensureObj(behavior, direction);
        boolean up = direction.equals("scaleUp");
        Nodes.defaultInt(rules, "stabilizationWindowSeconds", up ? 0 : 300);
        Nodes.defaultStr(rules, "selectPolicy", "Max");
        JsonNode policies = rules.get("policies");
        if (policies == null || policies.isNull() || (policies.isArray() && policies.isEmpty())) {
            ArrayNode p = rules.putArray("policies");
            if (up) {
                ObjectNode pods = p.addObject();
                pods.put("type", "Pods");
                pods.put("value", 4);
                pods.put("periodSeconds", 15);
            }
            ObjectNode percent = p.addObject();
            percent.put("type", "Percent");
            percent.put("value", 100);
            percent.put("periodSeconds", 15);
        }
    }

    static void storageClass(ObjectNode sc) {
        Nodes.defaultStr(sc, "reclaimPolicy", "Delete");
        Nodes.defaultStr(sc, "volumeBindingMode", "Immediate");
    }

    /**
     * Upstream's SetDefaults_CSIDriver with 1.32's default feature gates (CSIVolumeFSGroupPolicy, CSIInlineVolume and
     * SELinuxMountReadWriteOncePod on).
     */
    static void csiDriver(ObjectNode driver) {
        ObjectNode spec = Nodes.ensureObj(driver, "spec");
        Nodes.defaultBool(spec, "attachRequired", true);
        Nodes.defaultBool(spec, "podInfoOnMount", false);
        Nodes.defaultBool(spec, "storageCapacity", false);
        Nodes.defaultStr(spec, "fsGroupPolicy", "ReadWriteOnceWithFSType");
        if (Nodes.absent(spec, "volumeLifecycleModes") || spec.get("volumeLifecycleModes").isEmpty()) {
            spec.putArray("volumeLifecycleModes").add("Persistent");
        }
        Nodes.defaultBool(spec, "requiresRepublish", false);
        Nodes.defaultBool(spec, "seLinuxMount", false);
    }

    static void priorityClass(ObjectNode pc) {
        Nodes.defaultStr(pc, "preemptionPolicy", "PreemptLowerPriority");
    }

    static void roleBinding(ObjectNode rb) {
        ObjectNode roleRef = Nodes.obj(rb, "roleRef");
        if (roleRef != null) {
            Nodes.defaultStr(roleRef, "apiGroup", "rbac.authorization.k8s.io");
        }
        for (ObjectNode subject : Nodes.objs(rb, "subjects")) {
            if (Nodes.blank(subject, "apiGroup")) {
                String kind = Nodes.str(subject, "kind");
                if (kind.equals("User") || kind.equals("Group")) {
                    subject.put("apiGroup", "rbac.authorization.k8s.io");
                } else if (kind.equals("ServiceAccount") && Nodes.absent(subject, "apiGroup")) {
                    subject.put("apiGroup", "");
                }
            }
        }
    }

    /** kube-aggregator's SetDefaults_ServiceReference: an aggregated API server listens on 443 unless told. */
    static void apiService(ObjectNode apiService) {
        ObjectNode service = Nodes.obj(Nodes.obj(apiService, "spec"), "service");
        if (service != null) {
            Nodes.defaultInt(service, "port", 443);
        }
    }

    static void customResourceDefinition(ObjectNode crd) {
        ObjectNode spec = Nodes.ensureObj(crd, "spec");
        ObjectNode conversion = Nodes.obj(spec, "conversion");
        if (conversion == null) {
            spec.putObject("conversion").put("strategy", "None");
        } else {
            Nodes.defaultStr(conversion, "strategy", "None");
            ObjectNode webhook = Nodes.obj(conversion, "webhook");
            ObjectNode service = Nodes.obj(Nodes.obj(webhook, "clientConfig"), "service");
            if (service != null) {
                Nodes.defaultInt(service, "port", 443);
            }
        }
        ObjectNode names = Nodes.obj(spec, "names");
        if (names != null) {
            String kind = Nodes.str(names, "kind");
            if (!kind.isEmpty()) {
                Nodes.defaultStr(names, "singular", kind.toLowerCase(Locale.ROOT));
                Nodes.defaultStr(names, "listKind", kind + "List");
            }
        }
    }
}
