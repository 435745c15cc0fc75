package io.kube4j.apiserver.crd.celrules;

import dev.cel.common.values.NullValue;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON value as the CEL runtime sees it, shaped by its schema node as {@link SchemaCelTypes} typed it: objects
 * become maps keyed by the escaped field names (structs are checked at compile time and read as maps at run time),
 * {@code number} fields doubles even when written as integers, strings of the formats CEL has types for those types
 * ({@link FormattedStrings}), and the resource root shows only the metadata upstream exposes (name, generateName).
 */
public final class CelValues {

    private CelValues() {
    }

    static Object of(JsonNode schema, JsonNode value, boolean resource) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return NullValue.NULL_VALUE;
        }
        if (schema == null || !schema.isObject()) {
            return untyped(value);
        }
        if (value.isNumber() && "number".equals(schema.path("type").asString(""))) {
            return value.asDouble();
        }
        if (value.isString() && "string".equals(schema.path("type").asString(""))) {
            return FormattedStrings.of(schema.path("format").asString(""), value.asString());
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            for (JsonNode item : value) {
                list.add(of(schema.get("items"), item, false));
            }
            return list;
        }
        if (!value.isObject()) {
            return untyped(value);
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        boolean embedded = resource || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        if (!properties.isObject() && !embedded) {
            if (additional != null && additional.isObject()) {
                Map<String, Object> map = new LinkedHashMap<>();
                for (var entry : value.properties()) {
                    map.put(entry.getKey(), of(additional, entry.getValue(), false));
                }
                return map;
            }
            return untyped(value);
        }
        Map<String, Object> struct = new LinkedHashMap<>();
        if (embedded) {
            for (String field : new String[] {"apiVersion", "kind"}) {
                if (value.path(field).isString()) {
                    struct.put(field, value.get(field).asString());
                }
            }
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (String field : new String[] {"name", "generateName"}) {
                if (value.path("metadata").path(field).isString()) {
                    metadata.put(field, value.path("metadata").get(field).asString());
                }
            }
            struct.put("metadata", metadata);
        }
        for (var property : properties.properties()) {
            JsonNode field = value.get(property.getKey());
            String name = CelNames.escape(property.getKey());
            // a null field reads as absent, so has() answers false for it, as upstream's unstructured values do
            if (field != null && !field.isNull() && name != null && !struct.containsKey(name)) {
                struct.put(name, of(property.getValue(), field, false));
            }
        }
        return struct;
    }

    /** A value without a schema (an admission policy's object, params): its JSON shape only; CEL null for none. */
    public static Object dyn(JsonNode value) {
        return of(null, value, false);
    }

    /** A value under preserve-unknown-fields or int-or-string: its JSON shape only. */
    private static Object untyped(JsonNode value) {
        if (value.isNull()) {
            return NullValue.NULL_VALUE;
        }
        if (value.isIntegralNumber()) {
            return value.asLong();
        }
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isBoolean()) {
            return value.asBoolean();
        }
        if (value.isString()) {
            return value.asString();
        }
        if (value.isArray()) {
            List<Object> list = new ArrayList<>(value.size());
            value.forEach(item -> list.add(untyped(item)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (var entry : value.properties()) {
            map.put(entry.getKey(), untyped(entry.getValue()));
        }
        return map;
    }
}
