package io.kube4j.apiserver.crd;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

/**
 * The simple JSON paths CRDs use for printer columns and scale ({@code .spec.replicas},
 * {@code .status.conditions[0].type}, {@code .metadata.labels['app']}): dotted fields and array indexes.
 */
public final class SimpleJsonPath {

    private SimpleJsonPath() {
    }

    public static boolean isValid(String path) {
        return parse(path) != null;
    }

    /** The value at {@code path}, or a missing node. */
    public static JsonNode get(JsonNode root, String path) {
        List<Object> steps = parse(path);
        JsonNode node = root;
        if (steps == null) {
            return tools.jackson.databind.node.MissingNode.getInstance();
        }
        for (Object step : steps) {
            node = step instanceof Integer i ? node.path(i) : node.path((String) step);
        }
        return node;
    }

    /** Sets the value at a path of fields (no indexes), creating objects on the way. */
    public static void set(ObjectNode root, String path, JsonNode value) {
        List<Object> steps = parse(path);
        if (steps == null || steps.isEmpty()) {
            return;
        }
        ObjectNode node = root;
        for (int i = 0; i < steps.size() - 1; i++) {
            String field = (String) steps.get(i);
            if (!(node.get(field) instanceof ObjectNode)) {
                node.putObject(field);
            }
            node = (ObjectNode) node.get(field);
        }
        node.set((String) steps.get(steps.size() - 1), value);
    }

    private static List<Object> parse(String path) {
        String p = path.trim();
        if (p.startsWith("{") && p.endsWith("}")) {
            p = p.substring(1, p.length() - 1);
        }
        if (!p.startsWith(".")) {
            return null;
        }
        List<Object> steps = new ArrayList<>();
        int i = 0;
        while (i < p.length()) {
            char c = p.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < p.length() && p.charAt(end) != '.' && p.charAt(end) != '[') {
                    end++;
                }
                if (end == i + 1) {
                    return null;
                }
                steps.add(p.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = p.indexOf(']', i);
                if (end < 0) {
                    return null;
                }
                String inside = p.substring(i + 1, end).trim();
                if (inside.matches("\\d+")) {
                    steps.add(Integer.parseInt(inside));
                } else if (inside.length() >= 2 && (inside.startsWith("'") && inside.endsWith("'")
                        || inside.startsWith("\"") && inside.endsWith("\""))) {
                    steps.add(inside.substring(1, inside.length() - 1));
                } else {
                    return null;
                }
                i = end + 1;
            } else {
                return null;
            }
        }
        return steps;
    }
}
