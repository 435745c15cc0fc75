package io.kube4j.apiserver.endpoints;

import io.kube4j.api.openapi.CustomResourceDocuments;
import io.kube4j.api.openapi.OpenApi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds and drops the fields of a built-in object its OpenAPI v3 schema does not declare, as upstream's strict
 * decoding does: maps ({@code additionalProperties}) and {@code x-kubernetes-preserve-unknown-fields} accept
 * anything. Kinds without a built-in schema (custom resources) are left alone.
 */
final class UnknownFields {

    private static final String REF_PREFIX = "#/components/schemas/";
    private static final Map<String, Optional<Schemas>> BY_GROUP_VERSION = new ConcurrentHashMap<>();

    /**
     * One group/version's schemas; {@code roots} remembers each kind's root schema, as finding it scans every schema
     * of the document, which was a visible share of every create and update.
     */
    private record Schemas(JsonNode all, Map<String, Optional<JsonNode>> roots) {
        Schemas(JsonNode all) {
            this(all, new ConcurrentHashMap<>());
        }

        JsonNode ofKind(String group, String version, String kind) {
            return roots.computeIfAbsent(kind, k -> Optional.ofNullable(find(group, version, k))).orElse(null);
        }

        private JsonNode find(String group, String version, String kind) {
            for (var entry : all.properties()) {
                for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                    if (gvk.path("group").asString("").equals(group) && gvk.path("version").asString("").equals(version)
                            && gvk.path("kind").asString("").equals(kind)) {
                        return entry.getValue();
                    }
                }
            }
            return null;
        }
    }

    private UnknownFields() {
    }

    /** Removes the unknown fields of {@code obj}; returns their paths ({@code spec.foo}, {@code spec.c[0].x}). */
    static List<String> prune(String group, String version, String kind, ObjectNode obj) {
        Schemas schemas = BY_GROUP_VERSION.computeIfAbsent(group + "/" + version, gv -> Optional
                .ofNullable(OpenApi.v3(group, version))
                .map(doc -> new Schemas(doc.path("components").path("schemas")))).orElse(null);
        List<String> unknown = new ArrayList<>();
        if (schemas == null) {
            return unknown;
        }
        JsonNode root = schemas.ofKind(group, version, kind);
        if (root != null) {
            walk(schemas.all(), root, obj, "", unknown);
        }
        return unknown;
    }

    /**
     * Removes the unknown fields of {@code obj}'s metadata (ObjectMeta is the same for every kind, custom resources
     * included); returns their paths ({@code metadata.foo}).
     */
    static List<String> pruneMetadata(ObjectNode obj) {
        List<String> unknown = new ArrayList<>();
        Schemas core = BY_GROUP_VERSION.computeIfAbsent("/v1", gv -> Optional.ofNullable(OpenApi.v3("", "v1"))
                .map(doc -> new Schemas(doc.path("components").path("schemas")))).orElse(null);
        JsonNode objectMeta = core == null ? null : core.all().get(CustomResourceDocuments.OBJECT_META);
        if (objectMeta != null && obj.get("metadata") instanceof ObjectNode metadata) {
            walk(core.all(), objectMeta, metadata, "metadata", unknown);
        }
        return unknown;
    }

    private static void walk(JsonNode all, JsonNode schema, JsonNode value, String path, List<String> unknown) {
        walk(all, schema, value, new StringBuilder(path), unknown);
    }

    /**
     * Walks {@code value} against {@code schema}; {@code path} is where it is, restored on return. The path of a
     * field is built only for an unknown one, and scalars are not visited (nothing in them can be unknown): building
     * every field's path and copying every object's field names cost each create and update a string per field.
     */
    private static void walk(JsonNode all, JsonNode schema, JsonNode value, StringBuilder path, List<String> unknown) {
        schema = resolve(all, schema);
        if (schema == null || schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
            return;
        }
        int mark = path.length();
        if (value instanceof ObjectNode obj) {
            JsonNode properties = schema.get("properties");
            JsonNode additional = schema.get("additionalProperties");
            if (properties != null && properties.isObject()) {
                List<String> remove = null;
                for (Map.Entry<String, JsonNode> e : obj.properties()) {
                    String field = e.getKey();
                    JsonNode fieldSchema = properties.get(field);
                    if (fieldSchema == null) {
                        unknown.add(at(path, field));
                        if (remove == null) {
                            remove = new ArrayList<>();
                        }
                        remove.add(field); // after the loop: not while iterating the object
                    } else if (e.getValue().isContainer()) {
                        walk(all, fieldSchema, e.getValue(), append(path, field), unknown);
                        path.setLength(mark);
                    }
                }
                if (remove != null) {
                    remove.forEach(obj::remove);
                }
            } else if (additional != null && additional.isObject()) {
                for (Map.Entry<String, JsonNode> e : obj.properties()) {
                    if (e.getValue().isContainer()) {
                        walk(all, additional, e.getValue(), append(path, e.getKey()), unknown);
                        path.setLength(mark);
                    }
                }
            }
        } else if (value instanceof ArrayNode array && schema.has("items")) {
            JsonNode items = schema.get("items");
            for (int i = 0; i < array.size(); i++) {
                if (array.get(i).isContainer()) {
                    walk(all, items, array.get(i), path.append('[').append(i).append(']'), unknown);
                    path.setLength(mark);
                }
            }
        }
    }

    private static StringBuilder append(StringBuilder path, String field) {
        return (path.length() == 0 ? path : path.append('.')).append(field);
    }

    private static String at(StringBuilder path, String field) {
        return path.length() == 0 ? field : path + "." + field;
    }

    /** Follows {@code $ref}, and the {@code allOf: [{$ref}]} wrapper v3 documents put around refs with extensions. */
    private static JsonNode resolve(JsonNode all, JsonNode schema) {
        for (int depth = 0; depth < 8 && schema != null; depth++) {
            if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                return schema;
            }
            JsonNode ref = schema.get("$ref");
            if (ref == null && schema.path("allOf").size() == 1 && !schema.has("properties")) {
                ref = schema.path("allOf").get(0).get("$ref");
            }
            if (ref == null || !ref.asString("").startsWith(REF_PREFIX)) {
                return schema;
            }
            schema = all.get(ref.asString().substring(REF_PREFIX.length()));
        }
        return schema;
    }
}
