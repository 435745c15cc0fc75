package io.kube4j.api.validation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Field checks shared by many kinds, each adding upstream's errors to a list. */
final class Checks {
    /** RFC 3986's path characters, upstream's httpPathFmt. */
    private static final String HTTP_PATH_FMT = "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+";
    private static final java.util.regex.Pattern HTTP_PATH = java.util.regex.Pattern.compile(HTTP_PATH_FMT);

    private Checks() {
    }

    /**
     * Upstream's IsDomainPrefixedPath ({@code acme.io/foo}): a DNS subdomain before the first slash, an HTTP path
     * after it; each part's errors name that part as the value, as upstream's do.
     */
    static void domainPrefixedPath(String value, String path, List<FieldError> errs) {
        if (value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return;
        }
        int slash = value.indexOf('/');
        if (slash <= 0 || slash == value.length() - 1) {
            errs.add(FieldError.invalid(path, value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
            return;
        }
        String host = value.substring(0, slash);
        for (String m : NameValidation.isDns1123Subdomain(host)) {
            errs.add(FieldError.invalid(path, host, m));
        }
        String rest = value.substring(slash + 1);
        if (!HTTP_PATH.matcher(rest).matches()) {
            errs.add(FieldError.invalid(path, rest, NameValidation.regexError("Invalid path", HTTP_PATH_FMT)));
        }
    }

    static void dns1123Label(String value, String path, List<FieldError> errs) {
        for (String m : NameValidation.isDns1123Label(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    /** {@link #dns1123Label(String, String, List)} at {@code parent.field}, a path built only for an error. */
    static void dns1123Label(String value, String parent, String field, List<FieldError> errs) {
        if (!NameValidation.isDns1123Label(value).isEmpty()) {
            dns1123Label(value, Paths.child(parent, field), errs);
        }
    }

    static void dns1123Subdomain(String value, String path, List<FieldError> errs) {
        for (String m : NameValidation.isDns1123Subdomain(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    static void qualifiedName(String value, String path, List<FieldError> errs) {
        for (String m : NameValidation.isQualifiedName(value)) {
            errs.add(FieldError.invalid(path, value, m));
        }
    }

    /** Upstream's ValidateNonnegativeField, for a field that may be absent. */
    static void nonNegative(JsonNode parent, String field, String path, List<FieldError> errs) {
        Long v = Json.lng(parent, field);
        if (v != null && v < 0) {
            errs.add(FieldError.invalid(path, v, "must be greater than or equal to 0"));
        }
    }

    /** Required, and one of {@code valid} (upstream's Required / NotSupported pair of enum checks). */
    static void oneOf(String value, List<String> valid, String path, List<FieldError> errs) {
        if (value == null || value.isEmpty()) {
            errs.add(FieldError.required(path, ""));
        } else if (!valid.contains(value)) {
            errs.add(FieldError.notSupported(path, value, valid));
        }
    }

    /** {@link #oneOf(String, List, String, List)} at {@code parent.field}, a path built only for an error. */
    static void oneOf(String value, List<String> valid, String parent, String field, List<FieldError> errs) {
        if (value == null || value.isEmpty() || !valid.contains(value)) {
            oneOf(value, valid, Paths.child(parent, field), errs);
        }
    }

    /** {@link #optionalOneOf(String, List, String, List)} at {@code parent.field}, a path built only for an error. */
    static void optionalOneOf(String value, List<String> valid, String parent, String field, List<FieldError> errs) {
        if (value != null && !value.isEmpty() && !valid.contains(value)) {
            optionalOneOf(value, valid, Paths.child(parent, field), errs);
        }
    }

    /** Optional, but one of {@code valid} when set. */
    static void optionalOneOf(String value, List<String> valid, String path, List<FieldError> errs) {
        if (value != null && !value.isEmpty() && !valid.contains(value)) {
            errs.add(FieldError.notSupported(path, value, valid));
        }
    }

    static void required(JsonNode parent, String field, String path, List<FieldError> errs) {
        JsonNode v = Json.node(parent, field);
        if (v == null || (v.isString() && v.asString().isEmpty()) || (v.isContainer() && v.isEmpty())) {
            errs.add(FieldError.required(path, ""));
        }
    }

    /** A port number field (int), required when {@code required}. */
    static void port(JsonNode parent, String field, String path, boolean required, List<FieldError> errs) {
        Long p = Json.lng(parent, field);
        if (p == null || p == 0) {
            if (required) {
                errs.add(FieldError.required(path, ""));
            }
            return;
        }
        for (String m : NameValidation.isValidPortNum(p)) {
            errs.add(FieldError.invalid(path, p, m));
        }
    }

    /** {@link #port} of {@code parent.field}, whose path {@code parentPath.field} is built only for an error. */
    static void portField(JsonNode parent, String field, String parentPath, boolean required, List<FieldError> errs) {
        Long p = Json.lng(parent, field);
        if (p == null || p == 0 ? required : !NameValidation.isValidPortNum(p).isEmpty()) {
            port(parent, field, Paths.child(parentPath, field), required, errs);
        }
    }

    /** An IntOrString port: a number in range or an IANA service name. */
    static void portNumOrName(JsonNode port, String path, List<FieldError> errs) {
        if (port == null || port.isNull()) {
            errs.add(FieldError.invalid(path, 0L, NameValidation.inclusiveRangeError(1, 65535)));
            return;
        }
        if (port.isNumber()) {
            for (String m : NameValidation.isValidPortNum(port.asLong())) {
                errs.add(FieldError.invalid(path, port.asLong(), m));
            }
        } else if (port.isString()) {
            for (String m : NameValidation.isValidPortName(port.asString())) {
                errs.add(FieldError.invalid(path, port.asString(), m));
            }
        } else {
            errs.add(FieldError.invalid(path, port, "must contain an int or string"));
        }
    }

    /** The labels of an object-like map as a Java map (for printing bad values the way Go does). */
    static Map<String, String> stringMap(ObjectNode map) {
        Map<String, String> out = new LinkedHashMap<>();
        if (map != null) {
            for (Map.Entry<String, JsonNode> e : map.properties()) {
                out.put(e.getKey(), e.getValue().isString() ? e.getValue().asString() : e.getValue().toString());
            }
        }
        return out;
    }

    static void immutable(JsonNode newValue, JsonNode oldValue, String path, List<FieldError> errs) {
        if (!SemanticEquality.equal(newValue, oldValue)) {
            Object bad = newValue == null || newValue.isNull() ? null
                    : newValue.isString() ? newValue.asString()
                    : newValue.isNumber() ? (Object) newValue.asLong()
                    : newValue;
            errs.add(FieldError.invalid(path, bad, ObjectMetaValidation.IMMUTABLE));
        }
    }
}
