package io.kube4j.api.podresources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.kube4j.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * What {@link PodTotals} reads from a pod, from either representation (the API server's JSON, the fabric8 objects of
 * the controllers, the scheduler and the kubelet): each container's requests and limits, which init containers are
 * sidecars, {@code spec.overhead} and the pod-level {@code spec.resources}. Amounts are kube4j {@link Quantity}s,
 * which add exactly and keep the format of the first operand as upstream's Quantity.Add, so a total prints as
 * upstream's would.
 */
public record PodResourceLists(List<ContainerLists> containers, List<ContainerLists> initContainers,
                               Map<String, Quantity> overhead, Map<String, Quantity> podRequests,
                               Map<String, Quantity> podLimits) {

    /** One container's lists; {@code sidecar}: an init container with restartPolicy Always. */
    public record ContainerLists(Map<String, Quantity> requests, Map<String, Quantity> limits, boolean sidecar) {
    }

    /** A pod as the API server holds it. */
    public static PodResourceLists of(JsonNode pod) {
        JsonNode spec = pod.path("spec");
        List<ContainerLists> containers = new ArrayList<>();
        for (JsonNode c : spec.path("containers")) {
            containers.add(container(c));
        }
        List<ContainerLists> inits = new ArrayList<>();
        for (JsonNode c : spec.path("initContainers")) {
            inits.add(container(c));
        }
        return new PodResourceLists(containers, inits, list(spec.path("overhead")),
                list(spec.path("resources").path("requests")), list(spec.path("resources").path("limits")));
    }

    /** A fabric8 pod; one without a spec has nothing to total. */
    public static PodResourceLists of(Pod pod) {
        PodSpec spec = pod.getSpec();
        if (spec == null) {
            return new PodResourceLists(List.of(), List.of(), Map.of(), Map.of(), Map.of());
        }
        List<ContainerLists> containers = new ArrayList<>();
        if (spec.getContainers() != null) {
            spec.getContainers().forEach(c -> containers.add(container(c)));
        }
        List<ContainerLists> inits = new ArrayList<>();
        if (spec.getInitContainers() != null) {
            spec.getInitContainers().forEach(c -> inits.add(container(c)));
        }
        ResourceRequirements podLevel = spec.getResources();
        return new PodResourceLists(containers, inits, list(spec.getOverhead()),
                podLevel == null ? Map.of() : list(podLevel.getRequests()),
                podLevel == null ? Map.of() : list(podLevel.getLimits()));
    }

    /** A resource list read from JSON; entries that are not valid quantities are skipped (validation rejects them). */
    public static Map<String, Quantity> list(JsonNode node) {
        Map<String, Quantity> result = new TreeMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                putValid(result, e.getKey(), () -> Quantity.fromJson(e.getValue()));
            }
        }
        return result;
    }

    /** A fabric8 resource list, read as its serialized form would be; invalid entries are skipped. */
    public static Map<String, Quantity> list(Map<String, io.fabric8.kubernetes.api.model.Quantity> fabric8) {
        Map<String, Quantity> result = new TreeMap<>();
        if (fabric8 != null) {
            fabric8.forEach((name, q) -> {
                if (q != null && q.getAmount() != null) {
                    putValid(result, name, () -> Quantity.parse(q.toString().trim()));
                }
            });
        }
        return result;
    }

    private static void putValid(Map<String, Quantity> into, String name, Supplier<Quantity> parse) {
        try {
            Quantity q = parse.get();
            if (q != null) {
                into.put(name, q);
            }
        } catch (RuntimeException invalid) {
            // not a quantity
        }
    }

    private static ContainerLists container(JsonNode c) {
        return new ContainerLists(list(c.path("resources").path("requests")), list(c.path("resources").path("limits")),
                "Always".equals(c.path("restartPolicy").asString("")));
    }

    private static ContainerLists container(Container c) {
        ResourceRequirements r = c.getResources();
        return new ContainerLists(r == null ? Map.of() : list(r.getRequests()),
                r == null ? Map.of() : list(r.getLimits()),
                "Always".equals(c.getRestartPolicy()));
    }
}
