package io.kube4j.apiserver.endpoints;

import io.kube4j.api.openapi.CustomResourceDocuments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and drops the fields of a built-in object its OpenAPI v3 schema does not declare, as upstream's strict
 * decoding does: maps ({@code additionalProperties}) and {@code x-kubernetes-preserve-unknown-fields} accept
 * anything. Kinds without a built-in schema (custom resources) are left alone.
 */
final class UnknownFields {

    private UnknownFields() {
    }

    /** Removes the unknown fields of {@code obj}; returns their paths ({@code spec.foo}, {@code spec.c[0].x}). */
    static List<String> prune(String group, String version, String kind, ObjectNode obj) {
        BuiltinSchemas schemas = BuiltinSchemas.of(group, version);
        List<String> unknown = new ArrayList<>();
        if (schemas == null) {
            return unknown;
        }
        String root = schemas.rootName(kind);
        if (root != null) {
            walk(schemas, schemas.get(root), obj, "", unknown);
        }
        return unknown;
    }

    /**
     * Removes the unknown fields of {@code obj}'s metadata (ObjectMeta is the same for every kind, custom resources
     * included); returns their paths ({@code metadata.foo}).
     */
    static List<String> pruneMetadata(ObjectNode obj) {
        List<String> unknown = new ArrayList<>();
        BuiltinSchemas core = BuiltinSchemas.of("", "v1");
        JsonNode objectMeta = core == null ? null : core.get(CustomResourceDocuments.OBJECT_META);
        if (objectMeta != null && obj.get("metadata") instanceof ObjectNode metadata) {
            walk(core, objectMeta, metadata, "metadata", unknown);
        }
        return unknown;
    }

    private static void walk(BuiltinSchemas all, JsonNode schema, JsonNode value, String path, List<String> unknown) {
        walk(all, schema, value, new StringBuilder(path), unknown);
    }

    /**
     * Walks {@code value} against {@code schema}; {@code path} is where it is, restored on return. The path of a
     * field is built only for an unknown one, and scalars are not visited (nothing in them can be unknown): building
     * every field's path and copying every object's field names cost each create and update a string per field.
     */
    private static void walk(BuiltinSchemas all, JsonNode schema, JsonNode value, StringBuilder path, List<String> unknown) {
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

    /** Follows references (see {@link BuiltinSchemas#refName}) to the schema that says what a value holds. */
    private static JsonNode resolve(BuiltinSchemas all, JsonNode schema) {
        for (int depth = 0; depth < 8 && schema != null; depth++) {
            if (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                return schema;
            }
            String ref = BuiltinSchemas.refName(schema);
            if (ref == null) {
                return schema;
            }
            schema = all.get(ref);
        }
        return schema;
    }
}
