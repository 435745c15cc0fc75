package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Computes the set of fields an object sets (structured-merge-diff's ToFieldSet). */
public final class ApplyFieldSets {

    /** Fields the server owns; upstream strips them from every managed field set (stripMeta). */
    static final FieldSet SERVER_OWNED = serverOwned();

    private ApplyFieldSets() {
    }

    private static FieldSet serverOwned() {
        FieldSet s = new FieldSet();
        s.insert(new PathElement.Field("apiVersion"));
        s.insert(new PathElement.Field("kind"));
        s.insert(new PathElement.Field("metadata"));
        for (String f : List.of("name", "namespace", "creationTimestamp", "selfLink", "uid", "clusterName",
                "generation", "managedFields", "resourceVersion")) {
            s.insert(new PathElement.Field("metadata"), new PathElement.Field(f));
        }
        return s;
    }

    /**
     * The fields {@code object} sets: every leaf, every item of a map-type list (as {@code k:{...}} with
     * {@code "."}), every item of a set (as {@code v:...}), atomic lists and objects whole; without the fields the
     * server owns. Empty objects and empty non-atomic lists set nothing, as upstream.
     *
     * @throws ApplyException when a list item has no key, or two items share one
     */
    public static FieldSet of(JsonNode object, ListTypes listTypes) {
        return toFieldSet(object, listTypes).difference(SERVER_OWNED);
    }

    /** Every field of {@code object}, the server-owned ones included. */
    static FieldSet toFieldSet(JsonNode object, ListTypes types) {
        FieldSet set = new FieldSet();
        if (object != null && object.isObject()) {
            walkFields(object, List.of(), List.of(), set, types);
        }
        return set;
    }

    private static void walkFields(JsonNode object, List<String> fieldPath, List<PathElement> path, FieldSet set,
                                   ListTypes types) {
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            walk(e.getValue(), append(fieldPath, e.getKey()), append(path, new PathElement.Field(e.getKey())), set,
                    types);
        }
    }

    private static void walk(JsonNode value, List<String> fieldPath, List<PathElement> path, FieldSet set,
                             ListTypes types) {
        if (value.isObject()) {
            // As upstream, an empty (non-atomic) object sets nothing, like an empty non-atomic list.
            if (types.isAtomicObject(fieldPath)) {
                set.insert(path);
            } else {
                walkFields(value, fieldPath, path, set, types);
            }
            return;
        }
        if (value.isArray()) {
            ListTypes.ListType type = types.listType(fieldPath);
            if (type.kind() == ListTypes.ListType.Kind.ATOMIC) {
                set.insert(path);
                return;
            }
            ListItems.Indexed items = ListItems.index(value, type, path, false);
            boolean atomicItems = types.isAtomicObject(fieldPath);
            for (PathElement pe : items.order()) {
                List<PathElement> itemPath = append(path, pe);
                set.insert(itemPath);
                JsonNode item = items.get(pe);
                if (type.kind() == ListTypes.ListType.Kind.MAP && !atomicItems) {
                    walkFields(item, fieldPath, itemPath, set, types);
                }
            }
            return;
        }
        set.insert(path);
    }

    static <T> List<T> append(List<T> list, T item) {
        List<T> out = new ArrayList<>(list.size() + 1);
        out.addAll(list);
        out.add(item);
        return out;
    }
}
