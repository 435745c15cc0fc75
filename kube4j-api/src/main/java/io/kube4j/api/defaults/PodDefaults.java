package io.kube4j.api.defaults;

import io.kube4j.api.validation.QuantitySyntax;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaults of pods, pod templates and everything nested in a pod spec (containers, probes, volumes). */
final class PodDefaults {
    private PodDefaults() {
    }

    static final int DEFAULT_TERMINATION_GRACE_PERIOD = 30;
    private static final List<String> VOLUME_SOURCES = List.of("hostPath", "emptyDir", "gcePersistentDisk",
            "awsElasticBlockStore", "gitRepo", "secret", "nfs", "iscsi", "glusterfs", "persistentVolumeClaim", "rbd",
            "flexVolume", "cinder", "cephfs", "flocker", "downwardAPI", "fc", "azureFile", "configMap", "vsphereVolume",
            "quobyte", "azureDisk", "photonPersistentDisk", "projected", "portworxVolume", "scaleIO", "storageos", "csi",
            "ephemeral", "image");

    /** A Pod object: the spec defaults plus what upstream applies to pods only (not templates). */
    static void pod(ObjectNode pod) {
        ObjectNode spec = Nodes.ensureObj(pod, "spec");
        podSpec(spec);
        for (String list : List.of("containers", "initContainers")) {
            for (ObjectNode c : Nodes.objs(spec, list)) {
                requestsFromLimits(c);
            }
        }
        Nodes.defaultBool(spec, "enableServiceLinks", true);
        if (spec.path("hostNetwork").asBoolean(false)) {
            for (String list : List.of("containers", "initContainers")) {
                for (ObjectNode c : Nodes.objs(spec, list)) {
                    for (ObjectNode p : Nodes.objs(c, "ports")) {
                        if (p.path("hostPort").asInt(0) == 0 && p.has("containerPort")) {
                            p.set("hostPort", p.get("containerPort"));
                        }
                    }
                }
            }
        }
        // What the Priority admission plugin resolves when no PriorityClass names another value.
        String priorityClass = Nodes.str(spec, "priorityClassName");
        if (priorityClass.isEmpty()) {
            Nodes.defaultInt(spec, "priority", 0);
            Nodes.defaultStr(spec, "preemptionPolicy", "PreemptLowerPriority");
        } else if (SystemPriorityClasses.named(priorityClass).isPresent()) {
            Nodes.defaultInt(spec, "priority", (int) SystemPriorityClasses.named(priorityClass).get().value());
            Nodes.defaultStr(spec, "preemptionPolicy", "PreemptLowerPriority");
        }
        // What the pod registry sets on create: a new pod is Pending, with its QoS class.
        ObjectNode status = Nodes.ensureObj(pod, "status");
        if (Nodes.blank(status, "phase")) {
            status.put("phase", "Pending");
        }
        if (Nodes.blank(status, "qosClass")) {
            status.put("qosClass", qosClass(spec));
        }
    }

    /** A PodTemplateSpec inside a workload: spec defaults only. */
    static void template(ObjectNode template) {
        if (template == null) {
            return;
        }
        podSpec(Nodes.ensureObj(template, "spec"));
    }

    static void podSpec(ObjectNode spec) {
        Nodes.defaultStr(spec, "dnsPolicy", "ClusterFirst");
        Nodes.defaultStr(spec, "restartPolicy", "Always");
        if (Nodes.absent(spec, "securityContext")) {
            spec.putObject("securityContext");
        }
        Nodes.defaultInt(spec, "terminationGracePeriodSeconds", DEFAULT_TERMINATION_GRACE_PERIOD);
        Nodes.defaultStr(spec, "schedulerName", "default-scheduler");
        for (String list : List.of("containers", "initContainers", "ephemeralContainers")) {
            for (ObjectNode c : Nodes.objs(spec, list)) {
                container(c);
            }
        }
        for (ObjectNode v : Nodes.objs(spec, "volumes")) {
            volume(v);
        }
    }

