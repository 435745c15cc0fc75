package io.kube4j.apiserver.crd;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * Drops the fields a structural schema does not specify, unless {@code x-kubernetes-preserve-unknown-fields}
 * keeps them, as upstream's pruning. The root and embedded resources keep apiVersion, kind and metadata.
 */
public final class SchemaPruning {

    private static final Set<String> TYPE_META = Set.of("apiVersion", "kind", "metadata");

    private SchemaPruning() {
    }

    /** Prunes a whole custom resource. */
    public static void pruneRoot(JsonNode schema, ObjectNode object) {
        prune(schema, object, true, "", null);
    }

    /**
     * Prunes a whole custom resource and returns the paths of the fields it dropped ({@code spec.junk},
     * {@code spec.items[0].x}), sorted, as upstream's pruning reports unknown fields for field validation.
     */
    public static List<String> pruneRootReporting(JsonNode schema, ObjectNode object) {
        List<String> pruned = new ArrayList<>();
        prune(schema, object, true, "", pruned);
        Collections.sort(pruned);
        return pruned;
    }

    private static void prune(JsonNode schema, JsonNode value, boolean resourceRoot, String path,
                              List<String> pruned) {
        if (value instanceof ObjectNode object) {
            if (schema == null || !schema.isObject()) {
                if (!resourceRoot) {
                    return;
                }
                schema = tools.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            }
            boolean embedded = resourceRoot || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
            boolean preserve = SchemaValidation.preservesUnknown(schema);
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            for (String field : List.copyOf(object.propertyNames())) {
                JsonNode sub = properties.get(field);
                String at = path.isEmpty() ? field : path + "." + field;
                if (embedded && TYPE_META.contains(field) && (sub == null || field.equals("metadata"))) {
                    continue;
                }
                if (sub != null) {
                    prune(sub, object.get(field), false, at, pruned);
                } else if (additional != null && additional.isObject()) {
                    prune(additional, object.get(field), false, at, pruned);
                } else if (additional != null && additional.asBoolean(false) || preserve) {
                    continue;
                } else {
                    object.remove(field);
                    if (pruned != null) {
                        pruned.add(at);
                    }
                }
            }
        } else if (value instanceof ArrayNode array && schema != null) {
            JsonNode items = schema.get("items");
            for (int i = 0; i < array.size(); i++) {
                prune(items, array.get(i), false, path + "[" + i + "]", pruned);
            }
        }
    }
}
