package io.kube4j.api.patch;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Equality of JSON values as Go's decoded JSON compares them: all numbers are one type, 1 equals 1.0. */
final class JsonValues {

    private JsonValues() {
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!same(e.getValue(), b.get(e.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            Iterator<JsonNode> ia = a.iterator();
            Iterator<JsonNode> ib = b.iterator();
            while (ia.hasNext()) {
                if (!same(ia.next(), ib.next())) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** A key under which equal scalars collide (for sets of scalars). */
    static String scalarKey(JsonNode n) {
        if (n == null || n.isNull()) {
            return "n:";
        }
        if (n.isNumber()) {
            return "d:" + n.decimalValue().stripTrailingZeros().toPlainString();
        }
        if (n.isBoolean()) {
            return "b:" + n.asBoolean();
        }
        if (n.isString()) {
            return "s:" + n.asString();
        }
        return "j:" + n;
    }

    /** Go's fmt %v of a decoded JSON scalar, used where upstream sorts scalars by their printed form. */
    static String goString(JsonNode n) {
        if (n == null || n.isNull()) {
            return "<nil>";
        }
        if (n.isString()) {
            return n.asString();
        }
        if (n.isNumber()) {
            return n.decimalValue().stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }

    /** The kind of a JSON value the way Go's reflect sees decoded JSON. */
    static String kind(JsonNode n) {
        if (n == null || n.isNull()) {
            return "nil";
        }
        if (n.isObject()) {
            return "map";
        }
        if (n.isArray()) {
            return "slice";
        }
        if (n.isNumber()) {
            return "float64";
        }
        if (n.isBoolean()) {
            return "bool";
        }
        return "string";
    }
}
