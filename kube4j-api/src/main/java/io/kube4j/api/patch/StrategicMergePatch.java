package io.kube4j.api.patch;

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
 * Strategic merge patch ({@code application/strategic-merge-patch+json}) as upstream
 * k8s.io/apimachinery/pkg/util/strategicpatch applies it on the server: lists whose field has the "merge" strategy
 * merge by their merge key (or as a set of primitives), other lists replace, maps merge recursively, and the
 * directives {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/<field>} and
 * {@code $deleteFromPrimitiveList/<field>} are honoured.
 */
public final class StrategicMergePatch {

    /** Upstream's message for a strategic merge patch of a kind without a Go type (custom resources), sent with 415. */
    public static final String UNSUPPORTED_MESSAGE = "the body of the request was in an unknown format - accepted "
            + "media types include: application/json-patch+json, application/merge-patch+json, "
            + "application/apply-patch+yaml";

    private StrategicMergePatch() {
    }

    /**
     * Applies {@code patch} to a copy of {@code target}, taking the kind from the target's apiVersion and kind.
     *
     * @throws PatchException UNSUPPORTED (415) for a kind the schema does not know, MALFORMED (400) for a malformed
     *                        patch or directive, NOT_APPLICABLE (422) when the patch does not fit the object
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema) {
        String apiVersion = target.path("apiVersion").asString("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return apply(target, patch, schema, group, target.path("kind").asString(""));
    }

    /** As {@link #apply(JsonNode, JsonNode, PatchSchema)} for an explicit group ("" for core) and kind. */
    public static JsonNode apply(JsonNode target, JsonNode patch, PatchSchema schema, String group, String kind) {
        if (!schema.supports(group, kind)) {
            throw new PatchException(PatchException.Kind.UNSUPPORTED, UNSUPPORTED_MESSAGE);
        }
        if (patch == null || !patch.isObject()) {
            throw new PatchException(PatchException.Kind.MALFORMED, "invalid JSON document");
        }
        ObjectNode original = target != null && target.isObject()
                ? ((ObjectNode) target).deepCopy()
                : JsonNodeFactory.instance.objectNode();
        return new StrategicMerger(schema, group, kind).mergeMap(original, ((ObjectNode) patch).deepCopy(), List.of());
    }

    /**
     * The strategic merge patch that turns {@code original} into {@code modified} (upstream CreateTwoWayMergePatch),
     * with {@code $setElementOrder} lists, deletion directives and {@code $retainKeys} where the schema asks for them.
     */
    public static ObjectNode createTwoWay(JsonNode original, JsonNode modified, PatchSchema schema) {
        JsonNode typed = modified.has("kind") ? modified : original;
        String apiVersion = typed.path("apiVersion").asString("");
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        return createTwoWay(original, modified, schema, group, typed.path("kind").asString(""));
    }

    /** As {@link #createTwoWay(JsonNode, JsonNode, PatchSchema)} for an explicit group and kind. */
    public static ObjectNode createTwoWay(JsonNode original, JsonNode modified, PatchSchema schema, String group,
                                          String kind) {
        if (original == null || !original.isObject() || modified == null || !modified.isObject()) {
            throw new PatchException(PatchException.Kind.MALFORMED, "invalid JSON document");
        }
        return new StrategicDiffer(schema, group, kind).diffMaps((ObjectNode) original, (ObjectNode) modified,
                List.of(), false);
    }

    static final String DIRECTIVE = "$patch";
    static final String RETAIN_KEYS = "$retainKeys";
    static final String DELETE_PRIMITIVE_PREFIX = "$deleteFromPrimitiveList";
    static final String SET_ORDER_PREFIX = "$setElementOrder";

    static List<String> append(List<String> path, String key) {
        List<String> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(key);
        return p;
    }

    /** The merge logic, bound to one kind of one schema. */
    private static final class StrategicMerger {
        private final PatchSchema schema;
        private final String group;
        private final String kind;

        StrategicMerger(PatchSchema schema, String group, String kind) {
            this.schema = schema;
            this.group = group;
            this.kind = kind;
        }

        private PatchMeta meta(List<String> path) {
            return schema.lookup(group, kind, path);
        }

