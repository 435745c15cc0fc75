package io.kube4j.api.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ownership bookkeeping of structured-merge-diff's merge.Updater and the managers that wrap it upstream
 * (managedFieldsUpdater, stripMeta, capManagers): who gains, keeps and loses which fields on an update or an apply.
 */
final class Updater {

    static final String ANCIENT_CHANGES = "ancient-changes";

    /** The result of an apply: the object (null when it conflicts) and the conflicts by owner. */
    record Applied(ObjectNode object, ManagedSets managers, Map<ManagerId, FieldSet> conflicts) {
    }

    private Updater() {
    }

    /**
     * Records a non-apply change from {@code live} to {@code newObj} for {@code id}: the fields it added or changed
     * become its own (merged with what it owned before) and leave every other owner; removed fields leave everyone.
     */
    static void update(ObjectNode live, ObjectNode newObj, ManagedSets managers, ManagerId id, String apiVersion,
                       ListTypes types, FieldSet ignored, Instant now) {
        update(live, newObj, Comparison.of(live, newObj, types).without(ignored), managers, id, apiVersion, types,
                ignored, now, VersionConverter.NONE);
    }

    /**
     * {@link #update(ObjectNode, ObjectNode, ManagedSets, ManagerId, String, ListTypes, FieldSet, Instant)} for the
     * change {@code cmp} already found (without {@code ignored}), with the owners of other versions compared in their
     * own version through {@code converter}. {@code cmp}'s sets are used up.
     */
    static void update(ObjectNode live, ObjectNode newObj, Comparison cmp, ManagedSets managers, ManagerId id,
                       String apiVersion, ListTypes types, FieldSet ignored, Instant now,
                       VersionConverter converter) {
        VersionedComparisons cmps = new VersionedComparisons(live, newObj, apiVersion, cmp, converter, ignored);
        reconcile(cmps, managers, null, true);
        // cmp already leaves out what ignored covers, and difference() keeps only the paths to its members, so no
        // second recursiveDifference is needed; the set of changes is this request's own and used no more, so the
        // server's fields are taken out of it in place rather than in a copy
        FieldSet changed = cmps.changedIn(apiVersion).removeInPlace(ApplyFieldSets.SERVER_OWNED, false);
        if (changed.isEmpty()) {
            return;
        }
        ManagedSets.Owned previous = managers.get(id);
        FieldSet set = previous == null ? changed : changed.union(previous.set());
        managers.put(id, new ManagedSets.Owned(set, apiVersion, false));
        managers.times().put(id, now);
    }

    /**
     * Merges {@code config} into {@code live} for applier {@code id}: what it applies becomes its set, what it applied
     * before and no longer applies is removed unless someone else owns it, and changes to fields other managers own
     * are conflicts (moved to the applier when {@code force}). {@code managers} is not modified.
     */
    static Applied apply(ObjectNode live, ObjectNode config, ManagedSets managers, ManagerId id, String apiVersion,
                         boolean force, ListTypes types, FieldSet ignored, Instant now) {
        return apply(live, config, managers, id, apiVersion, force, types, ignored, now, VersionConverter.NONE);
    }

    /**
     * {@link #apply(ObjectNode, ObjectNode, ManagedSets, ManagerId, String, boolean, ListTypes, FieldSet, Instant)}
     * with the owners of other versions compared in their own version through {@code converter}. Pruning what the
     * applier applied last time is done in the request's version.
     */
    static Applied apply(ObjectNode live, ObjectNode config, ManagedSets managers, ManagerId id, String apiVersion,
                         boolean force, ListTypes types, FieldSet ignored, Instant now, VersionConverter converter) {
        ManagedSets m = managers.copy();
        ObjectNode merged = ConfigMerger.merge(live, config, types);
        ManagedSets.Owned last = m.get(id);
        FieldSet set = ApplyFieldSets.toFieldSet(config, types);
        if (ignored != null) {
            set = set.recursiveDifference(ignored);
        }
        m.put(id, new ManagedSets.Owned(set, apiVersion, true));
        merged = prune(merged, m, last == null ? null : last.set(), types);
        Comparison cmp = Comparison.of(live, merged, types).without(ignored);
        Map<ManagerId, FieldSet> conflicts = reconcile(
                new VersionedComparisons(live, merged, apiVersion, cmp, converter, ignored), m, id, force);
        if (!conflicts.isEmpty()) {
            return new Applied(null, managers, conflicts);
        }
        m.replaceSet(id, set.difference(ApplyFieldSets.SERVER_OWNED));
        if (JsonOrder.equal(live, merged)) {
            return new Applied(live, m, Map.of());
        }
        m.times().put(id, now);
        return new Applied(merged, m, Map.of());
    }

