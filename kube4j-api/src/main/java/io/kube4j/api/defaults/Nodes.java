package io.kube4j.api.defaults;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Small in-place helpers over generic object trees; "absent" means missing or JSON null, as a nil pointer upstream. */
final class Nodes {
    private Nodes() {
    }

    static boolean absent(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull();
    }

    /** Absent or the empty string: upstream's {@code == ""} check on string fields. */
    static boolean blank(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        return v == null || v.isNull() || (v.isString() && v.asString().isEmpty());
    }

    static String str(JsonNode o, String field) {
        JsonNode v = o == null ? null : o.get(field);
        return v != null && v.isString() ? v.asString() : "";
    }

    static void defaultStr(ObjectNode o, String field, String value) {
        if (blank(o, field)) {
            o.put(field, value);
        }
    }

    static void defaultInt(ObjectNode o, String field, long value) {
        if (absent(o, field)) {
            if (value >= Integer.MIN_VALUE && value <= Integer.MAX_VALUE) {
                o.put(field, (int) value);
            } else {
                o.put(field, value);
            }
        }
    }

    static void defaultBool(ObjectNode o, String field, boolean value) {
        if (absent(o, field)) {
            o.put(field, value);
        }
    }

    /** The object at {@code field}, or null when absent or not an object. */
    static ObjectNode obj(JsonNode o, String field) {
        JsonNode v = o == null ? null : o.get(field);
        return v instanceof ObjectNode on ? on : null;
    }

    /** The object at {@code field}, created when absent. */
    static ObjectNode ensureObj(ObjectNode o, String field) {
        JsonNode v = o.get(field);
        if (v instanceof ObjectNode on) {
            return on;
        }
        return o.putObject(field);
    }

    static List<ObjectNode> objs(JsonNode o, String field) {
        List<ObjectNode> out = new ArrayList<>();
        JsonNode v = o == null ? null : o.get(field);
        if (v instanceof ArrayNode a) {
            for (JsonNode e : a) {
                if (e instanceof ObjectNode on) {
                    out.add(on);
                }
            }
        }
        return out;
    }
}
