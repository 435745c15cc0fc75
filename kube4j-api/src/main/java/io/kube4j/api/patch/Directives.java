package io.kube4j.api.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns a piece of a strategic merge patch that lands where the live object has nothing into plain data: no
 * directives and no null members may be stored.
 */
final class Directives {

    private Directives() {
    }

    /** A cleaned copy, or null when the value itself is a deletion ({@code $patch: delete}). */
    static JsonNode clean(JsonNode value) {
        return clean(value, false);
    }

    // In a list, an item carrying $patch is an instruction (delete, replace, merge), never data.
    private static JsonNode clean(JsonNode value, boolean listItem) {
        if (value.isObject()) {
            if (listItem && value.has(StrategicMergePatch.DIRECTIVE)) {
                return null;
            }
            JsonNode directive = value.get(StrategicMergePatch.DIRECTIVE);
            if (directive != null && "delete".equals(directive.asString(""))) {
                return null;
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            for (Map.Entry<String, JsonNode> e : value.properties()) {
                String k = e.getKey();
                if (k.equals(StrategicMergePatch.DIRECTIVE) || k.equals(StrategicMergePatch.RETAIN_KEYS)
                        || k.startsWith(StrategicMergePatch.SET_ORDER_PREFIX)
                        || k.startsWith(StrategicMergePatch.DELETE_PRIMITIVE_PREFIX) || e.getValue().isNull()) {
                    continue;
                }
                JsonNode cleaned = clean(e.getValue(), false);
                if (cleaned != null) {
                    out.set(k, cleaned);
                }
            }
            return out;
        }
        if (value.isArray()) {
            List<JsonNode> items = new ArrayList<>();
            for (JsonNode item : value) {
                JsonNode cleaned = clean(item, true);
                if (cleaned != null) {
                    items.add(cleaned);
                }
            }
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            items.forEach(out::add);
            return out;
        }
        return value;
    }
}
