package io.kube4j.api.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The owners of an object's fields while a request is processed: who owns which set, in which version, since when. */
final class ManagedSets {

    /** One owner's fields; {@code applied} for an Apply entry. */
    record Owned(FieldSet set, String apiVersion, boolean applied) {
    }

    private final Map<ManagerId, Owned> owners = new LinkedHashMap<>();
    private final Map<ManagerId, Instant> times = new HashMap<>();

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

    ManagedSets copy() {
        ManagedSets c = new ManagedSets();
        owners.forEach((id, o) -> c.owners.put(id, new Owned(o.set().copy(), o.apiVersion(), o.applied())));
        c.times.putAll(times);
        return c;
    }

    /** The managedFields entries, in upstream's order. */
    List<ManagedFieldsEntry> encode() {
        List<ManagedFieldsEntry> out = new ArrayList<>();
        owners.forEach((id, o) -> out.add(new ManagedFieldsEntry(id.manager(),
                o.applied() ? ManagerId.APPLY : ManagerId.UPDATE, o.apiVersion(), times.get(id),
                ManagedFields.FIELDS_V1, o.set().toFieldsV1(), id.subresource())));
        out.sort(ManagedFields.ORDER);
        return out;
    }
}
