package io.kube4j.api.printers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Printers of networking, discovery, coordination, policy, autoscaling, storage, scheduling, RBAC and admission kinds. */
final class OtherPrinters {
    private OtherPrinters() {
    }

    static void register(Map<String, TablePrinter> into) {
        into.put("networking.k8s.io/Ingress", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Class", "The name of the IngressClass resource that should be used for additional configuration"),
                Columns.str("Hosts", "Hosts that incoming requests are matched against before the ingress rule"),
                Columns.str("Address", "Address is a list containing ingress points for the load-balancer"),
                Columns.str("Ports", "Ports of TLS configurations that open"),
                Columns.AGE),
                OtherPrinters::ingress));
        into.put("networking.k8s.io/IngressClass", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Controller", "Controller that is responsible for handling this class"),
                Columns.str("Parameters", "A reference to a resource with additional parameters"),
                Columns.AGE),
                (o, now) -> {
                    String parameters = "<none>";
                    JsonNode p = Cells.at(o, "spec", "parameters");
                    if (p != null) {
                        parameters = Cells.str(p, "kind");
                        if (Cells.has(p, "apiGroup")) {
                            parameters += "." + Cells.str(p, "apiGroup");
                        }
                        parameters += "/" + Cells.str(p, "name");
                    }
                    return List.of(Cells.name(o), Cells.str(o, "spec", "controller"), parameters, Cells.age(o, now));
                }));
        into.put("networking.k8s.io/NetworkPolicy", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Pod-Selector", "Selects the pods to which this NetworkPolicy object applies."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.formatLabelSelector(emptyIfAbsent(Cells.at(o, "spec", "podSelector"))),
                        Cells.age(o, now))));
        into.put("discovery.k8s.io/EndpointSlice", new KindPrinter(List.of(Columns.NAME,
                Columns.str("AddressType", "addressType specifies the type of address carried by this EndpointSlice."),
                Columns.str("Ports", "ports specifies the list of network ports exposed by each endpoint in this slice."),
                Columns.str("Endpoints", "endpoints is a list of unique endpoints in this slice."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "addressType"), slicePorts(o), sliceEndpoints(o), Cells.age(o, now))));
        into.put("coordination.k8s.io/Lease", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Holder", "holderIdentity contains the identity of the holder of a current lease."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "spec", "holderIdentity"), Cells.age(o, now))));
        into.put("policy/PodDisruptionBudget", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Min Available", "The minimum number of pods that must be available."),
                Columns.str("Max Unavailable", "The maximum number of pods that may be unavailable."),
                Columns.integer("Allowed Disruptions", "Calculated number of pods that may be disrupted at this time."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o),
                        Cells.has(o, "spec", "minAvailable") ? Cells.scalar(Cells.at(o, "spec", "minAvailable")) : "N/A",
                        Cells.has(o, "spec", "maxUnavailable") ? Cells.scalar(Cells.at(o, "spec", "maxUnavailable")) : "N/A",
                        Cells.num(o, "status", "disruptionsAllowed"), Cells.age(o, now))));
        into.put("autoscaling/HorizontalPodAutoscaler", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Reference", "scaleTargetRef points to the target resource to scale."),
                Columns.str("Targets", "metrics contains the specifications for which to use to calculate the desired replica count."),
                Columns.str("MinPods", "minReplicas is the lower limit for the number of replicas to which the autoscaler can scale down."),
                Columns.str("MaxPods", "maxReplicas is the upper limit for the number of pods that can be set by the autoscaler."),
                Columns.str("Replicas", "currentReplicas is current number of replicas of pods managed by this autoscaler."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o),
                        Cells.str(o, "spec", "scaleTargetRef", "kind") + "/" + Cells.str(o, "spec", "scaleTargetRef", "name"),
                        HpaTargets.format(o),
                        Cells.has(o, "spec", "minReplicas") ? Long.toString(Cells.num(o, "spec", "minReplicas")) : "<unset>",
                        Cells.num(o, "spec", "maxReplicas"), Cells.num(o, "status", "currentReplicas"), Cells.age(o, now))));
        into.put("storage.k8s.io/StorageClass", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Provisioner", "provisioner indicates the type of the provisioner."),
                Columns.str("ReclaimPolicy", "reclaimPolicy controls the reclaimPolicy for dynamically provisioned PersistentVolumes of this storage class."),
                Columns.str("VolumeBindingMode", "volumeBindingMode indicates how PersistentVolumeClaims should be provisioned and bound."),
                Columns.str("AllowVolumeExpansion", "allowVolumeExpansion shows whether the storage class allow volume expand."),
                Columns.AGE),
                (o, now) -> {
                    String name = Cells.name(o);
                    String dflt = Cells.str(o, "metadata", "annotations", "storageclass.kubernetes.io/is-default-class");
                    String betaDflt = Cells.str(o, "metadata", "annotations", "storageclass.beta.kubernetes.io/is-default-class");
                    if ("true".equals(dflt) || "true".equals(betaDflt)) {
                        name += " (default)";
                    }
                    String reclaim = Cells.has(o, "reclaimPolicy") ? Cells.str(o, "reclaimPolicy") : "Delete";
                    String binding = Cells.has(o, "volumeBindingMode") ? Cells.str(o, "volumeBindingMode") : "Immediate";
                    return List.of(name, Cells.str(o, "provisioner"), reclaim, binding, Cells.bool(o, "allowVolumeExpansion"),
                            Cells.age(o, now));
                }));
        into.put("scheduling.k8s.io/PriorityClass", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Value", "value represents the integer value of this priority class."),
                Columns.bool("Global-Default", "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class."),
                Columns.AGE,
                new Column("PreemptionPolicy", "string", "", "preemptionPolicy is the Policy for preempting pods with lower priority.", 0)),
                (o, now) -> List.of(Cells.name(o), Cells.num(o, "value"), Cells.bool(o, "globalDefault"), Cells.age(o, now),
                        Cells.str(o, "preemptionPolicy"))));
        into.put("rbac.authorization.k8s.io/RoleBinding", roleBinding("roleBinding"));
        into.put("rbac.authorization.k8s.io/ClusterRoleBinding", roleBinding("clusterRoleBinding"));
        TablePrinter webhooks = new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Webhooks", "Webhooks indicates the number of webhooks registered in this configuration"),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), (long) Cells.size(o, "webhooks"), Cells.age(o, now)));
        into.put("admissionregistration.k8s.io/MutatingWebhookConfiguration", webhooks);
        into.put("admissionregistration.k8s.io/ValidatingWebhookConfiguration", webhooks);
        into.put("node.k8s.io/RuntimeClass", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Handler", "handler specifies the underlying runtime and configuration that the CRI implementation will use."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.str(o, "handler"), Cells.age(o, now))));
    }

    private static JsonNode emptyIfAbsent(JsonNode n) {
        return n == null ? tools.jackson.databind.node.JsonNodeFactory.instance.objectNode() : n;
    }

    private static TablePrinter roleBinding(String what) {
        return new KindPrinter(List.of(Columns.NAME,
                Columns.str("Role", "RoleRef can reference a Role in the current namespace or a ClusterRole in the global namespace."),
                Columns.AGE,
                Columns.wide("Users", "Users in the " + what),
                Columns.wide("Groups", "Groups in the " + what),
                Columns.wide("ServiceAccounts", "ServiceAccounts in the " + what)),
                (o, now) -> {
                    List<String> users = new ArrayList<>();
                    List<String> groups = new ArrayList<>();
                    List<String> sas = new ArrayList<>();
                    for (JsonNode s : Cells.list(o, "subjects")) {
                        switch (Cells.str(s, "kind")) {
                            case "User" -> users.add(Cells.str(s, "name"));
                            case "Group" -> groups.add(Cells.str(s, "name"));
                            case "ServiceAccount" -> sas.add(Cells.str(s, "namespace") + "/" + Cells.str(s, "name"));
                            default -> { }
                        }
                    }
                    return List.of(Cells.name(o), Cells.str(o, "roleRef", "kind") + "/" + Cells.str(o, "roleRef", "name"),
                            Cells.age(o, now), String.join(", ", users), String.join(", ", groups), String.join(", ", sas));
                });
    }

    private static List<Object> ingress(ObjectNode o, Instant now) {
        String className = Cells.has(o, "spec", "ingressClassName") ? Cells.str(o, "spec", "ingressClassName") : "<none>";
        List<JsonNode> rules = Cells.list(o, "spec", "rules");
        List<String> hosts = new ArrayList<>();
        int max = 3;
        boolean more = false;
        for (JsonNode rule : rules) {
            if (hosts.size() == max) {
                more = true;
            }
            if (!more && !Cells.str(rule, "host").isEmpty()) {
                hosts.add(Cells.str(rule, "host"));
            }
        }
        String hostText = hosts.isEmpty() ? "*" : String.join(",", hosts);
        if (!hosts.isEmpty() && more) {
            hostText += " + " + (rules.size() - max) + " more...";
        }
        TreeSet<String> addresses = new TreeSet<>();
        for (JsonNode ing : Cells.list(o, "status", "loadBalancer", "ingress")) {
            if (!Cells.str(ing, "ip").isEmpty()) {
                addresses.add(Cells.str(ing, "ip"));
            } else if (!Cells.str(ing, "hostname").isEmpty()) {
                addresses.add(Cells.str(ing, "hostname"));
            }
        }
        String ports = Cells.size(o, "spec", "tls") != 0 ? "80, 443" : "80";
        return List.of(Cells.name(o), className, hostText, String.join(",", addresses), ports, Cells.age(o, now));
    }

    private static String slicePorts(ObjectNode o) {
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode p : Cells.list(o, "ports")) {
            if (list.size() < max) {
                String port = "*";
                if (Cells.has(p, "port")) {
                    port = Long.toString(Cells.num(p, "port"));
                } else if (Cells.has(p, "name")) {
                    port = Cells.str(p, "name");
                }
                list.add(port);
            } else if (list.size() == max) {
                more = true;
            }
            count++;
        }
        return withMore(list, more, count, max);
    }

    private static String sliceEndpoints(ObjectNode o) {
        List<String> list = new ArrayList<>();
        int max = 3;
        boolean more = false;
        int count = 0;
        for (JsonNode e : Cells.list(o, "endpoints")) {
            for (JsonNode a : Cells.list(e, "addresses")) {
                if (list.size() < max) {
                    list.add(a.asString());
                } else if (list.size() == max) {
                    more = true;
                }
                count++;
            }
        }
        return withMore(list, more, count, max);
    }

    private static String withMore(List<String> list, boolean more, int count, int max) {
        String ret = String.join(",", list);
        if (more) {
            return ret + " + " + (count - max) + " more...";
        }
        return ret.isEmpty() ? "<unset>" : ret;
    }
}