        ObjectNode mergeMap(ObjectNode original, ObjectNode patch, List<String> path) {
            JsonNode directive = patch.get(DIRECTIVE);
            if (directive != null) {
                if (directive.isString() && directive.asString().equals("replace")) {
                    patch.remove(DIRECTIVE);
                    return patch;
                }
                if (directive.isString() && directive.asString().equals("delete")) {
                    return JsonNodeFactory.instance.objectNode();
                }
                throw badPatchType(directive, patch);
            }
            applyRetainKeys(original, patch);
            mergeSetElementOrder(original, patch, path);

            for (Map.Entry<String, JsonNode> e : new ArrayList<>(patch.properties())) {
                String k = e.getKey();
                JsonNode patchV = e.getValue();
                boolean isDeleteList = false;
                if (k.startsWith(DELETE_PRIMITIVE_PREFIX)) {
                    k = extractKey(k, DELETE_PRIMITIVE_PREFIX);
                    isDeleteList = true;
                }
                if (patchV.isNull()) {
                    original.remove(k);
                    continue;
                }
                JsonNode origV = original.get(k);
                if (origV == null || origV.isNull() || !JsonValues.kind(origV).equals(JsonValues.kind(patchV))) {
                    if (!isDeleteList) {
                        setOrRemove(original, k, Directives.clean(patchV));
                    }
                    continue;
                }
                List<String> sub = append(path, k);
                if (origV.isObject()) {
                    PatchMeta m = meta(sub);
                    original.set(k, m.isReplace() ? patchV : mergeMap((ObjectNode) origV, (ObjectNode) patchV, sub));
                } else if (origV.isArray()) {
                    PatchMeta m = meta(sub);
                    if (m.isMerge()) {
                        original.set(k, mergeSlice((ArrayNode) origV, (ArrayNode) patchV, m.mergeKey(), isDeleteList,
                                sub));
                    } else if (!isDeleteList) {
                        original.set(k, patchV);
                    }
                } else {
                    original.set(k, patchV);
                }
            }
            return original;
        }

        private static void setOrRemove(ObjectNode node, String key, JsonNode value) {
            if (value == null) {
                node.remove(key);
            } else {
                node.set(key, value);
            }
        }

        // Drops the fields of original not listed in $retainKeys; every field the patch sets must be listed.
        private void applyRetainKeys(ObjectNode original, ObjectNode patch) {
            JsonNode retain = patch.remove(RETAIN_KEYS);
            if (retain == null) {
                return;
            }
            if (!retain.isArray()) {
                throw new PatchException(PatchException.Kind.MALFORMED, "invalid patch format of retainKeys");
            }
            Set<String> keep = new HashSet<>();
            for (JsonNode k : retain) {
                if (k.isString()) {
                    keep.add(k.asString());
                }
            }
            for (Map.Entry<String, JsonNode> e : patch.properties()) {
                String k = e.getKey();
                if (e.getValue().isNull() || k.startsWith(DELETE_PRIMITIVE_PREFIX) || k.startsWith(SET_ORDER_PREFIX)) {
                    continue;
                }
                if (!keep.contains(k)) {
                    throw new PatchException(PatchException.Kind.MALFORMED, "invalid patch format of retainKeys");
                }
            }
            List<String> names = new ArrayList<>();
            original.propertyNames().forEach(names::add);
            for (String k : names) {
                if (!keep.contains(k)) {
                    original.remove(k);
                }
            }
        }

