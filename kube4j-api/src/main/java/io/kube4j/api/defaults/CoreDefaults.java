package io.kube4j.api.defaults;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaults of the other core/v1 kinds. */
final class CoreDefaults {
    private CoreDefaults() {
    }

    static void replicationController(ObjectNode rc) {
        ObjectNode spec = Nodes.ensureObj(rc, "spec");
        Nodes.defaultInt(spec, "replicas", 1);
        ObjectNode template = Nodes.obj(spec, "template");
        ObjectNode templateLabels = Nodes.obj(Nodes.obj(template, "metadata"), "labels");
        if (templateLabels != null && !templateLabels.isEmpty()) {
            ObjectNode selector = Nodes.obj(spec, "selector");
            if (selector == null || selector.isEmpty()) {
                spec.set("selector", templateLabels.deepCopy());
            }
            ObjectNode meta = Nodes.ensureObj(rc, "metadata");
            ObjectNode labels = Nodes.obj(meta, "labels");
            if (labels == null || labels.isEmpty()) {
                meta.set("labels", templateLabels.deepCopy());
            }
        }
        PodDefaults.template(template);
    }

    static void endpoints(ObjectNode ep) {
        for (ObjectNode subset : Nodes.objs(ep, "subsets")) {
            for (ObjectNode port : Nodes.objs(subset, "ports")) {
                Nodes.defaultStr(port, "protocol", "TCP");
            }
        }
    }

    static void namespace(ObjectNode ns) {
        ObjectNode spec = Nodes.ensureObj(ns, "spec");
        JsonNode finalizers = spec.get("finalizers");
        if (finalizers == null || finalizers.isNull()) {
            spec.putArray("finalizers").add("kubernetes");
        }
        ObjectNode status = Nodes.ensureObj(ns, "status");
        Nodes.defaultStr(status, "phase", "Active");
    }

    static void node(ObjectNode node) {
        ObjectNode status = Nodes.obj(node, "status");
        if (status != null && Nodes.absent(status, "allocatable") && !Nodes.absent(status, "capacity")) {
            status.set("allocatable", status.get("capacity").deepCopy());
        }
    }

    /** Also what upstream's v1 conversion does: stringData is merged into data (base64) and never stored. */
    static void secret(ObjectNode secret) {
        Nodes.defaultStr(secret, "type", "Opaque");
        ObjectNode stringData = Nodes.obj(secret, "stringData");
        if (stringData != null) {
            ObjectNode data = Nodes.ensureObj(secret, "data");
            for (Map.Entry<String, JsonNode> e : stringData.properties()) {
                String value = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
                data.put(e.getKey(), java.util.Base64.getEncoder().encodeToString(value.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            secret.remove("stringData");
        }
    }

    static void persistentVolume(ObjectNode pv) {
        ObjectNode spec = Nodes.ensureObj(pv, "spec");
        Nodes.defaultStr(spec, "persistentVolumeReclaimPolicy", "Retain");
        Nodes.defaultStr(spec, "volumeMode", "Filesystem");
        ObjectNode hostPath = Nodes.obj(spec, "hostPath");
        if (hostPath != null && Nodes.absent(hostPath, "type")) {
            hostPath.put("type", "");
        }
        Nodes.defaultStr(Nodes.ensureObj(pv, "status"), "phase", "Pending");
    }

    static void persistentVolumeClaim(ObjectNode pvc) {
        claimSpec(Nodes.ensureObj(pvc, "spec"));
        Nodes.defaultStr(Nodes.ensureObj(pvc, "status"), "phase", "Pending");
    }

    static void claimSpec(ObjectNode spec) {
        Nodes.defaultStr(spec, "volumeMode", "Filesystem");
    }

    static void limitRange(ObjectNode lr) {
        for (ObjectNode item : Nodes.objs(Nodes.obj(lr, "spec"), "limits")) {
            if (!"Container".equals(Nodes.str(item, "type"))) {
                continue;
            }
            ObjectNode dflt = Nodes.ensureObj(item, "default");
            ObjectNode dfltRequest = Nodes.ensureObj(item, "defaultRequest");
            copyMissing(Nodes.obj(item, "max"), dflt);
            copyMissing(dflt, dfltRequest);
            copyMissing(Nodes.obj(item, "min"), dfltRequest);
        }
    }

    private static void copyMissing(ObjectNode from, ObjectNode to) {
        if (from == null) {
            return;
        }
        for (Map.Entry<String, JsonNode> e : from.properties()) {
            if (!to.has(e.getKey())) {
                to.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }
}
