package io.kube4j.api.patch;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** Computes a two-way strategic merge patch (upstream diffMaps with SetElementOrder on). */
final class StrategicDiffer {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final PatchSchema schema;
    private final String group;
    private final String kind;

    StrategicDiffer(PatchSchema schema, String group, String kind) {
        this.schema = schema;
        this.group = group;
        this.kind = kind;
    }

    ObjectNode diffMaps(ObjectNode original, ObjectNode modified, List<String> path, boolean buildRetainKeys) {
        ObjectNode patch = F.objectNode();
        List<String> retainKeys = new ArrayList<>();
        for (Map.Entry<String, JsonNode> e : modified.properties()) {
            String key = e.getKey();
            JsonNode modV = e.getValue();
            if (buildRetainKeys && !modV.isNull()) {
                retainKeys.add(key);
            }
            JsonNode origV = original.get(key);
            if (origV == null) {
                patch.set(key, modV.deepCopy());
                continue;
            }
            if (key.equals(StrategicMergePatch.DIRECTIVE)) {
                if (!JsonValues.same(origV, modV)) {
                    patch.set(key, modV.deepCopy());
                }
                continue;
            }
            if (!JsonValues.kind(origV).equals(JsonValues.kind(modV))) {
                patch.set(key, modV.deepCopy());
                continue;
            }
            List<String> sub = StrategicMergePatch.append(path, key);
            if (origV.isObject()) {
                PatchMeta m = schema.lookup(group, kind, sub);
                if (m.isReplace()) {
                    if (!JsonValues.same(origV, modV)) {
                        patch.set(key, modV.deepCopy());
                    }
                } else {
                    ObjectNode d = diffMaps((ObjectNode) origV, (ObjectNode) modV, sub, m.isRetainKeys());
                    if (!d.isEmpty()) {
                        patch.set(key, d);
                    }
                }
            } else if (origV.isArray()) {
                PatchMeta m = schema.lookup(group, kind, sub);
                if (m.isMerge()) {
                    diffLists(key, (ArrayNode) origV, (ArrayNode) modV, m, sub, patch);
                } else if (!JsonValues.same(origV, modV)) {
                    patch.set(key, modV.deepCopy());
                }
            } else if (!JsonValues.same(origV, modV)) {
                patch.set(key, modV.deepCopy());
            }
        }
        for (Map.Entry<String, JsonNode> e : original.properties()) {
            if (!modified.has(e.getKey())) {
                patch.putNull(e.getKey());
            }
        }
        if (!retainKeys.isEmpty() && (!patch.isEmpty() || hasFieldMissingFromModified(original, modified))) {
            retainKeys.sort(null);
            ArrayNode list = patch.putArray(StrategicMergePatch.RETAIN_KEYS);
            retainKeys.forEach(list::add);
        }
        return patch;
    }

    private static boolean hasFieldMissingFromModified(ObjectNode original, ObjectNode modified) {
        for (Map.Entry<String, JsonNode> e : original.properties()) {
            if (!e.getValue().isNull() && !modified.has(e.getKey())) {
                return true;
            }
        }
        return false;
    }

