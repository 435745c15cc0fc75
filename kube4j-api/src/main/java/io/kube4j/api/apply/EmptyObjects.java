package io.kube4j.api.apply;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a freshly made, empty object of a kind looks like when upstream serialises its Go struct: structs that are
 * not pointers and fields without omitempty are there (as {} or null). A create is compared against this, so that
 * creating those does not itself become owned, as with upstream (no {@code "."} under {@code f:spec}).
 */
final class EmptyObjects {

    private static final String POD_TEMPLATE = "{\"metadata\":{},\"spec\":{\"containers\":null}}";
    private static final Map<String, String> BY_KIND = Map.ofEntries(
            Map.entry("/Pod", "{\"spec\":{\"containers\":null},\"status\":{}}"),
            Map.entry("/PodTemplate", "{\"template\":" + POD_TEMPLATE + "}"),
            Map.entry("/ReplicationController", "{\"spec\":{},\"status\":{\"replicas\":0}}"),
            Map.entry("/Service", "{\"spec\":{},\"status\":{\"loadBalancer\":{}}}"),
            Map.entry("/Namespace", "{\"spec\":{},\"status\":{}}"),
            Map.entry("/Node", "{\"spec\":{},\"status\":{\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":0}},"
                    + "\"nodeInfo\":{\"machineID\":\"\",\"systemUUID\":\"\",\"bootID\":\"\",\"kernelVersion\":\"\","
                    + "\"osImage\":\"\",\"containerRuntimeVersion\":\"\",\"kubeletVersion\":\"\","
                    + "\"kubeProxyVersion\":\"\",\"operatingSystem\":\"\",\"architecture\":\"\"}}}"),
            Map.entry("/PersistentVolumeClaim", "{\"spec\":{\"resources\":{}},\"status\":{}}"),
            Map.entry("apps/Deployment", "{\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
                    + ",\"strategy\":{}},\"status\":{}}"),
            Map.entry("apps/ReplicaSet", "{\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
                    + "},\"status\":{\"replicas\":0}}"),
            Map.entry("apps/StatefulSet", "{\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
                    + ",\"serviceName\":\"\",\"updateStrategy\":{}},\"status\":{\"replicas\":0,"
                    + "\"availableReplicas\":0}}"),
            Map.entry("apps/DaemonSet", "{\"spec\":{\"selector\":null,\"template\":" + POD_TEMPLATE
                    + ",\"updateStrategy\":{}},\"status\":{\"currentNumberScheduled\":0,\"numberMisscheduled\":0,"
                    + "\"desiredNumberScheduled\":0,\"numberReady\":0}}"),
            Map.entry("batch/Job", "{\"spec\":{\"template\":" + POD_TEMPLATE + "},\"status\":{}}"),
            Map.entry("batch/CronJob", "{\"spec\":{\"schedule\":\"\",\"jobTemplate\":{\"metadata\":{},\"spec\":"
                    + "{\"template\":" + POD_TEMPLATE + "}}},\"status\":{}}"));
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    /** {@link #BY_KIND} parsed once, as every create asks for one; callers get copies. */
    private static final Map<String, ObjectNode> PARSED = parsed();

    private EmptyObjects() {
    }

    private static Map<String, ObjectNode> parsed() {
        Map<String, ObjectNode> out = new HashMap<>();
        BY_KIND.forEach((kind, json) -> out.put(kind, (ObjectNode) MAPPER.readTree(json)));
        return Map.copyOf(out);
    }

    /** The empty object of {@code object}'s kind, with its apiVersion and kind. */
    static ObjectNode of(ObjectNode object) {
        String apiVersion = object.path("apiVersion").asString("");
        int slash = apiVersion.indexOf('/');
        String group = slash < 0 ? "" : apiVersion.substring(0, slash);
        ObjectNode known = PARSED.get(group + "/" + object.path("kind").asString(""));
        ObjectNode empty = MAPPER.createObjectNode();
        for (String f : List.of("apiVersion", "kind")) {
            if (object.has(f)) {
                empty.set(f, object.get(f).deepCopy());
            }
        }
        empty.putObject("metadata");
        if (known != null) {
            empty.setAll(known.deepCopy());
        } else {
            // Unknown kinds: assume spec and status are plain structs, as they are for nearly every kind.
            for (String f : List.of("spec", "status")) {
                JsonNode v = object.get(f);
                if (v != null && v.isObject()) {
                    empty.putObject(f);
                }
            }
        }
        return empty;
    }
}
