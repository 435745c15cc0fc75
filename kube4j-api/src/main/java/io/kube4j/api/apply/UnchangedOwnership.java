package io.kube4j.api.apply;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The field manager's shortcut for the commonest write: an update that only changes values of fields its manager
 * already owns and nobody else does (a client editing the object it created). The bookkeeping would decode every
 * owner's FieldsV1, take the changed fields from everyone, give them back to the manager and encode the result, all
 * to arrive at the entries it started from with the manager's time moved on. This class answers those entries from
 * the FieldsV1 as stored, without decoding them, and only when it can show that the full bookkeeping
 * ({@link Updater#update}, {@link Updater#cap}, {@link ManagedSets#encode}) would give exactly the same; in every
 * other case it answers null and the caller does the full work. Fields are never added or removed here, so
 * nobody gains or loses a field: whether an owner's set stays is a question of the changed paths alone.
 */
final class UnchangedOwnership {

    private UnchangedOwnership() {
    }

    /**
     * The managedFields after an update by {@code id}, or null when the full bookkeeping must find them.
     *
     * @param entries the entries the update starts from (parsed, not decoded), in stored order
     * @param cmp the update's comparison in {@code id}'s version, the fields it resets left out
     * @param converter the field manager's: an owner of another API version than {@code id}'s that it
     *                  {@link VersionConverter#converts converts to} may see another change (the full bookkeeping
     *                  compares in that version), one of a version it never converts to sees {@code cmp}
     * @return the entries in upstream's order, sharing the {@code fieldsV1} nodes of {@code entries}
     */
    static List<ManagedFieldsEntry> entries(List<ManagedFieldsEntry> entries, Comparison cmp, ManagerId id,
                                            Instant now, int maxUpdateManagers, VersionConverter converter) {
        if (entries.isEmpty() || !onlyValuesChanged(cmp)
                || !decodableAsTheyAre(entries, id.apiVersion(), maxUpdateManagers, converter)) {
            return null;
        }
        FieldSet changed = cmp.modified();
        // the request's gain: its changes without the server's fields (Updater.update)
        FieldSet gained = changed.difference(ApplyFieldSets.SERVER_OWNED);
        FieldSet serverFields = changed.intersection(ApplyFieldSets.SERVER_OWNED);
        ManagedFieldsEntry own = null;
        for (ManagedFieldsEntry e : entries) {
            if (ManagerId.of(e).equals(id)) {
                own = e;
                // it loses every changed field and gets back the ones it gains: its set stays when it held all of
                // those and none of the others
                if (!gained.isSubsetOfEncoded(e.fieldsV1()) || serverFields.intersectsEncoded(e.fieldsV1())) {
                    return null;
                }
            } else if (changed.intersectsEncoded(e.fieldsV1())) {
                return null; // another owner loses a field
            }
        }
        if (own == null && !gained.isEmpty()) {
            return null; // a new owner
        }
        List<ManagedFieldsEntry> out = new ArrayList<>(entries.size());
        for (ManagedFieldsEntry e : entries) {
            // a manager's time moves on whenever it gains fields, even those it had (upstream's managedFieldsUpdater)
            out.add(e == own && !gained.isEmpty() ? new ManagedFieldsEntry(e.manager(), e.operation(),
                    e.apiVersion(), now, e.fieldsType(), e.fieldsV1(), e.subresource()) : e);
        }
        out.sort(ManagedFields.ORDER);
        return out;
    }

    /**
     * Whether an update's change is one {@link #entries} may answer for: values changed, no field added or removed.
     * Asked first, as it is the cheapest way to tell that it cannot.
     */
    static boolean onlyValuesChanged(Comparison cmp) {
        return cmp.added().isEmpty() && cmp.removed().isEmpty();
    }

    /**
     * Whether the full bookkeeping would read every entry into an owner and write it back as it is: a valid
     * operation, API version and fields type, one entry per owner, a set that is not empty (empty owners are
     * dropped) written in its canonical FieldsV1 (any other form is written again) without a member root (which
     * a union loses), no owner compared in a version of its own, and no more Update owners than the cap keeps.
     */
    private static boolean decodableAsTheyAre(List<ManagedFieldsEntry> entries, String apiVersion,
                                              int maxUpdateManagers, VersionConverter converter) {
        Set<ManagerId> seen = new HashSet<>();
        int updaters = 0;
        for (ManagedFieldsEntry e : entries) {
            boolean update = e.operation().equals(ManagerId.UPDATE);
            if (!update && !e.operation().equals(ManagerId.APPLY)) {
                return false;
            }
            updaters += update ? 1 : 0;
            if (e.apiVersion().isEmpty() || !e.apiVersion().equals(apiVersion) && converter.converts(e.apiVersion())
                    || !e.fieldsType().equals(ManagedFields.FIELDS_V1) || !seen.add(ManagerId.of(e))) {
                return false;
            }
            JsonNode fields = e.fieldsV1();
            if (fields == null || !fields.isObject() || fields.isEmpty() || fields.has(".")
                    || !FieldSet.isCanonicalFieldsV1(fields)) {
                return false;
            }
        }
        return updaters <= maxUpdateManagers;
    }
}