        // Processes each $setElementOrder/<field> together with the patch's <field> list, and orders the result
        // as the directive says (precedence: $setElementOrder, then the patch's order, then the live order).
        private void mergeSetElementOrder(ObjectNode original, ObjectNode patch, List<String> path) {
            List<String> keys = new ArrayList<>();
            patch.propertyNames().forEach(k -> {
                if (k.startsWith(SET_ORDER_PREFIX)) {
                    keys.add(k);
                }
            });
            for (String key : keys) {
                JsonNode order = patch.remove(key);
                if (!order.isArray()) {
                    throw badArgType("[]interface {}", order);
                }
                String field = extractKey(key, SET_ORDER_PREFIX);
                JsonNode origList = original.get(field);
                JsonNode patchList = patch.get(field);
                if (origList != null && !origList.isArray()) {
                    throw badArgType("[]interface {}", origList);
                }
                if (patchList != null && !patchList.isArray()) {
                    throw badArgType("[]interface {}", patchList);
                }
                List<String> sub = append(path, field);
                PatchMeta m = meta(sub);
                String mergeKey = m.mergeKey();
                validateAgainstOrder((ArrayNode) patchList, (ArrayNode) order, mergeKey);

                ArrayNode merged;
                if (origList != null && patchList == null) {
                    merged = (ArrayNode) origList;
                } else if (origList == null && patchList != null) {
                    merged = (ArrayNode) Directives.clean(patchList);
                } else if (origList != null) {
                    merged = m.isMerge()
                            ? mergeSlice(((ArrayNode) origList).deepCopy(), (ArrayNode) patchList, mergeKey, false, sub)
                            : (ArrayNode) patchList;
                } else {
                    continue;
                }
                ArrayNode serverOrder = origList == null ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) origList;
                List<JsonNode> patchItems = new ArrayList<>();
                List<JsonNode> serverOnly = new ArrayList<>();
                for (JsonNode item : merged) {
                    if (indexOf(order, item, mergeKey) >= 0) {
                        patchItems.add(item);
                    } else {
                        serverOnly.add(item);
                    }
                }
                original.set(field, normalizeOrder(patchItems, serverOnly, order, serverOrder, mergeKey));
                patch.remove(field);
            }
        }

        private static void validateAgainstOrder(ArrayNode patchList, ArrayNode order, String mergeKey) {
            if (patchList == null || patchList.isEmpty() || order.isEmpty()) {
                return;
            }
            List<JsonNode> nonDelete = new ArrayList<>();
            for (JsonNode item : patchList) {
                if (!mergeKey.isEmpty()) {
                    if (!item.isObject()) {
                        throw badArgType("map[string]interface {}", item);
                    }
                    if (item.has(DIRECTIVE) && "delete".equals(item.get(DIRECTIVE).asString(""))) {
                        continue;
                    }
                }
                nonDelete.add(item);
            }
            int pi = 0;
            int oi = 0;
            while (pi < nonDelete.size() && oi < order.size()) {
                JsonNode item = nonDelete.get(pi);
                if (item.isObject() && item.has(DIRECTIVE)) {
                    pi++;
                    continue;
                }
                if (mergeKeyEqual(item, order.get(oi), mergeKey)) {
                    pi++;
                }
                oi++;
            }
            if (pi < nonDelete.size()) {
                throw new PatchException(PatchException.Kind.MALFORMED, "The order in patch list:\n"
                        + GoFormat.of(patchList) + "\n doesn't match " + SET_ORDER_PREFIX + " list:\n"
                        + GoFormat.of(order) + "\n");
            }
        }

        private static boolean mergeKeyEqual(JsonNode left, JsonNode right, String mergeKey) {
            if (mergeKey.isEmpty()) {
                return JsonValues.same(left, right);
            }
            if (!left.isObject()) {
                throw badArgType("map[string]interface {}", left);
            }
            if (!right.isObject()) {
                throw badArgType("map[string]interface {}", right);
            }
            JsonNode l = left.get(mergeKey);
            JsonNode r = right.get(mergeKey);
            if (l == null) {
                throw noMergeKey(left, mergeKey);
            }
            if (r == null) {
                throw noMergeKey(right, mergeKey);
            }
            return sameKeyValue(l, r);
        }

        // Go compares merge key values with ==: equal type and value.
        private static boolean sameKeyValue(JsonNode a, JsonNode b) {
            return JsonValues.kind(a).equals(JsonValues.kind(b)) && JsonValues.same(a, b);
        }

