package io.kube4j.apiserver.crd;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Applies the {@code default}s of a structural schema, as upstream's structural defaulting: a missing
 * property with a default gets it, then defaulting continues inside every present value.
 */
public final class SchemaDefaults {

    private SchemaDefaults() {
    }

    public static void apply(JsonNode schema, JsonNode value) {
        if (schema == null || !schema.isObject() || value == null) {
            return;
        }
        if (value instanceof ObjectNode object) {
            JsonNode properties = schema.path("properties");
            for (var property : properties.properties()) {
                JsonNode def = property.getValue().get("default");
                if (def != null && !object.has(property.getKey())) {
                    object.set(property.getKey(), def.deepCopy());
                }
            }
            JsonNode additional = schema.get("additionalProperties");
            for (var field : object.properties()) {
                JsonNode sub = properties.get(field.getKey());
                if (sub == null && additional != null && additional.isObject()) {
                    sub = additional;
                }
                if (sub != null && !(object == value && isRootMeta(schema, field.getKey()))) {
                    apply(sub, field.getValue());
                }
            }
        } else if (value instanceof ArrayNode array) {
            JsonNode items = schema.get("items");
            for (JsonNode item : array) {
                apply(items, item);
            }
        }
    }

    private static boolean isRootMeta(JsonNode schema, String field) {
        return field.equals("metadata") && !schema.path("properties").path("metadata").has("properties");
    }
}
