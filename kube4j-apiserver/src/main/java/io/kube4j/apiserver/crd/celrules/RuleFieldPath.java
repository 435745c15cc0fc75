package io.kube4j.apiserver.crd.celrules;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * A rule's {@code fieldPath}, as upstream's ValidFieldPath: a JSON path of field accessors ({@code .a}) and
 * quoted keys ({@code ['a.b']}) that must name a property (or a key of a map) of the schema where the rule sits.
 * The result is the field path suffix errors of the rule are reported at.
 */
final class RuleFieldPath {

    /** A fieldPath that does not fit the schema; the message is upstream's reason. */
    static final class InvalidPathException extends Exception {
        InvalidPathException(String message) {
            super(message);
        }
    }

    private RuleFieldPath() {
    }

    static String normalize(String jsonPath, JsonNode schema) throws InvalidPathException {
        List<String> tokens = tokens(jsonPath);
        StringBuilder path = new StringBuilder();
        JsonNode current = schema;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            String name;
            if (token.equals("[")) {
                if (++i >= tokens.size()) {
                    throw new InvalidPathException("unexpected end of JSON path");
                }
                String quoted = tokens.get(i);
                if (quoted.length() < 2 || quoted.charAt(0) != '\'' || quoted.charAt(quoted.length() - 1) != '\'') {
                    throw new InvalidPathException("expected single quoted string but got " + quoted);
                }
                name = unescape(quoted.substring(1, quoted.length() - 1));
                if (++i >= tokens.size()) {
                    throw new InvalidPathException("unexpected end of JSON path");
                }
                if (!tokens.get(i).equals("]")) {
                    throw new InvalidPathException("expected ] but got " + tokens.get(i));
                }
            } else if (token.equals(".")) {
                if (++i >= tokens.size()) {
                    throw new InvalidPathException("unexpected end of JSON path");
                }
                name = tokens.get(i);
            } else {
                throw new InvalidPathException("expected [ or . but got: " + token);
            }
            current = step(current, name, path);
        }
        return path.toString();
    }

    private static JsonNode step(JsonNode schema, String name, StringBuilder path) throws InvalidPathException {
        if (schema.path("properties").isObject()) {
            JsonNode property = schema.path("properties").get(name);
            if (property == null) {
                throw new InvalidPathException("does not refer to a valid field");
            }
            path.append(path.length() == 0 ? "" : ".").append(name);
            return property;
        }
        if (schema.path("additionalProperties").isObject()) {
            path.append('[').append(name).append(']');
            return schema.get("additionalProperties");
        }
        throw new InvalidPathException("does not refer to a valid field");
    }

    /** Splits at '.', '[' and ']' (each its own token); a single-quoted string is one token whatever it holds. */
    private static List<String> tokens(String jsonPath) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < jsonPath.length()) {
            char c = jsonPath.charAt(i);
            if (c == '.' || c == '[' || c == ']') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                int end = i + 1;
                while (end < jsonPath.length() && !(jsonPath.charAt(end) == '\'' && jsonPath.charAt(end - 1) != '\\')) {
                    end++;
                }
                end = Math.min(end + 1, jsonPath.length());
                tokens.add(jsonPath.substring(i, end));
                i = end;
            } else {
                int end = i;
                while (end < jsonPath.length() && ".[]".indexOf(jsonPath.charAt(end)) < 0) {
                    end++;
                }
                tokens.add(jsonPath.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }

    private static String unescape(String s) throws InvalidPathException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            if (++i >= s.length()) {
                throw new InvalidPathException("invalid string literal: invalid escape char \\");
            }
            switch (s.charAt(i)) {
                case 'a' -> out.append('\u0007');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'v' -> out.append('\u000b');
                case '\'' -> out.append('\'');
                case '\\' -> out.append('\\');
                default -> throw new InvalidPathException("invalid string literal: invalid escape char \\" + s.charAt(i));
            }
        }
        return out.toString();
    }
}
