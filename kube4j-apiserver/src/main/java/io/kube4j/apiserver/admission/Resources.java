package io.kube4j.apiserver.admission;

import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** Resource lists (name -> quantity) read from JSON, and a pod's containers, for quota and limit admission. */
final class Resources {

    private Resources() {
    }

    /** A resource list; entries that are not valid quantities are skipped (validation rejects them elsewhere). */
    static Map<String, Quantity> list(JsonNode node) {
        return PodResourceLists.list(node);
    }

    static List<JsonNode> containers(JsonNode pod) {
        List<JsonNode> all = new java.util.ArrayList<>();
        pod.path("spec").path("initContainers").forEach(all::add);
        pod.path("spec").path("containers").forEach(all::add);
        return all;
    }
}
