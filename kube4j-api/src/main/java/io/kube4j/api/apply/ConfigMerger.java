package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Merges an applied configuration into a live object as structured-merge-diff's Merge does: the configuration's
 * leaves win, objects merge field by field, map lists merge item by item on their keys, set lists take the union,
 * atomic lists and objects are replaced whole. Item order follows the configuration for the items it names and
 * keeps the live position of the others.
 */
final class ConfigMerger {

    private ConfigMerger() {
    }

    /** A new object; neither input is modified. */
    static ObjectNode merge(ObjectNode live, ObjectNode config, ListTypes types) {
        JsonNode out = value(live, config, List.of(), List.of(), types);
        return (ObjectNode) out;
    }

    private static JsonNode value(JsonNode l, JsonNode r, List<String> fieldPath, List<PathElement> path,
                                  ListTypes types) {
        if (r == null) {
            return l == null ? null : l.deepCopy();
        }
        if (l == null) {
            return r.deepCopy();
        }
        if (l.isObject() && r.isObject() && !types.isAtomicObject(fieldPath)) {
            return fields((ObjectNode) l, (ObjectNode) r, fieldPath, path, types);
        }
        if (l.isArray() && r.isArray()) {
            ListTypes.ListType type = types.listType(fieldPath);
            if (type.kind() != ListTypes.ListType.Kind.ATOMIC) {
                return items(l, r, type, fieldPath, path, types);
            }
        }
        return r.deepCopy();
    }

    private static ObjectNode fields(ObjectNode l, ObjectNode r, List<String> fieldPath, List<PathElement> path,
                                     ListTypes types) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : l.properties()) {
            String name = e.getKey();
            out.set(name, value(e.getValue(), r.get(name), ApplyFieldSets.append(fieldPath, name),
                    ApplyFieldSets.append(path, new PathElement.Field(name)), types));
        }
        for (Map.Entry<String, JsonNode> e : r.properties()) {
            if (!l.has(e.getKey())) {
                out.set(e.getKey(), e.getValue().deepCopy());
            }
        }
        return out;
    }

    /**
     * Upstream's ordering walk: both lists are read in step; an item only the live list has stays where it is; items
     * both have are emitted in the configuration's order, each merged with its live version.
     */
    private static ArrayNode items(JsonNode l, JsonNode r, ListTypes.ListType type, List<String> fieldPath,
                                   List<PathElement> path, ListTypes types) {
        ListItems.Indexed li = ListItems.index(l, type, path, true);
        ListItems.Indexed ri = ListItems.index(r, type, path, false);
        List<PathElement> lhs = peList(l, type);
        List<PathElement> rhs = ri.order();
        List<PathElement> shared = new ArrayList<>();
        for (PathElement pe : rhs) {
            if (li.contains(pe)) {
                shared.add(pe);
            }
        }
        int next = 0;
        Set<PathElement> merged = new HashSet<>();
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        int lI = 0;
        int rI = 0;
        while (lI < lhs.size() || rI < rhs.size()) {
            PathElement nextShared = next < shared.size() ? shared.get(next) : null;
            if (lI < lhs.size() && rI < rhs.size()) {
                PathElement pe = lhs.get(lI);
                if (pe.equals(rhs.get(rI))) {
                    merged.add(pe);
                    out.add(item(li.duplicated(pe) ? null : li.get(pe), ri.get(pe), type, fieldPath, path, pe,
                            types));
                    lI++;
                    rI++;
                    next++;
                    continue;
                }
                if (ri.contains(pe) && nextShared != null && !nextShared.equals(pe)) {
                    lI++;
                    continue;
                }
            }
            if (lI < lhs.size()) {
                PathElement pe = lhs.get(lI);
                if (!ri.contains(pe)) {
                    out.add(l.get(lI).deepCopy());
                    lI++;
                    continue;
                }
                if (merged.contains(pe)) {
                    lI++;
                    continue;
                }
            }
            if (rI < rhs.size()) {
                PathElement pe = rhs.get(rI);
                merged.add(pe);
                out.add(item(li.duplicated(pe) ? null : li.get(pe), ri.get(pe), type, fieldPath, path, pe, types));
                rI++;
                if (pe.equals(nextShared)) {
                    next++;
                }
            }
        }
        return out;
    }

    private static List<PathElement> peList(JsonNode list, ListTypes.ListType type) {
        List<PathElement> out = new ArrayList<>();
        for (JsonNode item : list) {
            out.add(ListItems.of(item, type));
        }
        return out;
    }

    private static JsonNode item(JsonNode l, JsonNode r, ListTypes.ListType type, List<String> fieldPath,
                                 List<PathElement> path, PathElement pe, ListTypes types) {
        if (type.kind() == ListTypes.ListType.Kind.SET) {
            return r.deepCopy();
        }
        return value(l, r, fieldPath, ApplyFieldSets.append(path, pe), types);
    }
}
