package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** The identity of the items of set and map lists: {@code v:} by value, {@code k:} by key fields. */
final class ListItems {

    private ListItems() {
    }

    /** The items of a list by identity, in order of first appearance; an identity may have several items. */
    record Indexed(List<PathElement> order, Map<PathElement, List<JsonNode>> items) {
        /** The first item with this identity, or null. */
        JsonNode get(PathElement pe) {
            List<JsonNode> l = items.get(pe);
            return l == null ? null : l.get(0);
        }

        List<JsonNode> all(PathElement pe) {
            return items.getOrDefault(pe, List.of());
        }

        boolean contains(PathElement pe) {
            return items.containsKey(pe);
        }

        boolean duplicated(PathElement pe) {
            return all(pe).size() > 1;
        }
    }

    /**
     * The path element of one item of a non-atomic list.
     *
     * @throws ApplyException when a map item is not an object or omits a key that has no default
     */
    static PathElement of(JsonNode item, ListTypes.ListType type) {
        if (type.kind() == ListTypes.ListType.Kind.SET) {
            return new PathElement.Value(item);
        }
        if (item == null || item.isNull()) {
            throw new ApplyException("associative list with keys may not have a null element");
        }
        if (!item.isObject()) {
            throw new ApplyException("associative list with keys may not have non-map elements");
        }
        ObjectNode key = JsonNodeFactory.instance.objectNode();
        for (String k : type.keys()) {
            JsonNode v = item.get(k);
            if (v == null) {
                v = type.keyDefaults().get(k);
            }
            if (v == null) {
                throw new ApplyException("associative list with keys has an element that omits key field \"" + k
                        + "\" (and doesn't have default value)");
            }
            key.set(k, v);
        }
        return new PathElement.Key(key);
    }

    /**
     * Indexes a list (null for none).
     *
     * @param allowDuplicates false to fail on two items with one identity, as an applied configuration must
     * @throws ApplyException when an item has no identity, or on a duplicate that is not allowed
     */
    static Indexed index(JsonNode list, ListTypes.ListType type, List<PathElement> path, boolean allowDuplicates) {
        List<PathElement> order = new ArrayList<>();
        Map<PathElement, List<JsonNode>> items = new LinkedHashMap<>();
        if (list != null && list.isArray()) {
            int i = 0;
            for (JsonNode item : list) {
                PathElement pe;
                try {
                    pe = of(item, type);
                } catch (ApplyException e) {
                    throw new ApplyException(FieldSet.format(path) + ": element " + i + ": " + e.getMessage());
                }
                List<JsonNode> same = items.get(pe);
                if (same == null) {
                    items.put(pe, new ArrayList<>(List.of(item)));
                    order.add(pe);
                } else if (!allowDuplicates) {
                    throw new ApplyException(FieldSet.format(path) + ": duplicate entries for key " + pe.display());
                } else {
                    same.add(item);
                }
                i++;
            }
        }
        return new Indexed(order, items);
    }
}
