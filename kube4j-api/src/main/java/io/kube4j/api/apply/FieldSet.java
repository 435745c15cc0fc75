package io.kube4j.api.apply;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A set of field paths (structured-merge-diff's fieldpath.Set) as managedFields stores it in FieldsV1: a tree whose
 * nodes are {@link PathElement}s; a node is a member of the set itself when it is a leaf or marked {@code "."}.
 * Mutable; not thread-safe.
 */
public final class FieldSet {

    private final TreeMap<PathElement, FieldSet> children = new TreeMap<>();
    private boolean member;

    public FieldSet() {
    }

    /**
     * Reads a FieldsV1 object such as {@code {"f:metadata":{"f:labels":{".":{},"f:a":{}}}}}.
     *
     * @throws IllegalArgumentException when the object is not valid FieldsV1
     */
    public static FieldSet fromFieldsV1(JsonNode fieldsV1) {
        FieldSet set = new FieldSet();
        if (fieldsV1 == null || fieldsV1.isNull()) {
            return set;
        }
        if (!fieldsV1.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object");
        }
        read(set, fieldsV1);
        return set;
    }

    /**
     * {@link #fromFieldsV1} and whether {@code fieldsV1} is exactly what {@link #toFieldsV1} writes for the set read
     * from it (keys in order, each in its one encoding, {@code "."} only first and only beside children): an owner
     * whose set a request leaves as it was can then keep that node instead of having it encoded again.
     *
     * @throws IllegalArgumentException when the object is not valid FieldsV1
     */
    static Read readFieldsV1(JsonNode fieldsV1) {
        FieldSet set = new FieldSet();
        if (fieldsV1 == null || fieldsV1.isNull()) {
            return new Read(set, false);
        }
        if (!fieldsV1.isObject()) {
            throw new IllegalArgumentException("FieldsV1 must be an object");
        }
        return new Read(set, read(set, fieldsV1));
    }

    /** A set read from FieldsV1, and whether that FieldsV1 is the set's own encoding. */
    record Read(FieldSet set, boolean canonical) {
    }

    /**
     * Whether {@code fieldsV1} is valid FieldsV1 written exactly as {@link #toFieldsV1} writes the set it encodes
     * (what {@link #readFieldsV1} calls canonical), checked without building that set; false for null.
     */
    static boolean isCanonicalFieldsV1(JsonNode fieldsV1) {
        if (fieldsV1 == null || !fieldsV1.isObject()) {
            return false;
        }
        try {
            return read(null, fieldsV1);
        } catch (RuntimeException e) {
            return false; // not FieldsV1 at all, which readFieldsV1 reports
        }
    }

    /**
     * Reads {@code obj} into {@code node} (null to only check it); returns whether it is written as {@link #write}
     * would write it.
     */
    private static boolean read(FieldSet node, JsonNode obj) {
        boolean canonical = true;
        boolean first = true;
        PathElement previous = null;
        for (Map.Entry<String, JsonNode> e : obj.properties()) {
            if (e.getKey().equals(".")) {
                if (node != null) {
                    node.member = true;
                }
                // write() puts "." first, as an empty object, and only before children
                canonical &= first && e.getValue().isObject() && e.getValue().isEmpty() && obj.size() > 1;
                first = false;
                continue;
            }
            first = false;
            if (!e.getValue().isObject()) {
                throw new IllegalArgumentException("FieldsV1 values must be objects: " + e.getKey());
            }
            PathElement.Decoded decoded = PathElement.decodeKey(e.getKey());
            PathElement pe = decoded.element();
            canonical &= decoded.canonical() && (previous == null || previous.compareTo(pe) < 0);
            previous = pe;
            FieldSet child = node == null ? null : node.children.computeIfAbsent(pe, k -> new FieldSet());
            if (e.getValue().isEmpty()) {
                if (child != null) {
                    child.member = true;
                }
            } else {
                canonical &= read(child, e.getValue());
            }
        }
        return canonical;
    }

    /** The FieldsV1 form, keys sorted as upstream writes them. */
    public ObjectNode toFieldsV1() {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        write(this, out);
        return out;
    }

    private static void write(FieldSet node, ObjectNode out) {
        if (node.member && !node.children.isEmpty()) {
            out.putObject(".");
        }
        for (Map.Entry<PathElement, FieldSet> e : node.children.entrySet()) {
            write(e.getValue(), out.putObject(e.getKey().encode()));
        }
    }

    /** Adds a path (and makes it a member). */
    public FieldSet insert(List<PathElement> path) {
        FieldSet node = this;
        for (PathElement pe : path) {
            node = node.children.computeIfAbsent(pe, k -> new FieldSet());
        }
        node.member = true;
        return this;
    }

    /**
     * The child node at {@code pe}, added (not as a member) when absent: one step of {@link #insert}, for callers that
     * walk the tree themselves.
     */
    FieldSet addChild(PathElement pe) {
        return children.computeIfAbsent(pe, k -> new FieldSet());
    }

    /** Makes this node a member: the last step of {@link #insert}. */
    void markMember() {
        member = true;
    }

    public FieldSet insert(PathElement... path) {
        return insert(List.of(path));
    }

    public boolean has(List<PathElement> path) {
        FieldSet node = this;
        for (PathElement pe : path) {
            node = node.children.get(pe);
            if (node == null) {
                return false;
            }
        }
        return node.member;
    }

    public boolean isEmpty() {
        if (member) {
            return false;
        }
        for (FieldSet c : children.values()) {
            if (!c.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** Every member path, in order. */
    public List<List<PathElement>> paths() {
        List<List<PathElement>> out = new ArrayList<>();
        collect(new ArrayList<>(), out);
        return out;
    }

    private void collect(List<PathElement> prefix, List<List<PathElement>> out) {
        if (member && !prefix.isEmpty()) {
            out.add(Collections.unmodifiableList(new ArrayList<>(prefix)));
        }
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            prefix.add(e.getKey());
            e.getValue().collect(prefix, out);
            prefix.remove(prefix.size() - 1);
        }
    }

    /**
     * A new set with the members of both. Set operations walk both trees side by side rather than listing and
     * re-inserting every path: the field manager runs several per request. The result has exactly the nodes the
     * path-by-path definition gives (this set's copy plus the paths to the other's members), since an empty node
     * still prints in FieldsV1.
     */
    public FieldSet union(FieldSet other) {
        FieldSet out = copy();
        other.children.forEach((pe, oc) -> {
            FieldSet existing = out.children.get(pe);
            FieldSet merged = addMembers(existing, oc);
            if (merged != null && existing == null) {
                out.children.put(pe, merged);
            }
        });
        return out;
    }

    /**
     * Adds the members of {@code source} (and the nodes leading to them) to {@code target}, which may be null;
     * returns the node holding them, null when there is none (no target and no members).
     */
    private static FieldSet addMembers(FieldSet target, FieldSet source) {
        FieldSet out = target;
        if (source.member) {
            out = out == null ? new FieldSet() : out;
            out.member = true;
        }
        for (Map.Entry<PathElement, FieldSet> e : source.children.entrySet()) {
            FieldSet existing = out == null ? null : out.children.get(e.getKey());
            FieldSet merged = addMembers(existing, e.getValue());
            if (merged != null && existing == null) {
                out = out == null ? new FieldSet() : out;
                out.children.put(e.getKey(), merged);
            }
        }
        return out;
    }

    /** A new set with the members of this one that are not in {@code other}. */
    public FieldSet difference(FieldSet other) {
        return orEmpty(filter(this, other, Filter.DIFFERENCE));
    }

    /** A new set with the members present in both. */
    public FieldSet intersection(FieldSet other) {
        return orEmpty(filter(this, other, Filter.INTERSECTION));
    }

    private static FieldSet orEmpty(FieldSet set) {
        return set == null ? new FieldSet() : set;
    }

    /** How {@link #filter} decides which members of a set to keep, given the node at the same path in another. */
    private enum Filter {
        /** Members the other set lacks. */
        DIFFERENCE,
        /** Members the other set has too. */
        INTERSECTION,
        /** Members neither in the other set nor below one of its members. */
        RECURSIVE_DIFFERENCE
    }

    /**
     * The children of {@code node} filtered against {@code other} (the node at the same path in the other set, or
     * null), as a new node that is not itself a member; null when no member is kept. Only the paths to kept members
     * are created, as inserting them one by one would.
     */
    private static FieldSet filter(FieldSet node, FieldSet other, Filter filter) {
        FieldSet out = null;
        for (Map.Entry<PathElement, FieldSet> e : node.children.entrySet()) {
            FieldSet child = e.getValue();
            FieldSet otherChild = other == null ? null : other.children.get(e.getKey());
            boolean otherMember = otherChild != null && otherChild.member;
            if (filter == Filter.RECURSIVE_DIFFERENCE && otherMember) {
                continue;
            }
            if (filter == Filter.INTERSECTION && otherChild == null) {
                continue;
            }
            FieldSet kept = filter(child, otherChild, filter);
            boolean member = child.member && (filter == Filter.INTERSECTION ? otherMember : !otherMember);
            if (member) {
                kept = kept == null ? new FieldSet() : kept;
                kept.member = true;
            }
            if (kept != null) {
                out = out == null ? new FieldSet() : out;
                out.children.put(e.getKey(), kept);
            }
        }
        return out;
    }

    /**
     * Whether both sets have the same nodes, members and non-members alike, so that they encode to the same FieldsV1;
     * no paths are listed, unlike {@link #equals}.
     */
    boolean sameTree(FieldSet other) {
        if (this == other) {
            return true;
        }
        if (member != other.member || children.size() != other.children.size()) {
            return false;
        }
        var mine = children.entrySet().iterator();
        var theirs = other.children.entrySet().iterator();
        while (mine.hasNext()) {
            Map.Entry<PathElement, FieldSet> a = mine.next();
            Map.Entry<PathElement, FieldSet> b = theirs.next();
            if (a.getKey().compareTo(b.getKey()) != 0 || !a.getValue().sameTree(b.getValue())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a member of this set is a member of {@code other} too, i.e. whether {@link #intersection} would not be
     * empty, without building it: most owners share nothing with a request's changes.
     */
    boolean intersects(FieldSet other) {
        FieldSet small = children.size() <= other.children.size() ? this : other;
        FieldSet large = small == this ? other : this;
        for (Map.Entry<PathElement, FieldSet> e : small.children.entrySet()) {
            FieldSet o = large.children.get(e.getKey());
            if (o != null && (e.getValue().member && o.member || e.getValue().intersects(o))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@link #difference} ({@code recursive} false) or {@link #recursiveDifference} made in this set instead of in a
     * new one, for a set only the caller holds (one just built from a comparison): the nodes that remain are the ones
     * the copy would have. Returns this set.
     */
    FieldSet removeInPlace(FieldSet other, boolean recursive) {
        prune(this, other, recursive);
        member = false; // as in the copy, whose root is never a member
        return this;
    }

    private static void prune(FieldSet node, FieldSet other, boolean recursive) {
        var it = node.children.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<PathElement, FieldSet> e = it.next();
            FieldSet child = e.getValue();
            FieldSet otherChild = other == null ? null : other.children.get(e.getKey());
            boolean otherMember = otherChild != null && otherChild.member;
            if (recursive && otherMember) {
                it.remove();
                continue;
            }
            if (otherMember) {
                child.member = false;
            }
            prune(child, otherChild, recursive);
            if (!child.member && child.children.isEmpty()) {
                it.remove();
            }
        }
    }

    /**
     * Whether a member of this set is a member of the set {@code fieldsV1} encodes, read from the FieldsV1 itself;
     * {@code fieldsV1} must be canonical ({@link #isCanonicalFieldsV1}), so that each element has its one key there.
     */
    boolean intersectsEncoded(JsonNode fieldsV1) {
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            JsonNode o = encodedChild(fieldsV1, e.getKey());
            if (o != null && (e.getValue().member && isEncodedMember(o) || e.getValue().intersectsEncoded(o))) {
                return true;
            }
        }
        return false;
    }

    /** Whether every member of this set is a member of the set canonical {@code fieldsV1} encodes. */
    boolean isSubsetOfEncoded(JsonNode fieldsV1) {
        for (Map.Entry<PathElement, FieldSet> e : children.entrySet()) {
            JsonNode o = encodedChild(fieldsV1, e.getKey());
            if (o == null) {
                if (!e.getValue().isEmpty()) {
                    return false;
                }
                continue;
            }
            if (e.getValue().member && !isEncodedMember(o) || !e.getValue().isSubsetOfEncoded(o)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The node under {@code pe} in canonical FieldsV1, or null. Looked up by the element's encoding first; an item
     * key or value can also equal an element printed otherwise (80 and 80.0 compare equal), which the set's tree
     * would find, so for those the keys are decoded and compared as the tree compares them.
     */
    private static JsonNode encodedChild(JsonNode fieldsV1, PathElement pe) {
        JsonNode direct = fieldsV1.get(pe.encode());
        if (direct != null || pe instanceof PathElement.Field) {
            return direct; // a field name has no other encoding
        }
        for (Map.Entry<String, JsonNode> e : fieldsV1.properties()) {
            if (!e.getKey().equals(".") && PathElement.decodeKey(e.getKey()).element().compareTo(pe) == 0) {
                return e.getValue();
            }
        }
        return null;
    }

    /** Whether a FieldsV1 node is a member itself: a leaf, or marked {@code "."}. */
    private static boolean isEncodedMember(JsonNode node) {
        return node.isEmpty() || node.has(".");
    }

    public FieldSet copy() {
        FieldSet out = new FieldSet();
        out.member = member;
        children.forEach((k, v) -> out.children.put(k, v.copy()));
        return out;
    }

    /** Paths printed as structured-merge-diff prints them, e.g. {@code .spec.containers[name="a"].image}. */
    public static String format(List<PathElement> path) {
        StringBuilder sb = new StringBuilder();
        for (PathElement pe : path) {
            sb.append(pe.display());
        }
        return sb.toString();
    }

    /** The paths below {@code pe}, relative to it (a shared view, not a copy); empty when there are none. */
    FieldSet child(PathElement pe) {
        FieldSet c = children.get(pe);
        return c == null ? new FieldSet() : c;
    }

    /** The node under {@code pe} (shared), or null: {@link #child} without making an empty set for an absent one. */
    FieldSet childOrNull(PathElement pe) {
        return children.get(pe);
    }

    /** Whether the one-element path {@code [pe]} is a member. */
    boolean hasMember(PathElement pe) {
        FieldSet c = children.get(pe);
        return c != null && c.member;
    }

    /**
     * A new set without the members of this one that are in {@code other} or lie below a member of {@code other}
     * (upstream's RecursiveDifference, used for the fields a strategy resets).
     */
    public FieldSet recursiveDifference(FieldSet other) {
        return orEmpty(filter(this, other, Filter.RECURSIVE_DIFFERENCE));
    }

    /**
     * A copy in which every field (as opposed to list item) that has members below it is a member too, as upstream's
     * EnsureNamedFieldsAreMembers: pruning a field then removes the field itself, not only its leaves.
     */
    FieldSet withFieldsAsMembers() {
        FieldSet out = new FieldSet();
        out.member = member;
        children.forEach((pe, c) -> {
            FieldSet cc = c.withFieldsAsMembers();
            if (pe instanceof PathElement.Field && !cc.isEmpty()) {
                cc.member = true;
            }
            out.children.put(pe, cc);
        });
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSet s && paths().equals(s.paths());
    }

    @Override
    public int hashCode() {
        return paths().hashCode();
    }

    @Override
    public String toString() {
        return toFieldsV1().toString();
    }
}
