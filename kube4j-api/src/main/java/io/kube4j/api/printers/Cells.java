package io.kube4j.api.printers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reading and formatting cell values from generic object trees, the way upstream's printers format them. */
final class Cells {
    private Cells() {
    }

    static JsonNode at(JsonNode n, String... path) {
        JsonNode cur = n;
        for (String p : path) {
            if (cur == null) {
                return null;
            }
            cur = cur.get(p);
        }
        return cur == null || cur.isNull() ? null : cur;
    }

    static String str(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        if (v == null) {
            return "";
        }
        return v.isString() ? v.asString() : v.isValueNode() ? v.asString() : "";
    }

    static long num(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v != null && v.isNumber() ? v.asLong() : 0L;
    }

    static boolean has(JsonNode n, String... path) {
        return at(n, path) != null;
    }

    static boolean bool(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v != null && v.isBoolean() && v.asBoolean();
    }

    static List<JsonNode> list(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        List<JsonNode> out = new ArrayList<>();
        if (v != null && v.isArray()) {
            v.forEach(out::add);
        }
        return out;
    }

    static int size(JsonNode n, String... path) {
        JsonNode v = at(n, path);
        return v == null ? 0 : v.size();
    }

    static String name(ObjectNode obj) {
        return str(obj, "metadata", "name");
    }

    static String age(ObjectNode obj, Instant now) {
        return HumanDuration.since(str(obj, "metadata", "creationTimestamp"), now);
    }

    static boolean deleting(ObjectNode obj) {
        return has(obj, "metadata", "deletionTimestamp");
    }

    /** A quantity or int-or-string as upstream prints it (as given). */
    static String scalar(JsonNode v) {
        if (v == null || v.isNull()) {
            return "";
        }
        return v.isString() ? v.asString() : v.toString();
    }

    /** {@code labels.FormatLabels}: sorted {@code k=v} pairs, or {@code <none>}. */
    static String formatLabels(JsonNode map) {
        if (map == null || !map.isObject() || map.isEmpty()) {
            return "<none>";
        }
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            sorted.put(e.getKey(), scalar(e.getValue()));
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : sorted.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** {@code metav1.FormatLabelSelector}: the selector string, or {@code <none>} when it selects everything or nothing. */
    static String formatLabelSelector(JsonNode selector) {
        String s = selectorString(selector);
        return s.isEmpty() ? "<none>" : s;
    }

    /** The string of {@code LabelSelectorAsSelector(sel)}: requirements sorted by key. */
    static String selectorString(JsonNode selector) {
        if (selector == null || !selector.isObject()) {
            return "";
        }
        List<String[]> reqs = new ArrayList<>();
        JsonNode ml = selector.get("matchLabels");
        if (ml != null && ml.isObject()) {
            for (Map.Entry<String, JsonNode> e : ml.properties()) {
                reqs.add(new String[] {e.getKey(), e.getKey() + "=" + scalar(e.getValue())});
            }
        }
        for (JsonNode expr : list(selector, "matchExpressions")) {
            String key = str(expr, "key");
            List<String> values = new ArrayList<>();
            for (JsonNode v : list(expr, "values")) {
                values.add(scalar(v));
            }
            values.sort(null);
            String op = str(expr, "operator");
            String text = switch (op) {
                case "In" -> key + " in (" + String.join(",", values) + ")";
                case "NotIn" -> key + " notin (" + String.join(",", values) + ")";
                case "Exists" -> key;
                case "DoesNotExist" -> "!" + key;
                default -> key;
            };
            reqs.add(new String[] {key, text});
        }
        reqs.sort((a, b) -> a[0].compareTo(b[0]));
        List<String> parts = new ArrayList<>();
        for (String[] r : reqs) {
            parts.add(r[1]);
        }
        return String.join(",", parts);
    }

    /** Upstream's {@code layoutContainerCells}: comma-joined names and images. */
    static String[] containerCells(JsonNode podSpec) {
        List<String> names = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (JsonNode c : list(podSpec, "containers")) {
            names.add(str(c, "name"));
            images.add(str(c, "image"));
        }
        return new String[] {String.join(",", names), String.join(",", images)};
    }

    /** {@code helper.GetAccessModesAsString}: RWO,ROX,RWX,RWOP in that order, each once. */
    static String accessModes(JsonNode modes) {
        List<String> present = new ArrayList<>();
        if (modes != null && modes.isArray()) {
            modes.forEach(m -> present.add(m.asString()));
        }
        List<String> out = new ArrayList<>();
        if (present.contains("ReadWriteOnce")) {
            out.add("RWO");
        }
        if (present.contains("ReadOnlyMany")) {
            out.add("ROX");
        }
        if (present.contains("ReadWriteMany")) {
            out.add("RWX");
        }
        if (present.contains("ReadWriteOncePod")) {
            out.add("RWOP");
        }
        return String.join(",", out);
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? "<none>" : s;
    }
}
