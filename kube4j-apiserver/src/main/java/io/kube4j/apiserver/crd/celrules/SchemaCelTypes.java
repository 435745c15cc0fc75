package io.kube4j.apiserver.crd.celrules;

import com.google.common.collect.ImmutableCollection;
import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import dev.cel.common.types.CelType;
import dev.cel.common.types.CelTypeProvider;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.StructType;
import tools.jackson.databind.JsonNode;

import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CEL type of each node of one structural schema, as upstream's schema-to-DeclType mapping: an object with
 * properties is a struct of its (escaped) fields, an object with additionalProperties a {@code map(string, T)}, an
 * array a {@code list(T)}, int-or-string and preserve-unknown-fields without properties {@code dyn}; integer,
 * number, string and boolean the CEL primitives, except strings of format byte ({@code bytes}), duration
 * ({@code duration}), date and date-time ({@code timestamp}). The resource root and embedded resources also have
 * {@code apiVersion}, {@code kind} and {@code metadata} (name and generateName only). One instance per schema: it is
 * also the checker's type provider, so rules may select any field of any struct below {@code self}.
 */
public final class SchemaCelTypes implements CelTypeProvider {

    private final Map<JsonNode, CelType> types = new IdentityHashMap<>();
    private final Map<String, StructType> structs = new LinkedHashMap<>();
    private final CelType root;

    SchemaCelTypes(JsonNode root) {
        // struct names are not CEL identifiers: a type named like a field chain ("self.spec") would capture it
        this(root, "#self", true);
    }

    /**
     * The types of a schema whose structs are named from {@code rootName} (not a CEL identifier, and distinct for
     * schemas one compiler sees together); a {@code resource} root gets apiVersion, kind and the metadata rules see
     * in place of the schema's own. Admission type checking reads a kind's published schema as it is, ObjectMeta
     * and all, as upstream's does.
     */
    public SchemaCelTypes(JsonNode root, String rootName, boolean resource) {
        this.root = typeOf(root, rootName, resource);
    }

    /** The type of the schema's root. */
    public CelType root() {
        return root;
    }

    /** The type of a schema node of this schema (dyn for a node it does not know). */
    CelType type(JsonNode schema) {
        return types.getOrDefault(schema, SimpleType.DYN);
    }

    @Override
    public ImmutableCollection<CelType> types() {
        return ImmutableList.copyOf(structs.values());
    }

    @Override
    public Optional<CelType> findType(String name) {
        return Optional.ofNullable(structs.get(name));
    }

    private CelType typeOf(JsonNode schema, String name, boolean resource) {
        if (schema == null || !schema.isObject()) {
            return SimpleType.DYN;
        }
        CelType type = build(schema, name, resource);
        types.put(schema, type);
        return type;
    }

    private CelType build(JsonNode schema, String name, boolean resource) {
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            // both integers and strings reach the rule: upstream types it dyn too, so the check moves to run time
            return SimpleType.DYN;
        }
        boolean embedded = resource || schema.path("x-kubernetes-embedded-resource").asBoolean(false);
        switch (schema.path("type").asString("")) {
            case "integer":
                return SimpleType.INT;
            case "number":
                return SimpleType.DOUBLE;
            case "string":
                return switch (schema.path("format").asString("")) {
                    case "byte" -> SimpleType.BYTES;
                    case "duration" -> SimpleType.DURATION;
                    case "date", "date-time" -> SimpleType.TIMESTAMP;
                    default -> SimpleType.STRING;
                };
            case "boolean":
                return SimpleType.BOOL;
            case "array":
                return ListType.create(typeOf(schema.get("items"), name + "[@]", false));
            case "object":
                JsonNode additional = schema.get("additionalProperties");
                if (additional != null && additional.isObject() && !schema.path("properties").isObject()) {
                    return MapType.create(SimpleType.STRING, typeOf(additional, name + "[*]", false));
                }
                if (!schema.path("properties").isObject() && !embedded
                        && (schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)
                        || additional != null && additional.asBoolean(false))) {
                    return SimpleType.DYN;
                }
                return struct(schema, name, embedded);
            default:
                return SimpleType.DYN;
        }
    }

    private StructType struct(JsonNode schema, String name, boolean embedded) {
        Map<String, CelType> fields = new LinkedHashMap<>();
        if (embedded) {
            fields.put("apiVersion", SimpleType.STRING);
            fields.put("kind", SimpleType.STRING);
            fields.put("metadata", metadata(name + ".metadata"));
        }
        for (var property : schema.path("properties").properties()) {
            String field = CelNames.escape(property.getKey());
            if (field != null && !(embedded && fields.containsKey(field))) {
                fields.put(field, typeOf(property.getValue(), name + "." + property.getKey(), false));
            }
        }
        StructType struct = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(fields.get(field)));
        structs.put(name, struct);
        return struct;
    }

    /** The part of ObjectMeta a rule may see, as upstream: name and generateName. */
    private StructType metadata(String name) {
        Map<String, CelType> fields = Map.of("name", SimpleType.STRING, "generateName", SimpleType.STRING);
        StructType struct = StructType.create(name, ImmutableSet.copyOf(fields.keySet()),
                field -> Optional.ofNullable(fields.get(field)));
        structs.put(name, struct);
        return struct;
    }
}
