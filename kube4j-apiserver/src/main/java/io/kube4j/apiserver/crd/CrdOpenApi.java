package io.kube4j.apiserver.crd;

import io.kube4j.api.openapi.CustomResourceDocuments;
import io.kube4j.api.resource.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The OpenAPI definitions of one served custom resource version, as upstream's CRD OpenAPI builder writes them:
 * named after the reversed group ({@code com.example.v1.Widget}), the version's schema with apiVersion, kind and
 * a reference to ObjectMeta, tagged with {@code x-kubernetes-group-version-kind}, plus the list kind. The Swagger
 * 2.0 form drops what v2 cannot say (nullable, oneOf, anyOf, allOf, not), as upstream's does.
 */
public final class CrdOpenApi {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String API_VERSION_DESCRIPTION = "APIVersion defines the versioned schema of this "
            + "representation of an object. Servers should convert recognized schemas to the latest internal value, "
            + "and may reject unrecognized values. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources";
    private static final String KIND_DESCRIPTION = "Kind is a string value representing the REST resource this "
            + "object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be "
            + "updated. In CamelCase. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    private static final String METADATA_DESCRIPTION = "Standard object's metadata. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";
    private static final String LIST_METADATA_DESCRIPTION = "Standard list metadata. More info: "
            + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds";
    /** Keywords a Swagger 2.0 schema cannot carry. */
    private static final Set<String> NOT_IN_V2 = Set.of("nullable", "oneOf", "anyOf", "allOf", "not");

    private CrdOpenApi() {
    }

    /** The definitions of {@code type}, served by {@code version}. */
    public static CustomResourceDocuments.Kind kind(ResourceType type, CrdVersion version) {
        String definition = definitionName(type.group(), type.version(), type.kind());
        String listDefinition = definition + "List";
        ObjectNode v3 = kindSchema(type, version.schema(), false);
        ObjectNode v2 = kindSchema(type, version.schema(), true);
        return new CustomResourceDocuments.Kind(type, definition, listDefinition,
                Map.of(definition, v2, listDefinition, listSchema(type, definition, true)),
                Map.of(definition, v3, listDefinition, listSchema(type, definition, false)));
    }

    /** {@code example.com}, {@code v1}, {@code Widget} to {@code com.example.v1.Widget}. */
    static String definitionName(String group, String version, String kind) {
        List<String> parts = new ArrayList<>(List.of(group.split("\\.")));
        Collections.reverse(parts);
        return String.join(".", parts) + "." + version + "." + kind;
    }

    private static ObjectNode kindSchema(ResourceType type, JsonNode schema, boolean v2) {
        ObjectNode out = schema != null && schema.isObject() ? (ObjectNode) (v2 ? toV2(schema) : schema.deepCopy())
                : NODES.objectNode().put("type", "object");
        if (!out.has("type") && !out.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            out.put("type", "object");
        }
        ObjectNode properties = out.withObject("/properties");
        ObjectNode typed = NODES.objectNode();
        typed.set("apiVersion", NODES.objectNode().put("description", API_VERSION_DESCRIPTION).put("type", "string"));
        typed.set("kind", NODES.objectNode().put("description", KIND_DESCRIPTION).put("type", "string"));
        typed.set("metadata", reference(CustomResourceDocuments.OBJECT_META, METADATA_DESCRIPTION, v2));
        properties.properties().forEach(e -> {
            if (!typed.has(e.getKey())) {
                typed.set(e.getKey(), e.getValue());
            }
        });
        out.set("properties", typed);
        out.set("x-kubernetes-group-version-kind", gvk(type.group(), type.version(), type.kind()));
        return out;
    }

    private static ObjectNode listSchema(ResourceType type, String definition, boolean v2) {
        ObjectNode list = NODES.objectNode();
        list.put("description", type.kind() + "List is a list of " + type.kind());
        list.putArray("required").add("items");
        ObjectNode properties = list.putObject("properties");
        properties.set("apiVersion", NODES.objectNode().put("description", API_VERSION_DESCRIPTION)
                .put("type", "string"));
        ObjectNode items = properties.putObject("items");
        items.put("description", "List of " + type.plural() + ". More info: "
                + "https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md");
        items.put("type", "array");
        items.putObject("items").put("$ref", v2 ? CustomResourceDocuments.v2Ref(definition)
                : CustomResourceDocuments.v3Ref(definition));
        properties.set("kind", NODES.objectNode().put("description", KIND_DESCRIPTION).put("type", "string"));
        properties.set("metadata", reference(CustomResourceDocuments.LIST_META, LIST_METADATA_DESCRIPTION, v2));
        list.put("type", "object");
        list.set("x-kubernetes-group-version-kind", gvk(type.group(), type.version(), type.kind() + "List"));
        return list;
    }

    /** A described reference: v2 puts the description beside $ref, v3 wraps the reference in allOf. */
    private static ObjectNode reference(String definition, String description, boolean v2) {
        ObjectNode node = NODES.objectNode();
        if (v2) {
            node.put("$ref", CustomResourceDocuments.v2Ref(definition));
        } else {
            node.putArray("allOf").addObject().put("$ref", CustomResourceDocuments.v3Ref(definition));
        }
        node.put("description", description);
        return node;
    }

    private static ArrayNode gvk(String group, String version, String kind) {
        ArrayNode array = NODES.arrayNode();
        array.addObject().put("group", group).put("kind", kind).put("version", version);
        return array;
    }

    /** A copy of {@code schema} without the keywords Swagger 2.0 lacks, at every level. */
    static JsonNode toV2(JsonNode schema) {
        if (schema instanceof ArrayNode array) {
            ArrayNode copy = NODES.arrayNode();
            array.forEach(item -> copy.add(toV2(item)));
            return copy;
        }
        if (!(schema instanceof ObjectNode object)) {
            return schema;
        }
        ObjectNode copy = NODES.objectNode();
        for (var field : object.properties()) {
            String key = field.getKey();
            if (NOT_IN_V2.contains(key)) {
                continue;
            }
            // a properties map is keyed by field names: a field may be called "nullable"
            if (key.equals("properties") && field.getValue() instanceof ObjectNode props) {
                ObjectNode converted = copy.putObject("properties");
                props.properties().forEach(p -> converted.set(p.getKey(), toV2(p.getValue())));
            } else if (key.equals("default") || key.equals("example") || key.equals("enum")) {
                copy.set(key, field.getValue().deepCopy());
            } else {
                copy.set(key, toV2(field.getValue()));
            }
        }
        return copy;
    }
}