        ArrayNode mergeSlice(ArrayNode original, ArrayNode patch, String mergeKey, boolean isDeleteList,
                             List<String> path) {
            if (original.isEmpty() && patch.isEmpty()) {
                return original;
            }
            String elementKind = elementKind(original, patch);
            if (!"map".equals(elementKind)) {
                if (isDeleteList) {
                    Set<String> remove = new HashSet<>();
                    patch.forEach(v -> remove.add(JsonValues.scalarKey(v)));
                    ArrayNode kept = JsonNodeFactory.instance.arrayNode();
                    original.forEach(v -> {
                        if (!remove.contains(JsonValues.scalarKey(v))) {
                            kept.add(v);
                        }
                    });
                    return kept;
                }
                Set<String> seen = new HashSet<>();
                List<JsonNode> merged = new ArrayList<>();
                for (JsonNode v : original) {
                    if (seen.add(JsonValues.scalarKey(v))) {
                        merged.add(v);
                    }
                }
                for (JsonNode v : patch) {
                    if (seen.add(JsonValues.scalarKey(v))) {
                        merged.add(v);
                    }
                }
                Set<String> inPatch = new HashSet<>();
                patch.forEach(v -> inPatch.add(JsonValues.scalarKey(v)));
                List<JsonNode> patchItems = new ArrayList<>();
                List<JsonNode> serverOnly = new ArrayList<>();
                for (JsonNode v : merged) {
                    (inPatch.contains(JsonValues.scalarKey(v)) ? patchItems : serverOnly).add(v);
                }
                return normalizeOrder(patchItems, serverOnly, patch, original, "");
            }
            if (mergeKey.isEmpty()) {
                throw new PatchException(PatchException.Kind.NOT_APPLICABLE,
                        "cannot merge lists without merge key for type struct");
            }
            // items with $patch: delete remove their match; $patch: replace makes the list the patch's items
            List<JsonNode> orig = new ArrayList<>();
            original.forEach(orig::add);
            List<JsonNode> plain = new ArrayList<>();
            boolean replace = false;
            for (JsonNode item : patch) {
                JsonNode directive = item.get(DIRECTIVE);
                if (directive == null) {
                    plain.add(item);
                    continue;
                }
                String d = directive.asString("");
                switch (d) {
                    case "delete" -> {
                        JsonNode value = item.get(mergeKey);
                        if (value == null) {
                            throw noMergeKey(item, mergeKey);
                        }
                        orig.removeIf(o -> o.isObject() && o.get(mergeKey) != null
                                && sameKeyValue(o.get(mergeKey), value));
                    }
                    case "replace" -> replace = true;
                    case "merge" -> throw new PatchException(PatchException.Kind.MALFORMED,
                            "merging lists cannot yet be specified in the patch");
                    default -> throw badPatchType(directive, item);
                }
            }
            if (replace) {
                orig = new ArrayList<>();
                for (JsonNode item : plain) {
                    JsonNode cleaned = Directives.clean(item);
                    if (cleaned != null) {
                        orig.add(cleaned);
                    }
                }
                plain = List.of();
            }
            ArrayNode serverOrder = JsonNodeFactory.instance.arrayNode();
            orig.forEach(serverOrder::add);
            List<JsonNode> merged = new ArrayList<>(orig);
            for (JsonNode item : plain) {
                JsonNode value = item.get(mergeKey);
                if (value == null) {
                    throw noMergeKey(item, mergeKey);
                }
                int found = -1;
                for (int i = 0; i < merged.size(); i++) {
                    JsonNode candidate = merged.get(i).get(mergeKey);
                    if (candidate != null && sameKeyValue(candidate, value)) {
                        found = i;
                        break;
                    }
                }
                if (found >= 0) {
                    merged.set(found, mergeMap((ObjectNode) merged.get(found), (ObjectNode) item, path));
                } else {
                    JsonNode cleaned = Directives.clean(item);
                    if (cleaned != null) {
                        merged.add(cleaned);
                    }
                }
            }
            ArrayNode patchOrder = JsonNodeFactory.instance.arrayNode();
            plain.forEach(patchOrder::add);
            List<JsonNode> patchItems = new ArrayList<>();
            List<JsonNode> serverOnly = new ArrayList<>();
            for (JsonNode v : merged) {
                (indexOf(patchOrder, v, mergeKey) >= 0 ? patchItems : serverOnly).add(v);
            }
            return normalizeOrder(patchItems, serverOnly, patchOrder, serverOrder, mergeKey);
        }