    private void diffLists(String key, ArrayNode original, ArrayNode modified, PatchMeta meta, List<String> path,
                           ObjectNode patch) {
        if (original.isEmpty()) {
            if (!modified.isEmpty()) {
                patch.set(key, modified.deepCopy());
            }
            return;
        }
        String mergeKey = meta.mergeKey();
        boolean maps = false;
        for (JsonNode v : original) {
            if (v.isArray()) {
                throw new PatchException(PatchException.Kind.NOT_APPLICABLE, "lists of lists are not supported");
            }
            maps = v.isObject();
        }
        ArrayNode patchList = F.arrayNode();
        ArrayNode setOrder = null;
        if (maps) {
            for (JsonNode v : original) {
                requireMergeKey(v, mergeKey);
            }
            for (JsonNode v : modified) {
                requireMergeKey(v, mergeKey);
            }
            Comparator<JsonNode> byKey = Comparator.comparing(n -> JsonValues.goString(n.get(mergeKey)));
            List<JsonNode> o = sorted(original, byKey);
            List<JsonNode> m = sorted(modified, byKey);
            List<JsonNode> changes = new ArrayList<>();
            List<JsonNode> deletions = new ArrayList<>();
            int i = 0;
            int j = 0;
            while (i < o.size() || j < m.size()) {
                int cmp = i >= o.size() ? 1 : j >= m.size() ? -1
                        : JsonValues.goString(o.get(i).get(mergeKey)).compareTo(JsonValues.goString(m.get(j).get(mergeKey)));
                if (cmp == 0) {
                    ObjectNode d = diffMaps((ObjectNode) o.get(i), (ObjectNode) m.get(j), path, meta.isRetainKeys());
                    if (!d.isEmpty()) {
                        d.set(mergeKey, m.get(j).get(mergeKey).deepCopy());
                        changes.add(d);
                    }
                    i++;
                    j++;
                } else if (cmp > 0) {
                    changes.add(m.get(j).deepCopy());
                    j++;
                } else {
                    ObjectNode del = F.objectNode();
                    del.put(StrategicMergePatch.DIRECTIVE, "delete");
                    del.set(mergeKey, o.get(i).get(mergeKey).deepCopy());
                    deletions.add(del);
                    i++;
                }
            }
            changes.sort(Comparator.comparingInt(c -> indexByKey(modified, c.get(mergeKey), mergeKey)));
            changes.forEach(patchList::add);
            deletions.forEach(patchList::add);
            if (!patchList.isEmpty() || !sameOrder(original, modified, mergeKey)) {
                setOrder = F.arrayNode();
                for (JsonNode v : modified) {
                    setOrder.addObject().set(mergeKey, v.get(mergeKey).deepCopy());
                }
            }
        } else {
            Set<String> inOriginal = new HashSet<>();
            original.forEach(v -> inOriginal.add(JsonValues.scalarKey(v)));
            Set<String> inModified = new HashSet<>();
            modified.forEach(v -> inModified.add(JsonValues.scalarKey(v)));
            Set<String> added = new HashSet<>();
            for (JsonNode v : modified) {
                if (!inOriginal.contains(JsonValues.scalarKey(v)) && added.add(JsonValues.scalarKey(v))) {
                    patchList.add(v.deepCopy());
                }
            }
            List<JsonNode> deletions = new ArrayList<>();
            Set<String> deleted = new HashSet<>();
            for (JsonNode v : original) {
                if (!inModified.contains(JsonValues.scalarKey(v)) && deleted.add(JsonValues.scalarKey(v))) {
                    deletions.add(v.deepCopy());
                }
            }
            deletions.sort(Comparator.comparing(JsonValues::goString));
            if (!deletions.isEmpty()) {
                ArrayNode del = patch.putArray(StrategicMergePatch.DELETE_PRIMITIVE_PREFIX + "/" + key);
                deletions.forEach(del::add);
            }
            if (!deletions.isEmpty() || !JsonValues.same(original, modified)) {
                setOrder = modified.deepCopy();
            }
        }
        if (!patchList.isEmpty()) {
            patch.set(key, patchList);
        }
        if (setOrder != null && !setOrder.isEmpty()) {
            patch.set(StrategicMergePatch.SET_ORDER_PREFIX + "/" + key, setOrder);
        }
    }

    private static void requireMergeKey(JsonNode v, String mergeKey) {
        if (!v.isObject()) {
            throw StrategicMergePatch.badArgType("map[string]interface {}", v);
        }
        if (v.get(mergeKey) == null) {
            throw StrategicMergePatch.noMergeKey(v, mergeKey);
        }
    }

    private static List<JsonNode> sorted(ArrayNode list, Comparator<JsonNode> order) {
        List<JsonNode> out = new ArrayList<>();
        list.forEach(out::add);
        out.sort(order);
        return out;
    }

    private static int indexByKey(ArrayNode list, JsonNode value, String mergeKey) {
        for (int i = 0; i < list.size(); i++) {
            if (JsonValues.same(list.get(i).get(mergeKey), value)) {
                return i;
            }
        }
        return Integer.MAX_VALUE;
    }

    private static boolean sameOrder(ArrayNode original, ArrayNode modified, String mergeKey) {
        if (original.size() != modified.size()) {
            return false;
        }
        for (int i = 0; i < original.size(); i++) {
            if (!JsonValues.same(original.get(i).get(mergeKey), modified.get(i).get(mergeKey))) {
                return false;
            }
        }
        return true;
    }
}
