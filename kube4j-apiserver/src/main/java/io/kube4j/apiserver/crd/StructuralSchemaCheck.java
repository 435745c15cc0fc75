package io.kube4j.apiserver.crd;

import io.kube4j.api.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.util.List;
import java.util.Set;

/**
 * Checks that a CRD version's openAPIV3Schema is structural, as apiextensions.k8s.io/v1 requires: a type on
 * every node (unless int-or-string or preserve-unknown-fields), only known keywords, valid patterns, an
 * object root whose metadata says at most name and generateName.
 */
public final class StructuralSchemaCheck {

    private static final Set<String> KEYWORDS = Set.of("type", "format", "title", "description", "default",
            "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
            "maxItems", "minItems", "uniqueItems", "multipleOf", "enum", "maxProperties", "minProperties",
            "required", "items", "allOf", "oneOf", "anyOf", "not", "properties", "additionalProperties",
            "nullable", "example", "externalDocs", "x-kubernetes-preserve-unknown-fields",
            "x-kubernetes-embedded-resource", "x-kubernetes-int-or-string", "x-kubernetes-list-map-keys",
            "x-kubernetes-list-type", "x-kubernetes-map-type", "x-kubernetes-validations");
    private static final Set<String> TYPES = Set.of("object", "array", "string", "integer", "number", "boolean");

    private StructuralSchemaCheck() {
    }

    public static void check(JsonNode schema, String path, List<FieldError> errors) {
        if (schema == null || !schema.isObject()) {
            errors.add(FieldError.required(path, "schemas are required"));
            return;
        }
        if (!"object".equals(schema.path("type").asString(""))) {
            errors.add(FieldError.invalid(path + ".type", schema.path("type").asString(""), "must be object at the root"));
        }
        JsonNode metadata = schema.path("properties").path("metadata");
        for (var field : metadata.path("properties").properties()) {
            if (!field.getKey().equals("name") && !field.getKey().equals("generateName")) {
                errors.add(FieldError.forbidden(path + ".properties[metadata].properties[" + field.getKey() + "]",
                        "must not be specified"));
            }
        }
        node(schema, path, true, errors);
    }

    private static void node(JsonNode schema, String path, boolean root, List<FieldError> errors) {
        for (String keyword : schema.propertyNames()) {
            if (!KEYWORDS.contains(keyword)) {
                errors.add(FieldError.forbidden(path + "." + keyword, "unknown field \"" + keyword + "\""));
            }
        }
        String type = schema.path("type").asString("");
        boolean intOrString = schema.path("x-kubernetes-int-or-string").asBoolean(false);
        boolean preserve = SchemaValidation.preservesUnknown(schema);
        if (type.isEmpty() && !intOrString && !preserve) {
            errors.add(FieldError.required(path + ".type", "must not be empty for specified "
                    + (root ? "object" : "object fields")));
        } else if (!type.isEmpty() && !TYPES.contains(type)) {
            errors.add(FieldError.notSupported(path + ".type", type, List.copyOf(new java.util.TreeSet<>(TYPES))));
        }
        if (intOrString && !type.isEmpty()) {
            errors.add(FieldError.forbidden(path + ".type", "must be empty if x-kubernetes-int-or-string is true"));
        }
        if (schema.has("properties") && schema.has("additionalProperties")
                && !schema.get("additionalProperties").isBoolean()) {
            errors.add(FieldError.forbidden(path + ".additionalProperties",
                    "additionalProperties and properties are mutual exclusive"));
        }
        String pattern = schema.path("pattern").asString("");
        if (!pattern.isEmpty() && !SchemaValidation.isValidPattern(pattern)) {
            errors.add(FieldError.invalid(path + ".pattern", pattern, "must be a valid regular expression"));
        }
        if ("array".equals(type) && !schema.path("items").isObject()) {
            errors.add(FieldError.required(path + ".items", "must be specified"));
        }
        if (schema.path("x-kubernetes-embedded-resource").asBoolean(false) && !"object".equals(type)) {
            errors.add(FieldError.forbidden(path + ".type", "must be object if x-kubernetes-embedded-resource is true"));
        }
        for (var property : schema.path("properties").properties()) {
            if (property.getValue().isObject()) {
                node(property.getValue(), path + ".properties[" + property.getKey() + "]", false, errors);
            }
        }
        if (schema.path("items").isObject()) {
            node(schema.get("items"), path + ".items", false, errors);
        }
        if (schema.path("additionalProperties").isObject()) {
            node(schema.get("additionalProperties"), path + ".additionalProperties", false, errors);
        }
        JsonNode def = schema.get("default");
        if (def != null && !root) {
            List<FieldError> defaultErrors = new java.util.ArrayList<>();
            SchemaValidation.validate(schema, def, path + ".default", defaultErrors);
            errors.addAll(defaultErrors);
        }
    }
}
