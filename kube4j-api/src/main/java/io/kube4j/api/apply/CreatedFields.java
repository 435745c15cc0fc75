package io.kube4j.api.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The field manager's shortcut for the commonest write of all: a create whose request starts from no owner (it sent
 * no managedFields, null, or the {@code []} or {@code [{}]} that clear them). The full bookkeeping compares the object
 * with the empty object of its kind ({@link EmptyObjects}) into three field sets ({@link Comparison}), gives the
 * added and modified fields, less those the strategy resets and the server's own, to the one manager
 * ({@link Updater#update}) and encodes that set ({@link ManagedSets#encode}): most of a create's cost, for one set
 * that is nearly every field of the object. This class writes the same FieldsV1 in one walk of the object, taking
 * {@link Comparison}'s decisions step by step but writing a node wherever the comparison would record one, keys in
 * {@link FieldSet#toFieldsV1}'s order. Where it cannot be sure of giving exactly the same (a list item without
 * identity, two items the sets would merge although the list keeps them apart, a list in the empty object) it answers
 * null and the caller does the full work, which also reports the faults.
 */
final class CreatedFields {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String MEMBER = ".";

    private final ListTypes types;

    /** Thrown inside the walk where it cannot tell the full bookkeeping's answer; never escapes. */
    private static final class Unwritable extends RuntimeException {
        Unwritable() {
            super(null, null, false, false); // a signal, not an error: no stack trace
        }
    }

    private CreatedFields(ListTypes types) {
        this.types = types;
    }

    /**
     * Whether a create's owners start empty whatever the object, which is when this class may answer: the request's
     * managedFields ({@code sent}, null when it had none) are absent, null or a reset. Entries the client sent are
     * left to the full bookkeeping, which keeps them when they are valid.
     */
    static boolean startsWithoutOwners(JsonNode sent) {
        return sent == null || sent.isNull() || ManagedFields.isReset(sent);
    }

    /**
     * The managedFields the full bookkeeping writes when {@code id} creates {@code newObj} (without managedFields)
     * and nobody owned anything before: one Update entry, or none when it owns no field; null when this class cannot
     * tell them.
     *
     * @param resetFields fields the strategy resets, which nobody owns; or null
     */
    static List<ManagedFieldsEntry> entries(ObjectNode newObj, ManagerId id, ListTypes types, FieldSet resetFields,
                                            Instant now) {
        ObjectNode fields = F.objectNode();
        try {
            // the walk mirrors Comparison.of(EmptyObjects.of(newObj), newObj).without(resetFields), whose root is
            // compared field by field and never a member itself
            new CreatedFields(types).fields(EmptyObjects.of(newObj), newObj, List.of(), fields,
                    resetFields == null || resetFields.isEmpty() ? null : resetFields, ApplyFieldSets.SERVER_OWNED);
        } catch (ApplyException | Unwritable e) {
            return null;
        }
        if (fields.isEmpty()) {
            return List.of(); // an empty set gives no owner
        }
        return List.of(new ManagedFieldsEntry(id.manager(), ManagerId.UPDATE, id.apiVersion(), now,
                ManagedFields.FIELDS_V1, fields, id.subresource()));
    }

    /**
     * Writes into {@code out} the fields of {@code r} that the comparison with {@code l} (its counterpart in the empty
     * object, or null) records. Fields only {@code l} has are removed ones, which nobody gains.
     *
     * @param reset the node of the reset fields at this path, or null when none lie below it
     * @param server the node of {@link ApplyFieldSets#SERVER_OWNED} at this path, or null
     */
    private void fields(JsonNode l, JsonNode r, List<String> fieldPath, ObjectNode out, FieldSet reset,
                        FieldSet server) {
        if (!r.isObject() || r.isEmpty()) {
            return;
        }
        JsonNode lObject = l != null && l.isObject() ? l : null;
        for (Map.Entry<String, JsonNode> e : inNameOrder(r)) {
            String name = e.getKey();
            JsonNode lv = lObject == null ? null : lObject.get(name);
            JsonNode rv = e.getValue();
            // the field-name path only serves the type lookups of objects and lists, as in Comparison
            boolean container = lv != null && lv.isContainer() || rv.isContainer();
            child(new PathElement.Field(name), lv, rv, container ? ApplyFieldSets.append(fieldPath, name) : null,
                    out, reset, server);
        }
    }

    /**
     * The fields of {@code object} in the order of their names, which is their elements' (PathElement.Field): as
     * they stand when already so (copied and sorted only otherwise).
     */
    private static Iterable<Map.Entry<String, JsonNode>> inNameOrder(JsonNode object) {
        String previous = null;
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            if (previous != null && previous.compareTo(e.getKey()) > 0) {
                List<Map.Entry<String, JsonNode>> sorted = new ArrayList<>(object.size());
                object.properties().forEach(sorted::add);
                sorted.sort(Map.Entry.comparingByKey());
                return sorted;
            }
            previous = e.getKey();
        }
        return object.properties();
    }

    /**
     * Writes the node of one field or list item under {@code pe} into {@code out} when anything is recorded at or
     * below it: skipped whole when a reset field (Comparison.without is a recursive difference), not a member itself
     * when a server field (the Updater's difference is not recursive, so what lies below stays).
     */
    private void child(PathElement pe, JsonNode l, JsonNode r, List<String> fieldPath, ObjectNode out,
                       FieldSet reset, FieldSet server) {
        FieldSet childReset = null;
        if (reset != null) {
            if (reset.hasMember(pe)) {
                // nothing written, but walked all the same: the comparison fails on a list item without identity
                // before the reset fields are taken out, and so the full bookkeeping drops the managedFields
                value(l, r, fieldPath, null, null, false);
                return;
            }
            childReset = reset.childOrNull(pe);
        }
        boolean mayOwn = true;
        FieldSet childServer = null;
        if (server != null) {
            mayOwn = !server.hasMember(pe);
            childServer = server.childOrNull(pe);
        }
        ObjectNode node = value(l, r, fieldPath, childReset, childServer, mayOwn);
        if (node != null) {
            out.set(pe.encode(), node);
        }
    }

    /** Comparison.value for a right side that is there: the node to write, or null when nothing is recorded. */
    private ObjectNode value(JsonNode l, JsonNode r, List<String> fieldPath, FieldSet reset, FieldSet server,
                             boolean mayOwn) {
        // an object or list the empty object lacks is added itself (Comparison.presence), besides what it holds
        boolean member = l == null && mayOwn;
        if (Comparison.isA(l, r, true)) {
            if (types.isAtomicObject(fieldPath) || Comparison.isEmpty(l) && Comparison.isEmpty(r)) {
                return leaf(l, r, mayOwn);
            }
            ObjectNode out = open(member);
            fields(l, r, fieldPath, out, reset, server);
            return close(out, member);
        }
        if (Comparison.isA(l, r, false)) {
            ListTypes.ListType type = types.listType(fieldPath);
            if (type.kind() == ListTypes.ListType.Kind.ATOMIC || Comparison.isEmpty(l) && Comparison.isEmpty(r)) {
                return leaf(l, r, mayOwn);
            }
            if (!Comparison.isEmpty(l)) {
                throw new Unwritable(); // items on both sides to match up: no empty object has any
            }
            ObjectNode out = open(member);
            items(r, type, fieldPath, out, reset, server);
            return close(out, member);
        }
        return leaf(l, r, mayOwn);
    }

    /**
     * Comparison.items against no items: every item is added, whole when the list is a set, its items atomic or
     * its identity duplicated (then modified, as the duplicates differ from none), else as a member with its fields.
     */
    private void items(JsonNode r, ListTypes.ListType type, List<String> fieldPath, ObjectNode out, FieldSet reset,
                       FieldSet server) {
        // the path only serves ListItems' messages, and on a fault the full bookkeeping is the one to report it
        ListItems.Indexed ri = ListItems.index(r, type, List.of(), true);
        List<PathElement> order = ri.order();
        if (order.size() > 1) {
            order = new ArrayList<>(order);
            order.sort(null);
            for (int i = 1; i < order.size(); i++) {
                if (order.get(i - 1).compareTo(order.get(i)) == 0) {
                    // apart in the list (unequal hashes, e.g. {"a":1} and {"a":1.0} as set values) but one node of
                    // a field set, which merges what both items record: left to the sets
                    throw new Unwritable();
                }
            }
        }
        boolean atomicItems = type.kind() == ListTypes.ListType.Kind.SET || types.isAtomicObject(fieldPath);
        for (PathElement pe : order) {
            if (reset != null && reset.hasMember(pe)) {
                if (!(ri.duplicated(pe) || atomicItems)) {
                    fields(null, ri.get(pe), fieldPath, F.objectNode(), null, null); // only walked, as above
                }
                continue;
            }
            FieldSet itemReset = reset == null ? null : reset.childOrNull(pe);
            boolean mayOwn = server == null || !server.hasMember(pe);
            ObjectNode node;
            if (ri.duplicated(pe) || atomicItems) {
                node = mayOwn ? F.objectNode() : null;
            } else {
                node = open(mayOwn);
                fields(null, ri.get(pe), fieldPath, node, itemReset,
                        server == null ? null : server.childOrNull(pe));
                node = close(node, mayOwn);
            }
            if (node != null) {
                out.set(pe.encode(), node);
            }
        }
    }

    /** Comparison.leaf where only added and modified count: a member with no children, or nothing. */
    private static ObjectNode leaf(JsonNode l, JsonNode r, boolean mayOwn) {
        return mayOwn && (l == null || !JsonOrder.equal(l, r)) ? F.objectNode() : null;
    }

    /** A node about to get its children: {@code "."} goes first when it is a member (FieldSet's write). */
    private static ObjectNode open(boolean member) {
        ObjectNode out = F.objectNode();
        if (member) {
            out.putObject(MEMBER);
        }
        return out;
    }

    /** The node once its children are written: a member without any is written {@code {}}; null for nothing. */
    private static ObjectNode close(ObjectNode out, boolean member) {
        if (member) {
            if (out.size() == 1) {
                out.remove(MEMBER);
            }
            return out;
        }
        return out.isEmpty() ? null : out;
    }
}
