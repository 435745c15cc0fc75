package io.kube4j.apiserver.endpoints;

import io.kube4j.api.patch.GoFormat;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The "bad value" upstream's patch handler quotes when it refuses a patch with fieldValidation=Strict, printed as Go
 * prints it there: a JSON or merge patch quotes the patched object as the JSON patch library re-encodes it (keys
 * sorted, compact, {@code <>&} escaped as encoding/json does), a strategic merge patch quotes the decoded patch
 * map with fmt's {@code %+v} ({@code map[spec:map[foo:1]]}).
 */
final class PatchedValues {

    private PatchedValues() {
    }

    /** The patched object of a JSON or merge patch, as upstream's json-patch library encodes it. */
    static String goJson(JsonNode patched) {
        String text = Json.MAPPER.writeValueAsString(sorted(patched));
        // encoding/json escapes these even inside strings; they appear nowhere else in JSON text
        return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    /** The decoded patch of a strategic merge patch, as fmt's %+v prints a map[string]interface{}. */
    static String goMap(JsonNode patch) {
        return GoFormat.of(patch);
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                keys.add(e.getKey());
            }
            keys.sort(null);
            ObjectNode copy = Json.MAPPER.createObjectNode();
            for (String key : keys) {
                copy.set(key, sorted(obj.get(key)));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = Json.MAPPER.createArrayNode();
            for (JsonNode element : array) {
                copy.add(sorted(element));
            }
            return copy;
        }
        return node;
    }
}
