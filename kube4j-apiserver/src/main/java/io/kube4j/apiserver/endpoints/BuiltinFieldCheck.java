package io.kube4j.apiserver.endpoints;

import io.kube4j.api.openapi.CustomResourceDocuments;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One descent of an object against its built-in OpenAPI v3 schema that finds both what the request checks need:
 * the first value its field's type cannot hold ({@link FieldTypes} says what Go's decoder accepts and how it words a
 * refusal) and the fields the schema does not declare, which upstream's strict decoding reports and which are
 * dropped - maps ({@code additionalProperties}) and {@code x-kubernetes-preserve-unknown-fields} accept anything.
 * Walking the object once per check cost every create and update a second descent with the same schema lookups.
 * <p>
 * Finding changes nothing: the unknown fields are removed by {@link #prune}, so a caller can still read the object
 * as it was sent (a Strict patch refusal quotes it) and then prune. Kinds without a built-in schema (custom
 * resources) have neither.
 */
final class BuiltinFieldCheck {

    private static final BuiltinFieldCheck NOTHING = new BuiltinFieldCheck(null);

    private final BuiltinSchemas schemas;
    /** Where the walk is, as the unknown fields are named ({@code spec.c[0].x}); restored on return. */
    private final StringBuilder path = new StringBuilder(64);
    /** Where the walk is as Go's decoder names a field: struct fields only, no map keys or list indexes. */
    private final StringBuilder goPath = new StringBuilder(64);
    private FieldTypes.Mismatch mismatch;
    private List<Unknown> unknown = List.of();

    /** An unknown field: the object it is in, its name there and its path from the root. */
    private record Unknown(ObjectNode in, String field, String path) {
    }

    private BuiltinFieldCheck(BuiltinSchemas schemas) {
        this.schemas = schemas;
    }

    /** Checks {@code obj} as the built-in kind it is: its values' types and its unknown fields. */
    static BuiltinFieldCheck of(String group, String version, String kind, ObjectNode obj) {
        BuiltinSchemas schemas = BuiltinSchemas.of(group, version);
        String root = schemas == null ? null : schemas.rootName(kind);
        if (root == null) {
            return NOTHING;
        }
        BuiltinFieldCheck check = new BuiltinFieldCheck(schemas);
        check.walk(schemas.node(root), root, root, obj, true, true);
        return check;
    }

    /**
     * Finds the unknown fields of {@code obj}'s metadata alone (ObjectMeta is the same for every kind, custom
     * resources included, whose other fields and types their own schema checks).
     */
    static BuiltinFieldCheck ofMetadata(ObjectNode obj) {
        BuiltinSchemas core = BuiltinSchemas.of("", "v1");
        BuiltinSchemas.Node objectMeta = core == null ? null : core.node(CustomResourceDocuments.OBJECT_META);
        if (objectMeta == null || !(obj.get("metadata") instanceof ObjectNode metadata)) {
            return NOTHING;
        }
        BuiltinFieldCheck check = new BuiltinFieldCheck(core);
        check.path.append("metadata");
        check.walk(objectMeta, null, null, metadata, false, true);
        return check;
    }

    /** The first value whose field's type cannot hold it, in the object's order; null when there is none. */
    FieldTypes.Mismatch mismatch() {
        return mismatch;
    }

    /** Removes the unknown fields found from the object; returns their paths ({@code spec.foo}, {@code spec.c[0].x}). */
    List<String> prune() {
        List<String> paths = new ArrayList<>(unknown.size());
        for (Unknown u : unknown) {
            u.in().remove(u.field());
            paths.add(u.path());
        }
        return paths;
    }

    /**
     * Walks {@code value} against {@code schema}: its type while {@code typed} (until the first mismatch), its
     * unknown fields while {@code pruned}. {@code named} is the schema's name when reached through a reference and
     * {@code struct} the name of the innermost Go struct around the value, as Go's error names them. Unknown fields
     * are looked for in objects and lists only (a scalar holds none), and a path is made into a string only for an
     * unknown field or a mismatch.
     */
    private void walk(BuiltinSchemas.Node schema, String named, String struct, JsonNode value, boolean typed,
                      boolean pruned) {
        if (value == null || schema == null) {
            return;
        }
        typed &= mismatch == null && !value.isNull(); // Go decodes null into any field as its zero value
        pruned &= value.isContainer();
        if (!typed && !pruned) {
            return;
        }
        for (int depth = 0; depth < 8; depth++) {
            if (schema.preservesUnknownFields) {
                pruned = false; // a reference with it keeps everything under it, whatever the schema referred to
            }
            if (schema.ref == null) {
                break;
            }
            named = schema.ref;
            schema = schemas.node(named);
            if (schema == null) {
                return;
            }
        }
        if (schema.preservesUnknownFields) {
            return;
        }
        if (typed) {
            mismatch = FieldTypes.mismatch(schema, named, struct, value, goPath);
            typed = mismatch == null && !FieldTypes.opaque(schema, named);
        }
        if (!typed && !pruned) {
            return;
        }
        if (value instanceof ObjectNode obj) {
            walkFields(schema, named != null ? named : struct, struct, obj, typed, pruned);
        } else if (value instanceof ArrayNode array && schema.items != null) {
            BuiltinSchemas.Node items = schema.items;
            int mark = path.length();
            for (int i = 0; i < array.size(); i++) {
                if (pruned) {
                    path.append('[').append(i).append(']');
                }
                walk(items, null, struct, array.get(i), typed, pruned);
                path.setLength(mark);
            }
        }
    }

    /**
     * The fields of an object: a struct's ({@code properties}) are in Go's path, in the struct {@code inner}; a
     * map's values ({@code additionalProperties}) are reported at the map field, in its struct {@code outer}.
     */
    private void walkFields(BuiltinSchemas.Node schema, String inner, String outer, ObjectNode obj, boolean typed,
                            boolean pruned) {
        int mark = path.length();
        int goMark = goPath.length();
        if (schema.properties != null) {
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                String field = e.getKey();
                BuiltinSchemas.Node fieldSchema = schema.properties.get(field);
                if (fieldSchema == null) {
                    if (pruned) {
                        unknown(obj, field);
                    }
                    continue;
                }
                if (pruned) {
                    append(path, field);
                }
                if (typed) {
                    append(goPath, field);
                }
                walk(fieldSchema, null, inner, e.getValue(), typed, pruned);
                path.setLength(mark);
                goPath.setLength(goMark);
            }
        } else if (schema.additional != null) {
            BuiltinSchemas.Node additional = schema.additional;
            for (Map.Entry<String, JsonNode> e : obj.properties()) {
                if (pruned) {
                    append(path, e.getKey());
                }
                walk(additional, null, outer, e.getValue(), typed, pruned);
                path.setLength(mark);
            }
        }
    }

    private void unknown(ObjectNode in, String field) {
        if (unknown.isEmpty()) {
            unknown = new ArrayList<>();
        }
        unknown.add(new Unknown(in, field, path.isEmpty() ? field : path + "." + field));
    }

    private static void append(StringBuilder path, String field) {
        (path.isEmpty() ? path : path.append('.')).append(field);
    }
}
