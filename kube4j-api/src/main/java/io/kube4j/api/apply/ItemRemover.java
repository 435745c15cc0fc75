package io.kube4j.api.apply;

import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Removes the members of a field set from an object (structured-merge-diff's RemoveItems): a member field or list
 * item goes with everything below it. An object or list left empty by a removal goes too, as a Go object would drop
 * the empty map or slice when serialised.
 */
final class ItemRemover {

    private ItemRemover() {
    }

    /** A new object; {@code object} is not modified. */
    static ObjectNode remove(ObjectNode object, FieldSet toRemove, ListTypes types) {
        ObjectNode out = fields(object, toRemove, List.of(), types);
        return out == null ? JsonNodeFactory.instance.objectNode() : out;
    }

    private static ObjectNode fields(JsonNode object, FieldSet set, List<String> fieldPath, ListTypes types) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            PathElement pe = new PathElement.Field(e.getKey());
            if (set.hasMember(pe)) {
                continue;
            }
            FieldSet below = set.child(pe);
            if (below.isEmpty()) {
                out.set(e.getKey(), e.getValue().deepCopy());
                continue;
            }
            JsonNode v = value(e.getValue(), below, ApplyFieldSets.append(fieldPath, e.getKey()), types);
            if (v != null) {
                out.set(e.getKey(), v);
            }
        }
        return out.isEmpty() ? null : out;
    }

    private static JsonNode value(JsonNode v, FieldSet set, List<String> fieldPath, ListTypes types) {
        if (v.isObject() && !v.isEmpty() && !types.isAtomicObject(fieldPath)) {
            return fields(v, set, fieldPath, types);
        }
        if (v.isArray() && !v.isEmpty()) {
            ListTypes.ListType type = types.listType(fieldPath);
            if (type.kind() == ListTypes.ListType.Kind.ATOMIC) {
                return v.deepCopy();
            }
            boolean atomicItems = type.kind() == ListTypes.ListType.Kind.SET || types.isAtomicObject(fieldPath);
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (JsonNode item : v) {
                PathElement pe = ListItems.of(item, type);
                if (set.hasMember(pe)) {
                    continue;
                }
                FieldSet below = set.child(pe);
                if (below.isEmpty() || atomicItems) {
                    out.add(item.deepCopy());
                } else {
                    JsonNode kept = fields(item, below, fieldPath, types);
                    out.add(kept == null ? JsonNodeFactory.instance.objectNode() : kept);
                }
            }
            return out.isEmpty() ? null : out;
        }
        return v.deepCopy();
    }
}
