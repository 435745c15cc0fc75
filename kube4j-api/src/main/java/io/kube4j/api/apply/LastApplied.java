package io.kube4j.api.apply;

import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Client-side apply's {@code kubectl.kubernetes.io/last-applied-configuration} annotation, which server-side apply
 * honours so that kubectl users can move between the two (upstream's lastAppliedManager and lastAppliedUpdater).
 */
final class LastApplied {

    static final String ANNOTATION = "kubectl.kubernetes.io/last-applied-configuration";
    /** Upstream's limit on the total size of an object's annotations. */
    static final int MAX_ANNOTATIONS_BYTES = 256 * 1024;
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private LastApplied() {
    }

    static String of(JsonNode object) {
        JsonNode v = object == null ? null : object.path("metadata").path("annotations").get(ANNOTATION);
        return v == null || !v.isString() || v.asString().isEmpty() ? null : v.asString();
    }

    /**
     * The fields of the live object that client-side apply set and still hold the value it set: a kubectl
     * server-side apply may take these over from their owners without conflict. Null when there is no annotation or
     * it cannot be read.
     */
    static FieldSet allowedConflicts(ObjectNode live, ListTypes types) {
        String text = of(live);
        if (text == null) {
            return null;
        }
        try {
            JsonNode lastApplied = MAPPER.readTree(text);
            if (!lastApplied.isObject()) {
                return null;
            }
            FieldSet set = ApplyFieldSets.toFieldSet(lastApplied, types);
            Comparison cmp = Comparison.of(lastApplied, live, types);
            return set.difference(cmp.modified()).difference(cmp.added()).difference(cmp.removed());
        } catch (RuntimeException e) {
            return null;
        }
    }

    /**
     * Rewrites the annotation from the applied configuration when the object has one, so that a later client-side
     * apply starts from what was applied last; dropped when annotations would grow past their limit.
     */
    static void update(ObjectNode object, ObjectNode applied) {
        if (of(object) == null) {
            return;
        }
        ObjectNode config = applied.deepCopy();
        if (config.path("metadata").path("annotations") instanceof ObjectNode a) {
            a.remove(ANNOTATION);
        }
        String value = io.kube4j.api.patch.GoJson.sortedKeys(config) + "\n";
        ObjectNode annotations = (ObjectNode) object.path("metadata").path("annotations");
        annotations.put(ANNOTATION, value);
        long size = 0;
        for (Map.Entry<String, JsonNode> e : annotations.properties()) {
            size += utf8Length(e.getKey()) + utf8Length(e.getValue().asString(""));
        }
        if (size > MAX_ANNOTATIONS_BYTES) {
            annotations.remove(ANNOTATION);
        }
    }

    private static long utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

}
