package io.kube4j.apiserver.registry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Reads a dotted field path such as {@code spec.nodeName} from an object, for field selectors. */
public final class FieldPaths {
    /**
     * Each path split once: the watch cache reads every selectable field of every object written, and splitting the
     * dotted names again on each read (a list and a string per step) was most of what that cost. The paths are the
     * strategies' selectable fields (a field selector is checked against them first); the bound only keeps a caller
     * that passes arbitrary paths from growing the map.
     */
    private static final Map<String, String[]> STEPS = new ConcurrentHashMap<>();
    private static final int MAX_CACHED_PATHS = 1024;

    private FieldPaths() {
    }

    /** The value at {@code path}; null through a missing or non-object step, and for a null or container value. */
    public static String value(ObjectNode obj, String path) {
        String[] steps = STEPS.get(path);
        if (steps == null) {
            steps = path.split("\\.");
            if (STEPS.size() < MAX_CACHED_PATHS) {
                STEPS.put(path, steps);
            }
        }
        JsonNode current = obj;
        for (String step : steps) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(step);
        }
        if (current == null || current.isNull() || current.isContainer()) {
            return null;
        }
        return current.asString();
    }
}
