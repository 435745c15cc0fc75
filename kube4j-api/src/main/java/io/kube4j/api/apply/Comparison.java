package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What changed between two versions of an object, as structured-merge-diff's Compare reports it: fields added,
 * modified (a leaf, atomic list or atomic object with another value) and removed. An object or list item present on
 * one side only is itself added or removed, besides its leaves.
 */
record Comparison(FieldSet added, FieldSet modified, FieldSet removed) {

    /**
     * Compares {@code lhs} (old, null for none) with {@code rhs} (new).
     *
     * @throws ApplyException when a list item has no identity
     */
    static Comparison of(JsonNode lhs, JsonNode rhs, ListTypes types) {
        Comparison c = new Comparison(new FieldSet(), new FieldSet(), new FieldSet());
        c.fields(lhs, rhs, List.of(), new Position(c), types);
        return c;
    }

    /**
     * A place in the objects compared: its element under its parent and, once a change was recorded at or below it,
     * its node in each of the three sets. Recording a change is then one step from the parent's node: a path list
     * copied for every field and inserted from the root cost each recorded field its whole depth twice (a create
     * records every field of the object).
     */
    private static final class Position {
        private final Position parent;
        private final PathElement element;
        private FieldSet added;
        private FieldSet modified;
        private FieldSet removed;

        /** The root: the three sets themselves. */
        Position(Comparison c) {
            this.parent = null;
            this.element = null;
            this.added = c.added;
            this.modified = c.modified;
            this.removed = c.removed;
        }

        Position(Position parent, PathElement element) {
            this.parent = parent;
            this.element = element;
        }

        FieldSet added() {
            if (added == null) {
                added = parent.added().addChild(element);
            }
            return added;
        }

        FieldSet modified() {
            if (modified == null) {
                modified = parent.modified().addChild(element);
            }
            return modified;
        }

        FieldSet removed() {
            if (removed == null) {
                removed = parent.removed().addChild(element);
            }
            return removed;
        }

        /** The path from the root, for messages. */
        List<PathElement> path() {
            ArrayList<PathElement> out = new ArrayList<>();
            for (Position p = this; p.parent != null; p = p.parent) {
                out.add(p.element);
            }
            java.util.Collections.reverse(out);
            return out;
        }
    }

    /**
     * The changes outside {@code ignored} and below none of its members. Made in this comparison's own sets (every
     * caller calls it on the comparison {@link #of} just returned): copying the three sets cost every write a copy
     * of its whole field set.
     */
    Comparison without(FieldSet ignored) {
        if (ignored == null || ignored.isEmpty()) {
            return this;
        }
        added.removeInPlace(ignored, true);
        modified.removeInPlace(ignored, true);
        removed.removeInPlace(ignored, true);
        return this;
    }

    /** Fields whose parent path is shorter than this are skipped whole when equal (see {@link #field}). */
    private static final int SHALLOW_DEPTH = 2;

    private void fields(JsonNode l, JsonNode r, List<String> fieldPath, Position path, ListTypes types) {
        // the names of both sides: the left's, then those only the right has (no set of names is built)
        boolean lObject = l != null && l.isObject();
        boolean rObject = r != null && r.isObject();
        if (lObject) {
            for (Map.Entry<String, JsonNode> e : l.properties()) {
                field(e.getKey(), e.getValue(), rObject ? r.get(e.getKey()) : null, fieldPath, path, types);
            }
        }
        if (rObject) {
            for (Map.Entry<String, JsonNode> e : r.properties()) {
                if (!lObject || l.get(e.getKey()) == null) {
                    field(e.getKey(), null, e.getValue(), fieldPath, path, types);
                }
            }
        }
    }

