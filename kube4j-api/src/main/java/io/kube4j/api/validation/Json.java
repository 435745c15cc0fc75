package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Null-tolerant reads of a generic JSON object tree. */
final class Json {
    private Json() {
    }

    static ObjectNode obj(JsonNode n, String field) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(field);
        return v instanceof ObjectNode o ? o : null;
    }

    static String str(JsonNode n, String field) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(field);
        return v != null && v.isString() ? v.asString() : null;
    }

    static String strOr(JsonNode n, String field, String dflt) {
        String s = str(n, field);
        return s == null ? dflt : s;
    }

    static boolean has(JsonNode n, String field) {
        return n != null && n.get(field) != null && !n.get(field).isNull();
    }

    static JsonNode node(JsonNode n, String field) {
        if (n == null) {
            return null;
        }
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v;
    }

    static Long lng(JsonNode n, String field) {
        JsonNode v = node(n, field);
        return v != null && v.isNumber() ? v.asLong() : null;
    }

    static Boolean bool(JsonNode n, String field) {
        JsonNode v = node(n, field);
        return v != null && v.isBoolean() ? v.asBoolean() : null;
    }

    static List<JsonNode> arr(JsonNode n, String field) {
        JsonNode v = node(n, field);
        List<JsonNode> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                out.add(e);
            }
        }
        return out;
    }

    // objs and strs read the array directly rather than through arr: validation asks for many absent or short
    // lists per write, and each used to cost two lists

    static List<ObjectNode> objs(JsonNode n, String field) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode v = node(n, field);
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                if (e instanceof ObjectNode o) {
                    out.add(o);
                }
            }
        }
        return out;
    }

    static List<String> strs(JsonNode n, String field) {
        List<String> out = new ArrayList<>();
        JsonNode v = node(n, field);
        if (v != null && v.isArray()) {
            for (JsonNode e : v) {
                if (e.isString()) {
                    out.add(e.asString());
                }
            }
        }
        return out;
    }

    /** Structural equality where absent and null are the same. */
    static boolean same(JsonNode a, JsonNode b) {
        boolean an = a == null || a.isNull() || a.isMissingNode();
        boolean bn = b == null || b.isNull() || b.isMissingNode();
        if (an || bn) {
            return an && bn;
        }
        return a.equals(b);
    }
}
