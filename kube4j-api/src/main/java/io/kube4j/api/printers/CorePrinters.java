package io.kube4j.api.printers;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/** Printers of core/v1 kinds (pods are in {@link PodPrinter}). */
final class CorePrinters {
    private CorePrinters() {
    }

    static void register(Map<String, TablePrinter> into) {
        into.put("/Pod", new PodPrinter());
        into.put("/ComponentStatus", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Status", "Status of the component conditions"),
                Columns.str("Message", "Message of the component conditions"),
                Columns.str("Error", "Error of the component conditions")),
                CorePrinters::componentStatus));
        into.put("/Namespace", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Status", "The status of the namespace"), Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "status", "phase"), Cells.age(o, now))));
        into.put("/ConfigMap", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Data", "Data contains the configuration data."), Columns.AGE),
                (o, now) -> List.of(Cells.name(o), (long) (Cells.size(o, "data") + Cells.size(o, "binaryData")), Cells.age(o, now))));
        into.put("/Secret", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Type", "Used to facilitate programmatic handling of secret data."),
                Columns.str("Data", "Data contains the secret data."), Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "type"), (long) Cells.size(o, "data"), Cells.age(o, now))));
        into.put("/ServiceAccount", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Secrets", "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), (long) Cells.size(o, "secrets"), Cells.age(o, now))));
        into.put("/Service", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Type", "type determines how the Service is exposed."),
                Columns.str("Cluster-IP", "clusterIP is the IP address of the service."),
                Columns.str("External-IP", "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service."),
                Columns.str("Port(s)", "The list of ports that are exposed by this service."),
                Columns.AGE,
                Columns.wide("Selector", "Route service traffic to pods with label keys and values matching this selector.")),
                CorePrinters::service));
        into.put("/Endpoints", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Endpoints", "The set of all endpoints is the union of all subsets."), Columns.AGE),
                (o, now) -> List.of(Cells.name(o), endpoints(o), Cells.age(o, now))));
        into.put("/Node", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Status", "The status of the node"),
                Columns.str("Roles", "The roles of the node"),
                Columns.AGE,
                Columns.str("Version", "Kubelet Version reported by the node."),
                Columns.wide("Internal-IP", "List of addresses reachable to the node."),
                Columns.wide("External-IP", "List of addresses reachable to the node."),
                Columns.wide("OS-Image", "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy))."),
                Columns.wide("Kernel-Version", "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64)."),
                Columns.wide("Container-Runtime", "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).")),
                CorePrinters::node));
        into.put("/Event", new KindPrinter(List.of(
                Columns.str("Last Seen", "The time at which the most recent occurrence of this event was recorded."),
                Columns.str("Type", "Type of this event (Normal, Warning), new types could be added in the future"),
                Columns.str("Reason", "This should be a short, machine understandable string that gives the reason for the transition into the object's current status."),
                Columns.str("Object", "The object that this event is about."),
                Columns.wide("Subobject", "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement."),
                Columns.wide("Source", "The component reporting this event. Should be a short machine understandable string."),
                Columns.str("Message", "A human-readable description of the status of this operation."),
                Columns.wide("First Seen", "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)"),
                Columns.wide("Count", "The number of times this event has occurred."),
                new Column("Name", "string", "name", Columns.NAME_DOC, 1)),
                EventPrinting::coreEvent));
        into.put("/PersistentVolume", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Capacity", "capacity is the description of the persistent volume's resources and capacity."),
                Columns.str("Access Modes", "accessModes contains all ways the volume can be mounted."),
                Columns.str("Reclaim Policy", "persistentVolumeReclaimPolicy defines what happens to a persistent volume when released from its claim."),
                Columns.str("Status", "phase indicates if a volume is available, bound to a claim, or released by a claim."),
                Columns.str("Claim", "claimRef is part of a bi-directional binding between PersistentVolume and PersistentVolumeClaim."),
                Columns.str("StorageClass", "StorageClass of the pv"),
                Columns.str("VolumeAttributesClass", "VolumeAttributesClass of the pv"),
                Columns.str("Reason", "reason is a brief CamelCase string that describes any failure and is meant for machine parsing and tidy display in the CLI."),
                Columns.AGE,
                Columns.wide("VolumeMode", "volumeMode defines if a volume is intended to be used with a formatted filesystem or to remain in raw block state.")),
                CorePrinters::persistentVolume));
        into.put("/PersistentVolumeClaim", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Status", "phase represents the current phase of PersistentVolumeClaim."),
                Columns.str("Volume", "volumeName is the binding reference to the PersistentVolume backing this claim."),
                Columns.str("Capacity", "capacity represents the actual resources of the underlying volume."),
                Columns.str("Access Modes", "accessModes contains the actual access modes the volume backing the PVC has."),
                Columns.str("StorageClass", "StorageClass of the pvc"),
                Columns.str("VolumeAttributesClass", "VolumeAttributesClass of the pvc"),
                Columns.AGE,
                Columns.wide("VolumeMode", "volumeMode defines what type of volume is required by the claim.")),
                CorePrinters::persistentVolumeClaim));
        into.put("/ReplicationController", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Desired", "Replicas is the number of desired replicas."),
                Columns.integer("Current", "Replicas is the most recently observed number of replicas."),
                Columns.integer("Ready", "The number of ready replicas for this replication controller."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES,
                Columns.wide("Selector", "Selector is a label query over pods that should match the Replicas count.")),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
                    return List.of(Cells.name(o), Cells.num(o, "spec", "replicas"), Cells.num(o, "status", "replicas"),
                            Cells.num(o, "status", "readyReplicas"), Cells.age(o, now), c[0], c[1],
                            Cells.formatLabels(Cells.at(o, "spec", "selector")));
                }));
        into.put("/PodTemplate", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Containers", "Names of each container in the template."),
                Columns.str("Images", "Images referenced by each container in the template."),
                Columns.str("Pod Labels", "The labels for the pod template.")),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "template", "spec"));
                    return List.of(Cells.name(o), c[0], c[1], Cells.formatLabels(Cells.at(o, "template", "metadata", "labels")));
                }));
        into.put("/ResourceQuota", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Request", "Request represents a minimum amount of cpu/memory that a container may consume."),
                Columns.str("Limit", "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node."),
                Columns.AGE),
                CorePrinters::resourceQuota));
    }

    private static List<Object> service(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        JsonNode spec = o.get("spec");
        String type = Cells.str(spec, "type");
        List<JsonNode> clusterIPs = Cells.list(spec, "clusterIPs");
        String internalIp = clusterIPs.isEmpty() ? "<none>" : clusterIPs.get(0).asString();
        List<String> ports = new ArrayList<>();
        for (JsonNode p : Cells.list(spec, "ports")) {
            long nodePort = Cells.num(p, "nodePort");
            String protocol = Cells.str(p, "protocol");
            ports.add(nodePort > 0 ? Cells.num(p, "port") + ":" + nodePort + "/" + protocol : Cells.num(p, "port") + "/" + protocol);
        }
        String portText = ports.isEmpty() ? "<none>" : String.join(",", ports);
        return List.of(Cells.name(o), type, internalIp, externalIp(o), portText, Cells.age(o, now),
                Cells.formatLabels(Cells.at(spec, "selector")));
    }

    private static String externalIp(tools.jackson.databind.node.ObjectNode svc) {
        JsonNode spec = svc.get("spec");
        List<String> externalIPs = new ArrayList<>();
        Cells.list(spec, "externalIPs").forEach(n -> externalIPs.add(n.asString()));
        switch (Cells.str(spec, "type")) {
            case "ClusterIP", "NodePort":
                return externalIPs.isEmpty() ? "<none>" : String.join(",", externalIPs);
            case "LoadBalancer": {
                TreeSet<String> lb = new TreeSet<>();
                for (JsonNode ing : Cells.list(svc, "status", "loadBalancer", "ingress")) {
                    if (!Cells.str(ing, "ip").isEmpty()) {
                        lb.add(Cells.str(ing, "ip"));
                    } else if (!Cells.str(ing, "hostname").isEmpty()) {
                        lb.add(Cells.str(ing, "hostname"));
                    }
                }
                if (!externalIPs.isEmpty()) {
                    List<String> all = new ArrayList<>(lb);
                    all.addAll(externalIPs);
                    return String.join(",", all);
                }
                return lb.isEmpty() ? "<pending>" : String.join(",", lb);
            }
            case "ExternalName":
                return Cells.str(spec, "externalName");
            default:
                return "<unknown>";
        }
    }

    /** Upstream's formatEndpoints: at most 3 {@code ip:port} entries, then {@code + N more...}. */
    static String endpoints(tools.jackson.databind.node.ObjectNode ep) {
        List<JsonNode> subsets = Cells.list(ep, "subsets");
        if (subsets.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode ss : subsets) {
            List<JsonNode> addresses = Cells.list(ss, "addresses");
            List<JsonNode> ports = Cells.list(ss, "ports");
            if (ports.isEmpty()) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    list.add(Cells.str(a, "ip"));
                }
                continue;
            }
            for (JsonNode port : ports) {
                count += addresses.size();
                for (JsonNode a : addresses) {
                    if (list.size() == max) {
                        more = true;
                        break;
                    }
                    String ip = Cells.str(a, "ip");
                    String host = ip.contains(":") ? "[" + ip + "]" : ip;
                    list.add(host + ":" + Cells.num(port, "port"));
                }
            }
        }
        String ret = String.join(",", list);
        return more ? ret + " + " + (count - max) + " more..." : ret;
    }

    private static List<Object> node(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        List<String> status = new ArrayList<>();
        for (JsonNode cond : Cells.list(o, "status", "conditions")) {
            if ("Ready".equals(Cells.str(cond, "type"))) {
                status.clear();
                status.add("True".equals(Cells.str(cond, "status")) ? "Ready" : "NotReady");
            }
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (Cells.bool(o, "spec", "unschedulable")) {
            status.add("SchedulingDisabled");
        }
        TreeSet<String> roles = new TreeSet<>();
        JsonNode labels = Cells.at(o, "metadata", "labels");
        if (labels != null && labels.isObject()) {
            for (Map.Entry<String, JsonNode> e : labels.properties()) {
                String k = e.getKey();
                if (k.startsWith("node-role.kubernetes.io/")) {
                    String role = k.substring("node-role.kubernetes.io/".length());
                    if (!role.isEmpty()) {
                        roles.add(role);
                    }
                } else if (k.equals("kubernetes.io/role") && !Cells.scalar(e.getValue()).isEmpty()) {
                    roles.add(Cells.scalar(e.getValue()));
                }
            }
        }
        JsonNode info = Cells.at(o, "status", "nodeInfo");
        return List.of(Cells.name(o), String.join(",", status), roles.isEmpty() ? "<none>" : String.join(",", roles),
                Cells.age(o, now), Cells.str(info, "kubeletVersion"),
                nodeAddress(o, "InternalIP"), nodeAddress(o, "ExternalIP"),
                unknownIfEmpty(Cells.str(info, "osImage")), unknownIfEmpty(Cells.str(info, "kernelVersion")),
                unknownIfEmpty(Cells.str(info, "containerRuntimeVersion")));
    }

    private static String nodeAddress(JsonNode node, String type) {
        for (JsonNode a : Cells.list(node, "status", "addresses")) {
            if (type.equals(Cells.str(a, "type"))) {
                return Cells.str(a, "address");
            }
        }
        return "<none>";
    }

    private static String unknownIfEmpty(String s) {
        return s.isEmpty() ? "<unknown>" : s;
    }

    private static List<Object> persistentVolume(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        JsonNode spec = o.get("spec");
        String claim = "";
        if (Cells.has(spec, "claimRef")) {
            claim = Cells.str(spec, "claimRef", "namespace") + "/" + Cells.str(spec, "claimRef", "name");
        }
        String phase = Cells.deleting(o) ? "Terminating" : Cells.str(o, "status", "phase");
        String storageClass = Cells.str(spec, "storageClassName");
        if (storageClass.isEmpty()) {
            storageClass = Cells.str(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
        }
        String vac = Cells.has(spec, "volumeAttributesClassName") ? Cells.str(spec, "volumeAttributesClassName") : "<unset>";
        String volumeMode = Cells.has(spec, "volumeMode") ? Cells.str(spec, "volumeMode") : "<unset>";
        String capacity = Cells.has(spec, "capacity", "storage") ? Cells.scalar(Cells.at(spec, "capacity", "storage")) : "0";
        return List.of(Cells.name(o), capacity, Cells.accessModes(Cells.at(spec, "accessModes")),
                Cells.str(spec, "persistentVolumeReclaimPolicy"), phase, claim, storageClass, vac,
                Cells.str(o, "status", "reason"), Cells.age(o, now), volumeMode);
    }

    private static List<Object> persistentVolumeClaim(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        JsonNode spec = o.get("spec");
        String phase = Cells.deleting(o) ? "Terminating" : Cells.str(o, "status", "phase");
        String volumeName = Cells.str(spec, "volumeName");
        String capacity = "";
        String accessModes = "";
        if (!volumeName.isEmpty()) {
            accessModes = Cells.accessModes(Cells.at(o, "status", "accessModes"));
            capacity = Cells.has(o, "status", "capacity", "storage") ? Cells.scalar(Cells.at(o, "status", "capacity", "storage")) : "0";
        }
        String storageClass = Cells.str(o, "metadata", "annotations", "volume.beta.kubernetes.io/storage-class");
        if (storageClass.isEmpty()) {
            storageClass = Cells.str(spec, "storageClassName");
        }
        String vac = Cells.has(spec, "volumeAttributesClassName") ? Cells.str(spec, "volumeAttributesClassName") : "<unset>";
        String volumeMode = Cells.has(spec, "volumeMode") ? Cells.str(spec, "volumeMode") : "<unset>";
        return List.of(Cells.name(o), phase, volumeName, capacity, accessModes, storageClass, vac, Cells.age(o, now), volumeMode);
    }

    private static List<Object> resourceQuota(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        JsonNode hard = Cells.at(o, "status", "hard");
        List<String> resources = new ArrayList<>();
        if (hard != null && hard.isObject()) {
            resources.addAll(hard.propertyNames());
        }
        resources.sort(null);
        List<String> requests = new ArrayList<>();
        List<String> limits = new ArrayList<>();
        for (String r : resources) {
            String used = Cells.has(o, "status", "used", r) ? Cells.scalar(Cells.at(o, "status", "used", r)) : "0";
            String text = r + ": " + used + "/" + Cells.scalar(hard.get(r));
            String[] pieces = r.split("\\.");
            if (pieces.length > 1 && pieces[0].equals("limits")) {
                limits.add(text);
            } else {
                requests.add(text);
            }
        }
        return List.of(Cells.name(o), String.join(", ", requests), String.join(", ", limits), Cells.age(o, now));
    }

    /** The Healthy condition: "Healthy" only when True, anything else "Unhealthy", no condition "Unknown". */
    private static List<Object> componentStatus(tools.jackson.databind.node.ObjectNode o, java.time.Instant now) {
        for (JsonNode condition : Cells.list(o, "conditions")) {
            if (Cells.str(condition, "type").equals("Healthy")) {
                String status = Cells.str(condition, "status").equals("True") ? "Healthy" : "Unhealthy";
                return List.of(Cells.name(o), status, Cells.str(condition, "message"), Cells.str(condition, "error"));
            }
        }
        return List.of(Cells.name(o), "Unknown", "", "");
    }
}
