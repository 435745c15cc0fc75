package io.kube4j.api.openapi;

import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Pieces both document formats write the same way. */
final class Responses {

    private Responses() {
    }

    static String describe(String code) {
        return switch (code) {
            case "200" -> "OK";
            case "201" -> "Created";
            case "202" -> "Accepted";
            case "401" -> "Unauthorized";
            default -> code;
        };
    }

    /** An operation's {@code x-kubernetes-group-version-kind}: one object (schemas carry an array). */
    static ObjectNode gvk(Operation.Kind kind) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("group", kind.group());
        node.put("kind", kind.kind());
        node.put("version", kind.version());
        return node;
    }
}