    static void container(ObjectNode c) {
        if (Nodes.blank(c, "imagePullPolicy")) {
            c.put("imagePullPolicy", "latest".equals(imageTag(Nodes.str(c, "image"))) ? "Always" : "IfNotPresent");
        }
        Nodes.defaultStr(c, "terminationMessagePath", "/dev/termination-log");
        Nodes.defaultStr(c, "terminationMessagePolicy", "File");
        for (ObjectNode p : Nodes.objs(c, "ports")) {
            Nodes.defaultStr(p, "protocol", "TCP");
        }
        for (ObjectNode e : Nodes.objs(c, "env")) {
            fieldRef(Nodes.obj(Nodes.obj(e, "valueFrom"), "fieldRef"));
        }
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            ObjectNode p = Nodes.obj(c, probe);
            if (p != null) {
                Nodes.defaultInt(p, "timeoutSeconds", 1);
                Nodes.defaultInt(p, "periodSeconds", 10);
                Nodes.defaultInt(p, "successThreshold", 1);
                Nodes.defaultInt(p, "failureThreshold", 3);
                httpGet(Nodes.obj(p, "httpGet"));
            }
        }
        ObjectNode lifecycle = Nodes.obj(c, "lifecycle");
        for (String hook : List.of("postStart", "preStop")) {
            httpGet(Nodes.obj(Nodes.obj(lifecycle, hook), "httpGet"));
        }
    }

    private static void httpGet(ObjectNode h) {
        if (h != null) {
            Nodes.defaultStr(h, "path", "/");
            Nodes.defaultStr(h, "scheme", "HTTP");
        }
    }

    private static void fieldRef(ObjectNode ref) {
        if (ref != null) {
            Nodes.defaultStr(ref, "apiVersion", "v1");
        }
    }

    static void volume(ObjectNode v) {
        boolean hasSource = false;
        for (String s : VOLUME_SOURCES) {
            if (!Nodes.absent(v, s)) {
                hasSource = true;
                break;
            }
        }
        if (!hasSource) {
            v.putObject("emptyDir");
        }
        ObjectNode hostPath = Nodes.obj(v, "hostPath");
        if (hostPath != null && Nodes.absent(hostPath, "type")) {
            hostPath.put("type", "");
        }
        for (String s : List.of("secret", "configMap", "downwardAPI", "projected")) {
            ObjectNode src = Nodes.obj(v, s);
            if (src != null) {
                Nodes.defaultInt(src, "defaultMode", 420);
            }
        }
        for (ObjectNode item : Nodes.objs(Nodes.obj(v, "downwardAPI"), "items")) {
            fieldRef(Nodes.obj(item, "fieldRef"));
        }
        for (ObjectNode source : Nodes.objs(Nodes.obj(v, "projected"), "sources")) {
            ObjectNode token = Nodes.obj(source, "serviceAccountToken");
            if (token != null) {
                Nodes.defaultInt(token, "expirationSeconds", 3600);
            }
            for (ObjectNode item : Nodes.objs(Nodes.obj(source, "downwardAPI"), "items")) {
                fieldRef(Nodes.obj(item, "fieldRef"));
            }
        }
        ObjectNode iscsi = Nodes.obj(v, "iscsi");
        if (iscsi != null) {
            Nodes.defaultStr(iscsi, "iscsiInterface", "default");
        }
        ObjectNode rbd = Nodes.obj(v, "rbd");
        if (rbd != null) {
            Nodes.defaultStr(rbd, "pool", "rbd");
            Nodes.defaultStr(rbd, "user", "admin");
            Nodes.defaultStr(rbd, "keyring", "/etc/ceph/keyring");
        }
        ObjectNode azureDisk = Nodes.obj(v, "azureDisk");
        if (azureDisk != null) {
            Nodes.defaultStr(azureDisk, "cachingMode", "ReadWrite");
            Nodes.defaultStr(azureDisk, "fsType", "ext4");
            Nodes.defaultBool(azureDisk, "readOnly", false);
            Nodes.defaultStr(azureDisk, "kind", "Shared");
        }
        ObjectNode ephemeralSpec = Nodes.obj(Nodes.obj(Nodes.obj(v, "ephemeral"), "volumeClaimTemplate"), "spec");
        if (ephemeralSpec != null) {
            Nodes.defaultStr(ephemeralSpec, "volumeMode", "Filesystem");
        }
    }

    private static void requestsFromLimits(ObjectNode c) {
        ObjectNode resources = Nodes.obj(c, "resources");
        ObjectNode limits = Nodes.obj(resources, "limits");
        if (limits == null) {
            return;
        }
        ObjectNode requests = Nodes.ensureObj(resources, "requests");
        for (Map.Entry<String, JsonNode> e : limits.properties()) {
            if (!requests.has(e.getKey())) {
                requests.set(e.getKey(), e.getValue().deepCopy());
            }
        }
    }

    /**
     * The tag of an image reference; "latest" when it has neither tag nor digest, "" for a digest alone
     * (as upstream's {@code parsers.ParseImageName}).
     */
    static String imageTag(String image) {
        String ref = image;
        boolean digest = false;
        int at = ref.indexOf('@');
        if (at >= 0) {
            digest = true;
            ref = ref.substring(0, at);
        }
        int slash = ref.lastIndexOf('/');
        String last = ref.substring(slash + 1);
        int colon = last.lastIndexOf(':');
        if (colon >= 0) {
            return last.substring(colon + 1);
        }
        return digest ? "" : "latest";
    }

    /** Upstream's {@code qos.GetPodQOS} over cpu and memory. */
    static String qosClass(ObjectNode spec) {
        Map<String, BigDecimal> requests = new HashMap<>();
        Map<String, BigDecimal> limits = new HashMap<>();
        boolean guaranteed = true;
        for (String list : List.of("containers", "initContainers")) {
            for (ObjectNode c : Nodes.objs(spec, list)) {
                ObjectNode resources = Nodes.obj(c, "resources");
                addNonZero(Nodes.obj(resources, "requests"), requests);
                ObjectNode l = Nodes.obj(resources, "limits");
                int found = addNonZero(l, limits);
                if (found < 2) {
                    guaranteed = false;
                }
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed && requests.size() == limits.size()) {
            boolean equal = true;
            for (Map.Entry<String, BigDecimal> e : limits.entrySet()) {
                BigDecimal r = requests.get(e.getKey());
                if (r == null || r.compareTo(e.getValue()) != 0) {
                    equal = false;
                }
            }
            if (equal) {
                return "Guaranteed";
            }
        }
        return "Burstable";
    }

    /** Adds the non-zero cpu and memory quantities of {@code list} into {@code into}; returns how many were present. */
    private static int addNonZero(ObjectNode list, Map<String, BigDecimal> into) {
        int found = 0;
        if (list == null) {
            return 0;
        }
        for (String r : List.of("cpu", "memory")) {
            BigDecimal q = QuantitySyntax.parse(list.get(r));
            if (q != null && q.signum() != 0) {
                into.merge(r, q, BigDecimal::add);
                found++;
            }
        }
        return found;
    }
}
