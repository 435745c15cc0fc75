package io.kube4j.api.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * JSON text as Go's encoding/json writes it where upstream puts such text in an answer (the last-applied annotation,
 * a patch's error message, an audit annotation): compact, the keys of an unstructured map sorted, and {@code <>&}
 * and U+2028/U+2029 escaped even inside strings.
 */
public final class GoJson {
    private GoJson() {
    }

    /** {@code node} with every object's keys sorted, as Go marshals a map[string]interface{}. */
    public static String sortedKeys(JsonNode node) {
        return escapeHtml(sorted(node).toString());
    }

    /** Go's HTML escaping of JSON text: these characters appear nowhere but inside strings, so replacing is safe. */
    public static String escapeHtml(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode obj) {
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                keys.add(e.getKey());
            }
            keys.sort(null);
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (String key : keys) {
                copy.set(key, sorted(obj.get(key)));
            }
            return copy;
        }
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : array) {
                copy.add(sorted(element));
            }
            return copy;
        }
        return node;
    }
}
