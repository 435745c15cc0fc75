package io.kube4j.apiserver.admission;

import io.kube4j.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Resource lists (name -> quantity) read from JSON, and the pod totals quota and limits work with. */
final class Resources {

    private Resources() {
    }

    /** A resource list; entries that are not valid quantities are skipped (validation rejects them elsewhere). */
    static Map<String, Quantity> list(JsonNode node) {
        Map<String, Quantity> result = new TreeMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                try {
                    result.put(e.getKey(), Quantity.fromJson(e.getValue()));
                } catch (RuntimeException invalid) {
                    // not a quantity
                }
            }
        }
        return result;
    }

    static void addTo(Map<String, Quantity> total, Map<String, Quantity> add) {
        add.forEach((k, v) -> total.merge(k, v, Quantity::add));
    }

    static void maxInto(Map<String, Quantity> total, Map<String, Quantity> other) {
        other.forEach((k, v) -> total.merge(k, v, (a, b) -> a.compareTo(b) >= 0 ? a : b));
    }

    /**
     * The pod's effective requests or limits ({@code field} "requests"/"limits"): the sum over containers, at
     * least the largest init container's, plus the pod overhead - as upstream's resource helpers compute them.
     */
    static Map<String, Quantity> pod(JsonNode pod, String field) {
        JsonNode spec = pod.path("spec");
        Map<String, Quantity> sum = new TreeMap<>();
        for (JsonNode container : spec.path("containers")) {
            addTo(sum, list(container.path("resources").path(field)));
        }
        Map<String, Quantity> init = new TreeMap<>();
        for (JsonNode container : spec.path("initContainers")) {
            maxInto(init, list(container.path("resources").path(field)));
        }
        maxInto(sum, init);
        addTo(sum, list(spec.path("overhead")));
        return sum;
    }

    static List<JsonNode> containers(JsonNode pod) {
        List<JsonNode> all = new java.util.ArrayList<>();
        pod.path("spec").path("initContainers").forEach(all::add);
        pod.path("spec").path("containers").forEach(all::add);
        return all;
    }
}
