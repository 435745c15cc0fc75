package io.kube4j.api.patch;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** RFC 7386 JSON Merge Patch ({@code application/merge-patch+json}). */
public final class MergePatch {

    private MergePatch() {
    }

    /**
     * Applies {@code patch} to a copy of {@code target}: members set to null are removed, objects merge recursively,
     * anything else (arrays included) replaces. A patch that is not an object replaces the whole document.
     *
     * @throws PatchException MALFORMED (400) when the patch is null, as upstream ("Invalid JSON Patch")
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || patch.isNull() || patch.isMissingNode()) {
            throw new PatchException(PatchException.Kind.MALFORMED, "Invalid JSON Patch");
        }
        return merge(target, patch);
    }

    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : patch.properties()) {
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }

    /**
     * The merge patch that turns {@code original} into {@code modified} (both objects): removed members become null,
     * changed objects are diffed recursively, any other change is sent whole. Empty when they are equal.
     */
    public static ObjectNode create(JsonNode original, JsonNode modified) {
        if (original == null || !original.isObject() || modified == null || !modified.isObject()) {
            throw new PatchException(PatchException.Kind.MALFORMED, "Invalid JSON Document");
        }
        return diff((ObjectNode) original, (ObjectNode) modified);
    }

    private static ObjectNode diff(ObjectNode original, ObjectNode modified) {
        ObjectNode patch = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : original.properties()) {
            if (!modified.has(e.getKey())) {
                patch.putNull(e.getKey());
            }
        }
        for (Map.Entry<String, JsonNode> e : modified.properties()) {
            JsonNode before = original.get(e.getKey());
            JsonNode after = e.getValue();
            if (before == null) {
                patch.set(e.getKey(), after.deepCopy());
            } else if (before.isObject() && after.isObject()) {
                ObjectNode sub = diff((ObjectNode) before, (ObjectNode) after);
                if (!sub.isEmpty()) {
                    patch.set(e.getKey(), sub);
                }
            } else if (!JsonValues.same(before, after)) {
                patch.set(e.getKey(), after.deepCopy());
            }
        }
        return patch;
    }
}