    /**
     * Removes what the applier owned last time and owns no longer, unless another owner (or its new configuration)
     * still claims it; fields keep their parents when anything below them is still owned.
     */
    private static ObjectNode prune(ObjectNode merged, ManagedSets managers, FieldSet lastSet, ListTypes types) {
        if (lastSet == null || lastSet.isEmpty()) {
            return merged;
        }
        FieldSet toRemove = lastSet.withFieldsAsMembers()
                .difference(managers.union().withFieldsAsMembers())
                .difference(ApplyFieldSets.SERVER_OWNED);
        return toRemove.isEmpty() ? merged : ItemRemover.remove(merged, toRemove, types);
    }

    /**
     * Takes the changed fields away from every owner but {@code workflow} and the removed fields too; returns the
     * conflicts instead, leaving {@code managers} alone, when there are some and {@code force} is false.
     */
    private static Map<ManagerId, FieldSet> reconcile(VersionedComparisons cmps, ManagedSets managers,
                                                      ManagerId workflow, boolean force) {
        if (!force) {
            Map<ManagerId, FieldSet> conflicts = new LinkedHashMap<>();
            for (Map.Entry<ManagerId, ManagedSets.Owned> e : managers.owners().entrySet()) {
                if (e.getKey().equals(workflow)) {
                    continue;
                }
                // most owners share nothing with the change: checked before an intersection is built
                FieldSet changed = cmps.changedIn(e.getValue().apiVersion());
                if (e.getValue().set().intersects(changed)) {
                    conflicts.put(e.getKey(), e.getValue().set().intersection(changed));
                }
            }
            if (!conflicts.isEmpty()) {
                return conflicts;
            }
        }
        for (ManagerId id : new ArrayList<>(managers.owners().keySet())) {
            if (id.equals(workflow)) {
                continue;
            }
            ManagedSets.Owned owned = managers.get(id);
            FieldSet set = owned.set();
            // taking away the changed fields an owner has (its conflicts) is taking away the changed fields: the
            // same members remain, without building the intersection first
            FieldSet changed = cmps.changedIn(owned.apiVersion());
            if (set.intersects(changed)) {
                set = set.difference(changed);
            }
            FieldSet removed = cmps.in(owned.apiVersion()).removed();
            if (!removed.isEmpty() && set.intersects(removed)) {
                set = set.difference(removed);
            }
            if (set == owned.set() && !set.isEmpty()) {
                continue; // untouched: the owner keeps its set (and so the FieldsV1 it was read from)
            }
            managers.replaceSet(id, set);
        }
        return Map.of();
    }

    /**
     * Keeps at most {@code max} Update owners: the oldest are merged, per API version, into one
     * {@code ancient-changes} owner (upstream's capManagersManager).
     */
    static void cap(ManagedSets managers, int max) {
        List<ManagerId> updaters = new ArrayList<>();
        managers.owners().forEach((id, o) -> {
            if (!o.applied()) {
                updaters.add(id);
            }
        });
        if (updaters.size() <= max) {
            return;
        }
        updaters.sort(Comparator.<ManagerId>comparingLong(id -> {
            Instant t = managers.times().get(id);
            return t == null ? 0 : t.getEpochSecond();
        }).thenComparing(ManagerId::json));
        Map<String, ManagerId> firstOfVersion = new HashMap<>();
        int length = updaters.size();
        for (int i = 0; i < updaters.size() && length > max; i++) {
            ManagerId id = updaters.get(i);
            ManagedSets.Owned owned = managers.get(id);
            Instant time = managers.times().get(id);
            String version = owned.apiVersion();
            ManagerId bucket = new ManagerId(ANCIENT_CHANGES, ManagerId.UPDATE, version, "");
            ManagerId first = firstOfVersion.get(version);
            if (first == null) {
                firstOfVersion.put(version, id);
                continue;
            }
            if (managers.get(bucket) == null) {
                ManagedSets.Owned moved = managers.owners().remove(first);
                managers.put(bucket, moved);
            }
            managers.put(bucket, new ManagedSets.Owned(owned.set().union(managers.get(bucket).set()), version,
                    owned.applied()));
            managers.owners().remove(id);
            length--;
            if (time == null) {
                managers.times().remove(bucket);
            } else {
                managers.times().put(bucket, time);
            }
        }
    }
}
