package io.kube4j.apiserver.endpoints;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.util.Set;

/**
 * Finds the first value of a built-in object whose JSON type its field cannot hold ({@code replicas: "3"},
 * {@code command: sleep}, a number in a ConfigMap's data), as upstream's decoder refuses it before anything else looks
 * at the object: {@code json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32}.
 * Kept out, such an object would otherwise be stored and then break every typed client that lists it (the controller
 * manager's informers stop on it). Types come from the built-in OpenAPI v3 schemas, walked by
 * {@link BuiltinFieldCheck} together with the search for unknown fields; custom resources are left to their own
 * structural schemas.
 */
final class FieldTypes {

    private static final String QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity";
    /** Go types that take any JSON value (their own UnmarshalJSON keeps the raw bytes). */
    private static final Set<String> ANY_JSON = Set.of(
            "io.k8s.apimachinery.pkg.runtime.RawExtension", "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1");

    /**
     * The first mismatch: {@code path} is the Go field path (struct fields only, as Go's decoder reports it),
     * {@code expected} the schema's type, {@code got} the JSON type found, {@code goMessage} Go's whole message.
     */
    record Mismatch(String path, String expected, String got, String goMessage) {
    }

    private FieldTypes() {
    }

    /** The first value of {@code obj} its field's type cannot hold, or null; null too for kinds without a schema. */
    static Mismatch find(String group, String version, String kind, ObjectNode obj) {
        return BuiltinFieldCheck.of(group, version, kind, obj).mismatch();
    }

    /**
     * Whether Go decodes a value of this schema by itself, so nothing inside it is held to a schema: any JSON
     * (RawExtension, FieldsV1), int-or-string, a quantity. (A schema with {@code x-kubernetes-preserve-unknown-fields}
     * is not walked at all.)
     */
    static boolean opaque(BuiltinSchemas.Node schema, String named) {
        return (named != null && (ANY_JSON.contains(named) || QUANTITY.equals(named))) || schema.intOrString;
    }

    /**
     * Whether {@code value} itself (not what is inside it) fits {@code schema}, resolved from its references
     * ({@code named} the schema's name when reached through one) and without
     * {@code x-kubernetes-preserve-unknown-fields}: null when it does, else Go's refusal. {@code struct} is the name
     * of the innermost Go struct schema around the value and {@code path} its Go field path, as Go's error names them.
     */
    static Mismatch mismatch(BuiltinSchemas.Node schema, String named, String struct, JsonNode value,
                             CharSequence path) {
        if (named != null && ANY_JSON.contains(named)) {
            return null;
        }
        if (schema.intOrString) {
            // intstr.IntOrString decodes a non-string as its int32 itself: Go names no struct field then
            return value.isString() || fitsInteger(value, "int32") ? null
                    : new Mismatch(path.toString(), "int-or-string", jsonType(value), "json: cannot unmarshal "
                    + numberOrType(value) + " into Go value of type int32");
        }
        if (QUANTITY.equals(named)) {
            return value.isString() || value.isNumber() ? null : new Mismatch(path.toString(), "quantity",
                    jsonType(value), "quantities must match the regular expression "
                    + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
        }
        String type = schema.type;
        boolean fits = switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            case "boolean" -> value.isBoolean();
            case "number" -> value.isNumber();
            case "integer" -> fitsInteger(value, schema.format);
            default -> true; // no declared type: nothing to hold it to
        };
        if (fits) {
            return null;
        }
        String got = type.equals("integer") ? numberOrType(value) : jsonType(value);
        return new Mismatch(path.toString(), type, jsonType(value), "json: cannot unmarshal " + got
                + " into Go struct field " + shortName(struct) + "." + path + " of type " + goType(schema.schema, named));
    }

    /** Whether a JSON value fits a Go integer of this OpenAPI format (int32, else int64): a whole number in range. */
    private static boolean fitsInteger(JsonNode value, String format) {
        if (!value.isIntegralNumber()) {
            return false;
        }
        if (value.isInt() || value.isLong()) { // the common case, without a BigInteger per integer checked
            long n = value.longValue();
            return !format.equals("int32") || n == (int) n;
        }
        BigInteger n = value.bigIntegerValue();
        return format.equals("int32") ? n.bitLength() < 32 : n.bitLength() < 64;
    }

    /** Go's UnmarshalTypeError value: a number that does not fit an integer is quoted with its text. */
    private static String numberOrType(JsonNode value) {
        return value.isNumber() ? "number " + value.asString() : jsonType(value);
    }

    private static String jsonType(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isBoolean()) {
            return "bool";
        }
        return value.isNumber() ? "number" : "string";
    }

    /** The Go type a schema stands for, as reflect prints it ({@code int32}, {@code []v1.Container}, ...). */
    private static String goType(JsonNode schema, String named) {
        if (named != null) {
            String[] parts = named.split("\\.");
            return parts.length < 2 ? named : parts[parts.length - 2] + "." + parts[parts.length - 1];
        }
        return switch (schema.path("type").asString("")) {
            case "integer" -> schema.path("format").asString("").isEmpty() ? "int" : schema.path("format").asString();
            case "number" -> "float64";
            case "boolean" -> "bool";
            case "string" -> "string";
            case "array" -> "[]" + elementType(schema.get("items"));
            case "object" -> schema.get("additionalProperties") instanceof ObjectNode value
                    ? "map[string]" + elementType(value) : "map[string]interface {}";
            default -> "interface {}";
        };
    }

    private static String elementType(JsonNode schema) {
        return schema == null ? "interface {}" : goType(schema, BuiltinSchemas.refName(schema));
    }

    /** {@code io.k8s.api.apps.v1.DeploymentSpec} is Go's {@code DeploymentSpec}. */
    private static String shortName(String schemaName) {
        return schemaName.substring(schemaName.lastIndexOf('.') + 1);
    }
}
