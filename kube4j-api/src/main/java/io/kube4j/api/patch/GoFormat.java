package io.kube4j.api.patch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Prints decoded JSON the way Go's fmt %v prints it, so that error messages read like upstream's. */
public final class GoFormat {

    private GoFormat() {
    }

    public static String of(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return "<nil>";
        }
        if (n.isObject()) {
            List<String> keys = new ArrayList<>();
            for (Map.Entry<String, JsonNode> e : n.properties()) {
                keys.add(e.getKey());
            }
            keys.sort(null);
            List<String> parts = new ArrayList<>();
            for (String k : keys) {
                parts.add(k + ":" + of(n.get(k)));
            }
            return "map[" + String.join(" ", parts) + "]";
        }
        if (n.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode e : n) {
                parts.add(of(e));
            }
            return "[" + String.join(" ", parts) + "]";
        }
        return JsonValues.goString(n);
    }

    /** The Go type name of a decoded JSON value, as reflect prints it. */
    static String typeName(JsonNode n) {
        return switch (JsonValues.kind(n)) {
            case "map" -> "map[string]interface {}";
            case "slice" -> "[]interface {}";
            case "nil" -> "<nil>";
            default -> JsonValues.kind(n);
        };
    }
}