    private void field(String name, JsonNode lv, JsonNode rv, List<String> fieldPath, Position path,
                       ListTypes types) {
        if (unchangedScalar(lv, rv)) {
            // what value() would find without building the field's paths: most fields of an update are these
            return;
        }
        if (fieldPath.size() < SHALLOW_DEPTH && lv != null && lv.isContainer() && lv.equals(rv)) {
            // an unchanged spec or status (most of an update): one equality walk instead of the recursion's paths,
            // positions and list indexes. Only near the root, where a changed subtree costs at most one more walk;
            // deeper, repeated equality checks on the way down to a change would each walk what precedes it
            return;
        }
        // the field-name path only serves the type lookups of objects and lists; a scalar needs none
        boolean container = lv != null && lv.isContainer() || rv != null && rv.isContainer();
        value(lv, rv, container ? ApplyFieldSets.append(fieldPath, name) : null,
                new Position(path, new PathElement.Field(name)), types);
    }

    /**
     * Whether both sides hold the same value that is neither an object nor a list: {@link #value} records nothing
     * for it (it is a leaf for {@link #leaf}, equal on both sides).
     */
    private static boolean unchangedScalar(JsonNode l, JsonNode r) {
        return l != null && r != null && !l.isContainer() && !r.isContainer() && JsonOrder.equal(l, r);
    }

    private void value(JsonNode l, JsonNode r, List<String> fieldPath, Position path, ListTypes types) {
        if (isA(l, r, true)) {
            if (types.isAtomicObject(fieldPath) || isEmpty(l) && isEmpty(r)) {
                leaf(l, r, path);
                return;
            }
            fields(l, r, fieldPath, path, types);
            presence(l, r, path);
            return;
        }
        if (isA(l, r, false)) {
            ListTypes.ListType type = types.listType(fieldPath);
            if (type.kind() == ListTypes.ListType.Kind.ATOMIC || isEmpty(l) && isEmpty(r)) {
                leaf(l, r, path);
                return;
            }
            items(l, r, type, fieldPath, path, types);
            presence(l, r, path);
            return;
        }
        leaf(l, r, path);
    }

    private void items(JsonNode l, JsonNode r, ListTypes.ListType type, List<String> fieldPath,
                       Position path, ListTypes types) {
        List<PathElement> listPath = path.path();
        ListItems.Indexed li = ListItems.index(l, type, listPath, true);
        ListItems.Indexed ri = ListItems.index(r, type, listPath, true);
        List<PathElement> all = new ArrayList<>(li.order());
        for (PathElement pe : ri.order()) {
            if (!li.contains(pe)) {
                all.add(pe);
            }
        }
        boolean atomicItems = type.kind() == ListTypes.ListType.Kind.SET || types.isAtomicObject(fieldPath);
        for (PathElement pe : all) {
            Position itemPath = new Position(path, pe);
            if (li.duplicated(pe) || ri.duplicated(pe)) {
                if (!sameItems(li.all(pe), ri.all(pe))) {
                    itemPath.modified().markMember();
                }
                continue;
            }
            JsonNode lc = li.get(pe);
            JsonNode rc = ri.get(pe);
            if (atomicItems) {
                leaf(lc, rc, itemPath);
            } else {
                fields(lc, rc, fieldPath, itemPath, types);
                presence(lc, rc, itemPath);
            }
        }
    }

    private static boolean sameItems(List<JsonNode> a, List<JsonNode> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!JsonOrder.equal(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static void presence(JsonNode l, JsonNode r, Position path) {
        if (l == null) {
            path.added().markMember();
        } else if (r == null) {
            path.removed().markMember();
        }
    }

    private static void leaf(JsonNode l, JsonNode r, Position path) {
        if (l == null) {
            path.added().markMember();
        } else if (r == null) {
            path.removed().markMember();
        } else if (!JsonOrder.equal(l, r)) {
            path.modified().markMember();
        }
    }

    /**
     * Whether both sides are objects (or lists), one of them possibly absent or null; a JSON null is an empty value
     * that is there, as a Go nil map or slice is for upstream.
     */
    static boolean isA(JsonNode l, JsonNode r, boolean object) {
        boolean lt = l != null && (object ? l.isObject() : l.isArray());
        boolean rt = r != null && (object ? r.isObject() : r.isArray());
        return (lt || rt) && (lt || l == null || l.isNull()) && (rt || r == null || r.isNull());
    }

    static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isEmpty();
    }
}
