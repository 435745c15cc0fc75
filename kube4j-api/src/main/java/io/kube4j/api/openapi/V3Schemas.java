package io.kube4j.api.openapi;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Rewrites Swagger 2.0 schemas for OpenAPI v3: references point into {@code #/components/schemas/}, and a reference
 * with extensions beside it (which v3 would ignore) is wrapped in {@code allOf}, as upstream does.
 */
final class V3Schemas {

    static final String REF = "#/components/schemas/";

    private V3Schemas() {
    }

    /**
     * A named definition for v3: as {@link #convert}, except IntOrString, which upstream's generator gives
     * {@code oneOf: [{type: integer}, {type: string}]} in v3 in place of its v2 {@code type: string}
     * (IntOrString's OpenAPIV3OneOfTypes), keeping the {@code int-or-string} format.
     */
    static JsonNode convertDefinition(String name, JsonNode schema) {
        JsonNode converted = convert(schema);
        if (name.equals(ModelTypes.INT_OR_STRING) && converted instanceof ObjectNode object) {
            object.remove("type");
            ArrayNode oneOf = object.putArray("oneOf");
            oneOf.addObject().put("type", "integer");
            oneOf.addObject().put("type", "string");
        }
        return converted;
    }

    static JsonNode convert(JsonNode node) {
        if (node instanceof ArrayNode array) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            array.forEach(item -> copy.add(convert(item)));
            return copy;
        }
        if (!(node instanceof ObjectNode object)) {
            return node;
        }
        ObjectNode copy = JsonNodeFactory.instance.objectNode();
        JsonNode ref = object.get("$ref");
        boolean isRef = ref != null && ref.isString();
        if (isRef && object.size() > 1) {
            copy.putArray("allOf").addObject().put("$ref", v3Ref(ref.asString()));
        }
        for (Map.Entry<String, JsonNode> field : object.properties()) {
            if (isRef && field.getKey().equals("$ref")) {
                if (object.size() == 1) {
                    copy.put("$ref", v3Ref(ref.asString()));
                }
            } else {
                copy.set(field.getKey(), convert(field.getValue()));
            }
        }
        return copy;
    }

    /** The definitions {@code roots} reach through references, themselves included, sorted by name. */
    static Map<String, JsonNode> closure(Set<String> roots, Map<String, JsonNode> schemas) {
        Map<String, JsonNode> reached = new TreeMap<>();
        Deque<String> pending = new ArrayDeque<>(roots);
        while (!pending.isEmpty()) {
            String name = pending.pop();
            JsonNode schema = schemas.get(name);
            if (schema == null || reached.containsKey(name)) {
                continue;
            }
            reached.put(name, schema);
            collectRefs(schema, pending);
        }
        return reached;
    }

    /** Adds the definition names of every reference inside {@code node} to {@code into}. */
    static void collectRefs(JsonNode node, Deque<String> into) {
        if (node instanceof ArrayNode array) {
            array.forEach(item -> collectRefs(item, into));
        } else if (node instanceof ObjectNode object) {
            for (Map.Entry<String, JsonNode> field : object.properties()) {
                JsonNode value = field.getValue();
                if (field.getKey().equals("$ref") && value.isString()) {
                    String ref = value.asString();
                    into.push(ref.substring(ref.lastIndexOf('/') + 1));
                } else {
                    collectRefs(value, into);
                }
            }
        }
    }

    private static String v3Ref(String v2Ref) {
        return v2Ref.startsWith(SchemaGenerator.REF) ? REF + v2Ref.substring(SchemaGenerator.REF.length()) : v2Ref;
    }
}
