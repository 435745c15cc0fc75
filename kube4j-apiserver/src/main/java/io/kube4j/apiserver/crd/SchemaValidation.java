package io.kube4j.apiserver.crd;

import io.kube4j.api.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Checks a custom resource against its version's structural schema (an openAPIV3Schema node), with the
 * messages upstream's kube-openapi validator gives ({@code spec.replicas in body must be of type integer: "string"}).
 * The object's {@code metadata}, {@code apiVersion} and {@code kind} are the generic registry's business.
 */
public final class SchemaValidation {

    private static final Map<String, Pattern> PATTERNS = new ConcurrentHashMap<>();

    private SchemaValidation() {
    }

    public static List<FieldError> validate(JsonNode schema, JsonNode object) {
        List<FieldError> errors = new ArrayList<>();
        if (schema == null || !schema.isObject() || !object.isObject()) {
            return errors;
        }
        JsonNode properties = schema.path("properties");
        for (String required : strings(schema.path("required"))) {
            if (!isRootMeta(required) && !object.has(required)) {
                errors.add(FieldError.required(required, ""));
            }
        }
        for (var field : object.properties()) {
            if (isRootMeta(field.getKey())) {
                continue;
            }
            JsonNode sub = properties.get(field.getKey());
            if (sub != null) {
                validate(sub, field.getValue(), field.getKey(), errors);
            }
        }
        return errors;
    }

    /**
     * A value of the wrong type (upstream's TypeInvalid errors, whose detail this class writes as
     * {@code ... in body must be of type ...}): CEL rules do not run over such an object.
     */
    static boolean isTypeError(FieldError error) {
        return error.type() == FieldError.Type.INVALID && error.detail() != null
                && error.detail().contains(" in body must be of type ");
    }

    private static boolean isRootMeta(String field) {
        return field.equals("metadata") || field.equals("apiVersion") || field.equals("kind");
    }

    static void validate(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        if (value.isNull()) {
            if (!schema.path("nullable").asBoolean(false) && !preservesUnknown(schema)
                    && !schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
                String type = schema.path("type").asString("");
                if (!type.isEmpty()) {
                    errors.add(FieldError.invalid(path, "null", path + " in body must be of type " + type + ": \"null\""));
                }
            }
            return;
        }
        String type = schema.path("type").asString("");
        if (schema.path("x-kubernetes-int-or-string").asBoolean(false)) {
            if (!value.isIntegralNumber() && !value.isString()) {
                errors.add(FieldError.invalid(path, typeOf(value), path + " in body must be of type integer or string: \""
                        + typeOf(value) + "\""));
                return;
            }
        } else if (!type.isEmpty() && !hasType(value, type)) {
            errors.add(FieldError.invalid(path, typeOf(value), path + " in body must be of type " + type + ": \""
                    + typeOf(value) + "\""));
            return;
        }
        JsonNode enumValues = schema.get("enum");
        if (enumValues != null && enumValues.isArray()) {
            boolean found = false;
            for (JsonNode allowed : enumValues) {
                found |= allowed.equals(value) || allowed.isNumber() && value.isNumber()
                        && allowed.asDouble() == value.asDouble();
            }
            if (!found) {
                List<String> shown = new ArrayList<>();
                enumValues.forEach(v -> shown.add(v.isString() ? v.asString() : v.toString()));
                errors.add(FieldError.notSupported(path, value.isString() ? value.asString() : value.toString(), shown));
            }
        }
        if (value.isNumber()) {
            numberBounds(schema, value, path, errors);
        } else if (value.isString()) {
            stringRules(schema, value.asString(), path, errors);
        } else if (value.isArray()) {
            arrayRules(schema, value, path, errors);
        } else if (value.isObject()) {
            objectRules(schema, value, path, errors);
        }
    }

