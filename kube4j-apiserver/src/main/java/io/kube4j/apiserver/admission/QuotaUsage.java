package io.kube4j.apiserver.admission;

import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.podresources.PodTotals;
import io.kube4j.api.quantity.Quantity;
import io.kube4j.api.quota.QuotaResources;
import io.kube4j.api.quota.QuotaScopes;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What objects count against a ResourceQuota, as upstream's quota evaluators compute it: object counts
 * ({@code pods}, {@code count/deployments.apps}, ...), pod compute resources ({@code requests.cpu},
 * {@code limits.memory}, ...), service node ports and load balancers, PVC storage; which of a quota's resources
 * a kind is charged to; and the quota's scopes.
 */
public final class QuotaUsage {

    /** Resources whose usage is an object count under their legacy name. */
    private static final Map<String, String> LEGACY_COUNTS = Map.of(
            "pods", "pods", "services", "services", "configmaps", "configmaps", "secrets", "secrets",
            "persistentvolumeclaims", "persistentvolumeclaims", "replicationcontrollers", "replicationcontrollers",
            "resourcequotas", "resourcequotas");
    static final Set<String> POD_COMPUTE = Set.of("cpu", "memory", "requests.cpu", "requests.memory", "limits.cpu",
            "limits.memory");

    private QuotaUsage() {
    }

    /**
     * The usage one object contributes. A terminal pod (phase Succeeded or Failed) still counts as
     * {@code count/pods}, which tracks every pod in storage, but no longer as {@code pods} or compute resources
     * (upstream's PodUsageFunc: "pods" is tied to the pod's life-cycle).
     */
    public static Map<String, Quantity> of(String group, String resource, JsonNode object) {
        Map<String, Quantity> usage = new TreeMap<>();
        if (object == null) {
            return usage;
        }
        Quantity one = Quantity.of(1, Quantity.Format.DECIMAL_SI);
        usage.put("count/" + (group.isEmpty() ? resource : resource + "." + group), one);
        if (group.isEmpty() && resource.equals("pods") && terminal(object)) {
            return usage;
        }
        if (group.isEmpty() && LEGACY_COUNTS.containsKey(resource)) {
            usage.put(LEGACY_COUNTS.get(resource), one);
        }
        if (group.isEmpty() && resource.equals("pods")) {
            PodResourceLists pod = PodResourceLists.of(object);
            QuotaResources.podCompute(PodTotals.requests(pod, PodTotals.Options.DEFAULT),
                    PodTotals.limits(pod, PodTotals.Options.DEFAULT), usage);
        }
        if (group.isEmpty() && resource.equals("services")) {
            String type = Json.text(object, "spec", "type");
            JsonNode allocate = object.path("spec").path("allocateLoadBalancerNodePorts");
            List<Integer> ports = new java.util.ArrayList<>();
            object.path("spec").path("ports").forEach(p -> ports.add(p.path("nodePort").asInt(0)));
            long nodePorts = QuotaResources.serviceNodePorts(type, allocate.isBoolean() ? allocate.asBoolean() : null,
                    ports);
            usage.put("services.nodeports", Quantity.of(nodePorts, Quantity.Format.DECIMAL_SI));
            usage.put("services.loadbalancers",
                    Quantity.of("LoadBalancer".equals(type) ? 1 : 0, Quantity.Format.DECIMAL_SI));
        }
        if (group.isEmpty() && resource.equals("persistentvolumeclaims")) {
            Quantity storage = Resources.list(object.path("spec").path("resources").path("requests")).get("storage");
            Map<String, String> annotations = new TreeMap<>();
            object.path("metadata").path("annotations").properties()
                    .forEach(e -> annotations.put(e.getKey(), e.getValue().asString("")));
            QuotaResources.claim(QuotaResources.claimClass(annotations, Json.text(object, "spec", "storageClassName")),
                    storage, one, usage);
        }
        return usage;
    }

    /**
     * The compute resources among a quota's {@code hard} that some containers (init containers too) of a pod do not
     * specify, each with the names of those containers, both sorted: upstream requires every container to set the
     * cpu and memory requests or limits a quota tracks, and names the containers that do not.
     */
    static Map<String, Set<String>> missingComputeResources(JsonNode pod, Set<String> hard) {
        Set<String> required = new java.util.TreeSet<>(hard);
        required.retainAll(POD_COMPUTE);
        Map<String, Set<String>> missing = new TreeMap<>();
        for (JsonNode container : Resources.containers(pod)) {
            Map<String, Quantity> requests = Resources.list(container.path("resources").path("requests"));
            Map<String, Quantity> limits = Resources.list(container.path("resources").path("limits"));
            for (String name : required) {
                boolean present = switch (name) {
                    case "cpu", "requests.cpu" -> requests.containsKey("cpu");
                    case "memory", "requests.memory" -> requests.containsKey("memory");
                    case "limits.cpu" -> limits.containsKey("cpu");
                    default -> limits.containsKey("memory");
                };
                if (!present) {
                    missing.computeIfAbsent(name, k -> new java.util.TreeSet<>())
                            .add(container.path("name").asString(""));
                }
            }
        }
        return missing;
    }

    /**
     * Whether a quota's scopes (spec.scopes, spec.scopeSelector) cover this object: only pods have scopes, so a
     * scoped quota covers no other kind (upstream's MatchesNoScopeFunc).
     */
    public static boolean inScope(JsonNode quota, String group, String resource, JsonNode object) {
        List<QuotaScopes.Requirement> scopes = QuotaScopes.of(quota);
        if (scopes.isEmpty()) {
            return true;
        }
        return group.isEmpty() && resource.equals("pods") && QuotaScopes.podMatches(scopes, QuotaScopes.ScopedPod.of(object));
    }

    /**
     * The names among a quota's {@code names} that objects of this kind are charged to - upstream's evaluators'
     * {@code MatchingResources}: the pod evaluator's compute resources (also {@code hugepages-*} and extended
     * {@code requests.example.com/x}), the service and PVC evaluators' own, else the object count
     * {@code count/RESOURCE[.GROUP]} plus the legacy name some core kinds keep.
     */
    static Set<String> matchingResources(String group, String resource, Set<String> names) {
        Set<String> result = new java.util.TreeSet<>();
        for (String name : names) {
            if (matches(group, resource, name)) {
                result.add(name);
            }
        }
        return result;
    }

    private static boolean matches(String group, String resource, String name) {
        if (name.equals("count/" + (group.isEmpty() ? resource : resource + "." + group))) {
            return true;
        }
        if (!group.isEmpty()) {
            return false;
        }
        return switch (resource) {
            case "pods" -> QuotaResources.podResource(name);
            case "services" -> name.equals("services") || name.equals("services.nodeports")
                    || name.equals("services.loadbalancers");
            case "persistentvolumeclaims" -> QuotaResources.claimResource(name);
            default -> name.equals(LEGACY_COUNTS.get(resource));
        };
    }

    private static boolean terminal(JsonNode pod) {
        String phase = Json.text(pod, "status", "phase");
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }
}
