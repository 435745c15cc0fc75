package io.kube4j.api.openapi;

import io.kube4j.api.resource.ResourceType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * OpenAPI documents that include resources whose schemas are given at run time (the versions of
 * CustomResourceDefinitions): their paths and operations are written exactly as the built-in resources' are, and
 * their definitions sit beside the built-in ones, which they may reference ({@code ObjectMeta}, {@code ListMeta},
 * {@code Status}, {@code DeleteOptions}, {@code autoscaling/v1 Scale}).
 */
public final class CustomResourceDocuments {

    /** The definition names of the meta types a custom resource's schemas reference. */
    public static final String OBJECT_META = ModelTypes.META + "ObjectMeta";
    public static final String LIST_META = ModelTypes.META + "ListMeta";

    /**
     * One served custom resource version: its type, the names of its kind's and list's definitions, and the
     * definitions themselves in Swagger 2.0 form (references to {@code #/definitions/}) and in OpenAPI v3 form
     * (references to {@code #/components/schemas/}), which may differ as upstream's do (v2 lacks nullable, oneOf...).
     */
    public record Kind(ResourceType type, String definition, String listDefinition,
                       Map<String, ObjectNode> v2Definitions, Map<String, ObjectNode> v3Schemas) {
    }

    /**
     * Custom resources have no patch strategies, so their PATCH operations do not offer strategic merge patch:
     * kubectl reads that to send them merge patches (apply, diff) instead of strategic ones the server refuses.
     */
    private static final String STRATEGIC_MERGE_PATCH = "application/strategic-merge-patch+json";

    private CustomResourceDocuments() {
    }

    /** A reference to a definition in a Swagger 2.0 document. */
    public static String v2Ref(String definition) {
        return SchemaGenerator.REF + definition;
    }

    /** A reference to a schema in an OpenAPI v3 document. */
    public static String v3Ref(String definition) {
        return V3Schemas.REF + definition;
    }

    /** {@code /openapi/v2}: the built-in document with the paths and definitions of {@code kinds} added. */
    public static ObjectNode v2(List<Kind> kinds) {
        ObjectNode doc = OpenApi.v2();
        if (kinds.isEmpty()) {
            return doc;
        }
        ObjectNode custom = customSwagger(kinds);
        ObjectNode paths = (ObjectNode) doc.get("paths");
        custom.get("paths").properties().forEach(e -> paths.set(e.getKey(), e.getValue()));
        ObjectNode definitions = (ObjectNode) doc.get("definitions");
        custom.get("definitions").properties().forEach(e -> definitions.set(e.getKey(), e.getValue()));
        return doc;
    }

    /**
     * The OpenAPI v3 document of one group-version served only by {@code kinds}: their paths, their schemas, and
     * every built-in schema they reach.
     */
    public static ObjectNode v3(List<Kind> kinds) {
        List<PathItem> items = paths(kinds);
        Map<String, JsonNode> schemas = new TreeMap<>();
        Deque<String> roots = new ArrayDeque<>();
        V3Schemas.collectRefs(customSwagger(kinds), roots);
        Map<String, JsonNode> builtin = Builtin.definitions();
        V3Schemas.closure(new HashSet<>(roots), builtin)
                .forEach((name, schema) -> schemas.put(name, V3Schemas.convertDefinition(name, schema)));
        for (Kind kind : kinds) {
            schemas.putAll(kind.v3Schemas());
        }
        ObjectNode doc = OpenApiV3Writer.document(items, schemas);
        for (JsonNode path : doc.path("paths")) {
            if (path.path("patch").path("requestBody").path("content") instanceof ObjectNode content) {
                content.remove(STRATEGIC_MERGE_PATCH);
            }
        }
        return doc;
    }

    /** Paths and v2 definitions of the custom kinds alone. */
    private static ObjectNode customSwagger(List<Kind> kinds) {
        Map<String, ObjectNode> definitions = new TreeMap<>();
        kinds.forEach(kind -> definitions.putAll(kind.v2Definitions()));
        ObjectNode doc = SwaggerWriter.document(paths(kinds), definitions);
        for (JsonNode path : doc.path("paths")) {
            if (path.path("patch").path("consumes") instanceof ArrayNode consumes) {
                for (int i = consumes.size() - 1; i >= 0; i--) {
                    if (STRATEGIC_MERGE_PATCH.equals(consumes.get(i).asString(""))) {
                        consumes.remove(i);
                    }
                }
            }
        }
        return doc;
    }

    private static List<PathItem> paths(List<Kind> kinds) {
        Map<Operation.Kind, String> names = new HashMap<>();
        for (Kind kind : kinds) {
            ResourceType type = kind.type();
            names.put(new Operation.Kind(type.group(), type.version(), type.kind()), kind.definition());
            names.put(new Operation.Kind(type.group(), type.version(), type.kind() + "List"), kind.listDefinition());
        }
        Operations operations = new Operations(k -> names.containsKey(k) ? names.get(k) : Builtin.named(k));
        List<PathItem> items = new ArrayList<>();
        kinds.forEach(kind -> items.addAll(operations.paths(kind.type())));
        return items;
    }

    /** The built-in definitions and their names by group-version-kind, read once from the v2 document. */
    private static final class Builtin {
        private static final Map<String, JsonNode> DEFINITIONS = new HashMap<>();
        private static final Map<Operation.Kind, String> BY_KIND = new HashMap<>();

        static {
            OpenApi.v2().get("definitions").properties().forEach(e -> {
                DEFINITIONS.put(e.getKey(), e.getValue());
                for (JsonNode gvk : e.getValue().path(SchemaGenerator.GVK)) {
                    BY_KIND.putIfAbsent(new Operation.Kind(gvk.path("group").asString(""),
                            gvk.path("version").asString(""), gvk.path("kind").asString("")), e.getKey());
                }
            });
        }

        static Map<String, JsonNode> definitions() {
            return DEFINITIONS;
        }

        static String named(Operation.Kind kind) {
            return BY_KIND.get(kind);
        }
    }
}
