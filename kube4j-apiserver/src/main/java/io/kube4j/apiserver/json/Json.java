package io.kube4j.apiserver.json;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/** The one JSON mapper of the API server, and small helpers over generic object trees. */
public final class Json {

    public static final JsonMapper MAPPER = JsonMapper.builder().build();
    public static final YAMLMapper YAML = YAMLMapper.builder().build();

    private Json() {
    }

    public static byte[] bytes(JsonNode node) {
        return MAPPER.writeValueAsBytes(node);
    }

    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    /** Parses JSON; the caller maps {@link JacksonException} to a 400. */
    public static JsonNode parse(byte[] body) throws JacksonException {
        return MAPPER.readTree(body);
    }

    /** The string at a path of object fields, or null if any step is missing or not a string/number/boolean. */
    public static String text(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(step);
        }
        if (current == null || current.isNull() || current.isContainer() || current.isMissingNode()) {
            return null;
        }
        return current.asString();
    }

    /** The object at a path of fields, or null. */
    public static ObjectNode obj(JsonNode node, String... path) {
        JsonNode current = node;
        for (String step : path) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(step);
        }
        return current != null && current.isObject() ? (ObjectNode) current : null;
    }

    /** The object at {@code field}, created if missing or not an object. */
    public static ObjectNode child(ObjectNode node, String field) {
        JsonNode existing = node.get(field);
        if (existing instanceof ObjectNode o) {
            return o;
        }
        return node.putObject(field);
    }

    public static ObjectNode metadata(ObjectNode object) {
        return child(object, "metadata");
    }

    /** A new object of the given type, its metadata holding the name and, when not null, the namespace. */
    public static ObjectNode object(String apiVersion, String kind, String namespace, String name) {
        ObjectNode o = object();
        o.put("apiVersion", apiVersion);
        o.put("kind", kind);
        ObjectNode metadata = o.putObject("metadata");
        metadata.put("name", name);
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        return o;
    }

    /** A string map such as labels or annotations; empty if absent. */
    public static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> map = new LinkedHashMap<>();
        if (node != null && node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                map.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        return map;
    }
}