        /**
         * Sorts patch items by the patch order and server-only items by the server order, then interleaves them
         * the way upstream's mergeSortedSlice does: a server-only item goes first only when the server order puts
         * it before the next patch item; new items therefore come before the remaining server-only ones.
         */
        private static ArrayNode normalizeOrder(List<JsonNode> patchItems, List<JsonNode> serverOnly,
                                                JsonNode patchOrder, JsonNode serverOrder, String mergeKey) {
            List<JsonNode> right = sortByOrder(patchItems, patchOrder, mergeKey);
            List<JsonNode> left = sortByOrder(serverOnly, serverOrder, mergeKey);
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            int i = 0;
            int j = 0;
            while (i < left.size() || j < right.size()) {
                if (i >= left.size()) {
                    out.add(right.get(j++));
                } else if (j >= right.size()) {
                    out.add(left.get(i++));
                } else {
                    int li = indexOf(serverOrder, left.get(i), mergeKey);
                    int ri = indexOf(serverOrder, right.get(j), mergeKey);
                    if (li >= 0 && ri >= 0 && li < ri) {
                        out.add(left.get(i++));
                    } else {
                        out.add(right.get(j++));
                    }
                }
            }
            return out;
        }

        private static List<JsonNode> sortByOrder(List<JsonNode> items, JsonNode order, String mergeKey) {
            if (!mergeKey.isEmpty()) {
                for (JsonNode item : items) {
                    if (!item.isObject() || item.get(mergeKey) == null) {
                        throw noMergeKey(item, mergeKey);
                    }
                }
            }
            List<JsonNode> sorted = new ArrayList<>(items);
            sorted.sort((a, b) -> {
                int ia = indexOf(order, a, mergeKey);
                int ib = indexOf(order, b, mergeKey);
                if (ia < 0 || ib < 0) {
                    return 0;
                }
                return Integer.compare(ia, ib);
            });
            return sorted;
        }

        private static int indexOf(JsonNode list, JsonNode item, String mergeKey) {
            JsonNode wanted = mergeKey.isEmpty() ? item : item.get(mergeKey);
            if (wanted == null) {
                return -1;
            }
            for (int i = 0; i < list.size(); i++) {
                JsonNode candidate = mergeKey.isEmpty() ? list.get(i) : list.get(i).get(mergeKey);
                if (candidate != null && sameKeyValue(candidate, wanted)) {
                    return i;
                }
            }
            return -1;
        }

        private static String elementKind(ArrayNode... lists) {
            String kind = null;
            for (ArrayNode list : lists) {
                for (JsonNode v : list) {
                    String k = JsonValues.kind(v);
                    if (kind == null) {
                        if (k.equals("slice")) {
                            throw new PatchException(PatchException.Kind.NOT_APPLICABLE,
                                    "lists of lists are not supported");
                        }
                        kind = k;
                    } else if (!kind.equals(k)) {
                        List<String> printed = new ArrayList<>();
                        for (ArrayNode l : lists) {
                            printed.add(GoFormat.of(l));
                        }
                        throw new PatchException(PatchException.Kind.NOT_APPLICABLE,
                                "list element types are not identical: [" + String.join(" ", printed) + "]");
                    }
                }
            }
            return kind;
        }
    }

    static String extractKey(String s, String prefix) {
        int slash = s.indexOf('/');
        if (slash < 0 || !s.substring(0, slash).equals(prefix)) {
            throw new PatchException(PatchException.Kind.MALFORMED, prefix.equals(DELETE_PRIMITIVE_PREFIX)
                    ? "invalid patch format of primitive list"
                    : "invalid patch format of setElementOrder list");
        }
        return s.substring(slash + 1);
    }

    static PatchException badPatchType(JsonNode directive, JsonNode map) {
        return new PatchException(PatchException.Kind.MALFORMED,
                "unknown patch type: " + GoFormat.of(directive) + " in map: " + GoFormat.of(map));
    }

    static PatchException noMergeKey(JsonNode map, String mergeKey) {
        return new PatchException(PatchException.Kind.NOT_APPLICABLE,
                "map: " + GoFormat.of(map) + " does not contain declared merge key: " + mergeKey);
    }

    static PatchException badArgType(String expected, JsonNode actual) {
        return new PatchException(PatchException.Kind.MALFORMED,
                "expected a " + expected + ", but received a " + GoFormat.typeName(actual));
    }
}
