package io.kube4j.api.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** The owners of an object's fields while a request is processed: who owns which set, in which version, since when. */
final class ManagedSets {

    /** One owner's fields; {@code applied} for an Apply entry. */
    record Owned(FieldSet set, String apiVersion, boolean applied) {
    }

    /**
     * An owner's set as it was read and the FieldsV1 node it was read from, which is that set's exact encoding;
     * {@code copy} when the node belongs to an object the caller keeps (the live object), so it is copied if used.
     */
    private record Read(FieldSet set, JsonNode fieldsV1, boolean copy) {
    }

    private final Map<ManagerId, Owned> owners = new LinkedHashMap<>();
    private final Map<ManagerId, Instant> times = new HashMap<>();
    /** Owners whose sets were read from their canonical encoding; see {@link #encode}. */
    private final Map<ManagerId, Read> read = new HashMap<>();

    Map<ManagerId, Owned> owners() {
        return owners;
    }

    Map<ManagerId, Instant> times() {
        return times;
    }

    Owned get(ManagerId id) {
        return owners.get(id);
    }

    void put(ManagerId id, Owned owned) {
        owners.put(id, owned);
    }

    boolean isEmpty() {
        return owners.isEmpty();
    }

    /** Replaces an owner's set, dropping the owner when nothing is left. */
    void replaceSet(ManagerId id, FieldSet set) {
        Owned o = owners.get(id);
        if (set.isEmpty()) {
            owners.remove(id);
        } else {
            owners.put(id, new Owned(set, o.apiVersion(), o.applied()));
        }
    }

    FieldSet union() {
        FieldSet all = new FieldSet();
        for (Owned o : owners.values()) {
            all = all.union(o.set());
        }
        return all;
    }

    /**
     * Notes that {@code id}'s set was read from {@code fieldsV1}, its exact encoding (see
     * {@link FieldSet#readFieldsV1}), or with {@code fieldsV1} null that it was not; {@code copy} when that node is
     * not the caller's to give away.
     */
    void readFrom(ManagerId id, FieldSet set, JsonNode fieldsV1, boolean copy) {
        if (fieldsV1 == null) {
            read.remove(id);
        } else {
            read.put(id, new Read(set, fieldsV1, copy));
        }
    }

    ManagedSets copy() {
        ManagedSets c = new ManagedSets();
        owners.forEach((id, o) -> c.owners.put(id, new Owned(o.set().copy(), o.apiVersion(), o.applied())));
        c.times.putAll(times);
        // the copies have the same trees as the sets read, so the nodes read still encode them
        c.read.putAll(read);
        return c;
    }

    /**
     * The managedFields entries, in upstream's order. An owner whose set is still the one it was read with keeps the
     * FieldsV1 node it was read from (its exact encoding): a request changes one or two owners' sets, and encoding
     * every owner's set again was most of the field manager's cost on an update.
     */
    List<ManagedFieldsEntry> encode() {
        List<ManagedFieldsEntry> out = new ArrayList<>();
        owners.forEach((id, o) -> out.add(new ManagedFieldsEntry(id.manager(),
                o.applied() ? ManagerId.APPLY : ManagerId.UPDATE, o.apiVersion(), times.get(id),
                ManagedFields.FIELDS_V1, fieldsV1(id, o.set()), id.subresource())));
        out.sort(ManagedFields.ORDER);
        return out;
    }

    private JsonNode fieldsV1(ManagerId id, FieldSet set) {
        Read r = read.get(id);
        if (r != null && r.set().sameTree(set)) {
            return r.copy() ? r.fieldsV1().deepCopy() : r.fieldsV1();
        }
        return set.toFieldsV1();
    }
}