    private static void numberBounds(JsonNode schema, JsonNode value, String path, List<FieldError> errors) {
        Object shown = value.isIntegralNumber() ? (Object) value.asLong() : (Object) value.asDouble();
        JsonNode min = schema.get("minimum");
        if (min != null && min.isNumber()) {
            boolean exclusive = schema.path("exclusiveMinimum").asBoolean(false);
            if (exclusive ? value.asDouble() <= min.asDouble() : value.asDouble() < min.asDouble()) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be greater than "
                        + (exclusive ? "" : "or equal to ") + number(min)));
            }
        }
        JsonNode max = schema.get("maximum");
        if (max != null && max.isNumber()) {
            boolean exclusive = schema.path("exclusiveMaximum").asBoolean(false);
            if (exclusive ? value.asDouble() >= max.asDouble() : value.asDouble() > max.asDouble()) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be less than "
                        + (exclusive ? "" : "or equal to ") + number(max)));
            }
        }
        JsonNode multipleOf = schema.get("multipleOf");
        if (multipleOf != null && multipleOf.isNumber() && multipleOf.asDouble() != 0) {
            double q = value.asDouble() / multipleOf.asDouble();
            if (q != Math.rint(q)) {
                errors.add(FieldError.invalid(path, shown, path + " in body should be a multiple of " + number(multipleOf)));
            }
        }
    }

    private static void stringRules(JsonNode schema, String s, String path, List<FieldError> errors) {
        int length = s.codePointCount(0, s.length());
        JsonNode maxLength = schema.get("maxLength");
        if (maxLength != null && maxLength.isIntegralNumber() && length > maxLength.asInt()) {
            errors.add(FieldError.tooLong(path, s, maxLength.asInt()));
        }
        JsonNode minLength = schema.get("minLength");
        if (minLength != null && minLength.isIntegralNumber() && length < minLength.asInt()) {
            errors.add(FieldError.invalid(path, s, path + " in body should be at least " + minLength.asInt()
                    + " chars long"));
        }
        String pattern = schema.path("pattern").asString("");
        if (!pattern.isEmpty()) {
            Pattern compiled = compile(pattern);
            if (compiled != null && !compiled.matcher(s).find()) {
                errors.add(FieldError.invalid(path, s, path + " in body should match '" + pattern + "'"));
            }
        }
        String format = schema.path("format").asString("");
        if (!format.isEmpty() && !matchesFormat(format, s)) {
            errors.add(FieldError.invalid(path, s, path + " in body must be of type " + format + ": \"" + s + "\""));
        }
    }

    private static void arrayRules(JsonNode schema, JsonNode array, String path, List<FieldError> errors) {
        JsonNode maxItems = schema.get("maxItems");
        if (maxItems != null && maxItems.isIntegralNumber() && array.size() > maxItems.asInt()) {
            errors.add(FieldError.tooMany(path, array.size(), maxItems.asInt()));
        }
        JsonNode minItems = schema.get("minItems");
        if (minItems != null && minItems.isIntegralNumber() && array.size() < minItems.asInt()) {
            errors.add(FieldError.invalid(path, FieldError.OMIT, path + " in body should have at least "
                    + minItems.asInt() + " items"));
        }
        if (schema.path("uniqueItems").asBoolean(false) || "set".equals(schema.path("x-kubernetes-list-type").asString(""))) {
            for (int i = 0; i < array.size(); i++) {
                for (int j = 0; j < i; j++) {
                    if (array.get(i).equals(array.get(j))) {
                        errors.add(FieldError.duplicate(path + "[" + i + "]", array.get(i).isString()
                                ? array.get(i).asString() : array.get(i).toString()));
                    }
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null && items.isObject()) {
            for (int i = 0; i < array.size(); i++) {
                validate(items, array.get(i), path + "[" + i + "]", errors);
            }
        }
    }

    private static void objectRules(JsonNode schema, JsonNode object, String path, List<FieldError> errors) {
        if (schema.path("x-kubernetes-embedded-resource").asBoolean(false)) {
            for (String field : List.of("apiVersion", "kind")) {
                if (object.path(field).asString("").isEmpty()) {
                    errors.add(FieldError.required(path + "." + field, "must not be empty"));
                }
            }
        }
        for (String required : strings(schema.path("required"))) {
            if (!object.has(required)) {
                errors.add(FieldError.required(path + "." + required, ""));
            }
        }
        JsonNode maxProperties = schema.get("maxProperties");
        if (maxProperties != null && maxProperties.isIntegralNumber() && object.size() > maxProperties.asInt()) {
            errors.add(FieldError.tooMany(path, object.size(), maxProperties.asInt()));
        }
        JsonNode properties = schema.path("properties");
        JsonNode additional = schema.get("additionalProperties");
        for (var field : object.properties()) {
            JsonNode sub = properties.get(field.getKey());
            if (sub != null) {
                validate(sub, field.getValue(), path + "." + field.getKey(), errors);
            } else if (additional != null && additional.isObject()) {
                validate(additional, field.getValue(), path + "[" + field.getKey() + "]", errors);
            }
        }
    }

    static boolean preservesUnknown(JsonNode schema) {
        return schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    }

    private static boolean hasType(JsonNode value, String type) {
        return switch (type) {
            case "object" -> value.isObject();
            case "array" -> value.isArray();
            case "string" -> value.isString();
            case "integer" -> value.isIntegralNumber();
            case "number" -> value.isNumber();
            case "boolean" -> value.isBoolean();
            default -> true;
        };
    }

    /** The JSON schema type name of a value, as upstream prints it in type errors. */
    static String typeOf(JsonNode value) {
        if (value.isObject()) {
            return "object";
        }
        if (value.isArray()) {
            return "array";
        }
        if (value.isString()) {
            return "string";
        }
        if (value.isIntegralNumber()) {
            return "integer";
        }
        if (value.isNumber()) {
            return "number";
        }
        if (value.isBoolean()) {
            return "boolean";
        }
        return "null";
    }

    private static String number(JsonNode n) {
        return n.isIntegralNumber() || n.asDouble() == Math.rint(n.asDouble()) ? Long.toString((long) n.asDouble())
                : Double.toString(n.asDouble());
    }

    private static Pattern compile(String pattern) {
        try {
            return PATTERNS.computeIfAbsent(pattern, Pattern::compile);
        } catch (PatternSyntaxException e) {
            return null;
        }
    }

    static boolean isValidPattern(String pattern) {
        return compile(pattern) != null;
    }

    /** The formats upstream checks; others (as upstream) are accepted as any string. */
    private static boolean matchesFormat(String format, String s) {
        try {
            switch (format) {
                case "date-time" -> OffsetDateTime.parse(s);
                case "date" -> LocalDate.parse(s);
                case "uuid" -> UUID.fromString(s);
                case "byte" -> java.util.Base64.getDecoder().decode(s);
                case "ipv4" -> {
                    return s.matches("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
                }
                case "hostname" -> {
                    return s.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
                            && s.length() <= 253;
                }
                default -> {
                    return true;
                }
            }
            return true;
        } catch (DateTimeParseException | IllegalArgumentException e) {
            return false;
        }
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(v -> out.add(v.asString("")));
        }
        return out;
    }
}
