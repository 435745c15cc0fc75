package io.kube4j.apiserver.registry;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Reads a dotted field path such as {@code spec.nodeName} from an object, for field selectors. */
public final class FieldPaths {

    private FieldPaths() {
    }

    public static String value(ObjectNode obj, String path) {
        JsonNode current = obj;
        for (String step : path.split("\\.")) {
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
