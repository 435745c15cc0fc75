package io.kube4j.api.apply;

import io.kube4j.api.status.StatusException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Keeps {@code metadata.managedFields} as kube-apiserver's field manager does: {@link #update} records who changed
 * what on create, update and non-apply patch requests; {@link #apply} performs server-side apply. Objects are generic
 * JSON trees in the request's version. Stateless and thread-safe.
 */
public final class FieldManager {

    /** Upstream's cap on Update entries before the oldest are merged into {@code ancient-changes}. */
    public static final int DEFAULT_MAX_UPDATE_MANAGERS = 10;
    /** The owner of the fields an object had before its first apply, when it had no managedFields. */
    public static final String BEFORE_FIRST_APPLY = "before-first-apply";

    private static final Logger LOG = LoggerFactory.getLogger(FieldManager.class);

    private final int maxUpdateManagers;
    private final VersionConverter converter;
    /**
     * Whether {@link UnchangedOwnership} may answer an update and {@link CreatedFields} a create; off only to test
     * them against the full bookkeeping.
     */
    private final boolean shortcuts;

    public FieldManager() {
        this(DEFAULT_MAX_UPDATE_MANAGERS);
    }

    public FieldManager(int maxUpdateManagers) {
        this(maxUpdateManagers, VersionConverter.NONE);
    }

    /**
     * A field manager for a kind served in several versions: owners recorded in another version than a request's
     * are compared through {@code converter} in theirs.
     */
    public FieldManager(VersionConverter converter) {
        this(DEFAULT_MAX_UPDATE_MANAGERS, converter);
    }

    public FieldManager(int maxUpdateManagers, VersionConverter converter) {
        this(maxUpdateManagers, converter, true);
    }

    FieldManager(int maxUpdateManagers, VersionConverter converter, boolean shortcuts) {
        this.maxUpdateManagers = maxUpdateManagers;
        this.converter = converter;
        this.shortcuts = shortcuts;
    }

    /** The part of a User-Agent before the first {@code /}: {@code kubectl/v1.32.4 (linux/amd64)} gives kubectl. */
    public static String prefixFromUserAgent(String userAgent) {
        if (userAgent == null) {
            return "";
        }
        int slash = userAgent.indexOf('/');
        return slash < 0 ? userAgent : userAgent.substring(0, slash);
    }

    /** The {@code fieldManager} query parameter, or when it is empty the User-Agent's prefix (upstream's default). */
    public static String managerOrUserAgent(String fieldManager, String userAgent) {
        return fieldManager == null || fieldManager.isEmpty() ? prefixFromUserAgent(userAgent) : fieldManager;
    }

    /**
     * Checks that an applied configuration is of the kind the request addresses.
     *
     * @throws StatusException 400 {@code invalid object type: apps/v1, Kind=Deployment} as upstream's version check
     */
    public static void checkApplyType(JsonNode applied, String apiVersion, String kind) {
        String av = applied.path("apiVersion").asString("");
        String k = applied.path("kind").asString("");
        if (!av.equals(apiVersion) || !k.equals(kind)) {
            String gv = av.contains("/") ? av : "/" + av;
            throw StatusException.badRequest("invalid object type: " + gv + ", Kind=" + k);
        }
    }

    /** {@link #update(ObjectNode, ObjectNode, String, String, ListTypes, FieldSet, Instant)} with built-in types. */
    public ObjectNode update(ObjectNode liveOrNull, ObjectNode newObj, String manager, String subresource,
                             Instant now) {
        return update(liveOrNull, newObj, manager, subresource, ListTypes.forObject(newObj), null, now);
    }

    /**
     * Records a create ({@code liveOrNull} null), update or non-apply patch: the fields that differ between the live
     * and the new object go to {@code manager} (an Update entry for the request's apiVersion and subresource) and
     * leave every other owner. Managed fields the client sent are kept when valid, cleared when they are {@code []}
     * or {@code [{}]}, and otherwise those of the live object are used; a subresource request cannot change them.
     * An existing object without managedFields stays without.
     *
     * @param newObj the object to store, after defaulting; it is modified (its managedFields) and returned
     * @param resetFields fields the strategy resets for this (sub)resource, which nobody owns through it; or null
     */
    public ObjectNode update(ObjectNode liveOrNull, ObjectNode newObj, String manager, String subresource,
                             ListTypes types, FieldSet resetFields, Instant now) {
        updateEntries(liveOrNull, newObj, manager, subresource, types, resetFields, now);
        return newObj;
    }

    /**
     * {@link #update(ObjectNode, ObjectNode, String, String, ListTypes, FieldSet, Instant)}, answering the entries it
     * left in {@code newObj}'s managedFields, in their order there (empty when it has none): a caller that validates
     * them need not parse back what was just written.
     */
    public List<ManagedFieldsEntry> updateEntries(ObjectNode liveOrNull, ObjectNode newObj, String manager,
                                                  String subresource, ListTypes types, FieldSet resetFields,
                                                  Instant now) {
        if (!(newObj.get("metadata") == null || newObj.get("metadata").isObject())) {
            return List.of(); // no metadata object, so no managedFields either
        }
        boolean isSubresource = subresource != null && !subresource.isEmpty();
        JsonNode sent = isSubresource ? null : newObj.path("metadata").get("managedFields");
        ManagedFields.remove(newObj);
        String apiVersion = newObj.path("apiVersion").asString("");
        ManagerId id = new ManagerId(manager == null || manager.isEmpty() ? "unknown" : manager, ManagerId.UPDATE,
                apiVersion, subresource);
        // only read from here on (compared, converted), so a view rather than a deep copy of the live object
        ObjectNode base = liveOrNull == null ? null : viewWithoutManagedFields(liveOrNull);
        if (liveOrNull == null && shortcuts && CreatedFields.startsWithoutOwners(sent)) {
            List<ManagedFieldsEntry> created = CreatedFields.entries(newObj, id, types, resetFields, now);
            if (created != null) {
                ManagedFields.writeEncoded(newObj, created);
                return created;
            }
        }
        Comparison cmp = null;
        if (liveOrNull != null && shortcuts) {
            Shortcut shortcut = unchangedOwnership(liveOrNull, base, newObj, sent, id, types, resetFields, now);
            if (shortcut.entries() != null) {
                ManagedFields.writeEncoded(newObj, shortcut.entries());
                return shortcut.entries();
            }
            cmp = shortcut.comparison();
        }
        ManagedSets managers = managersForUpdate(liveOrNull, sent);
        if (managers.isEmpty() && liveOrNull != null) {
            return List.of();
        }
        if (base == null) {
            base = EmptyObjects.of(newObj);
        }
        try {
            if (cmp == null) {
                cmp = Comparison.of(base, newObj, types).without(resetFields);
            }
            Updater.update(base, newObj, cmp, managers, id, apiVersion, types, resetFields, now, converter);
        } catch (ApplyException e) {
            // Upstream's UpdateNoErrors: a request never fails for its managedFields; they are dropped instead.
            LOG.warn("failed to update managedFields of {}: {}", apiVersion, e.getMessage());
            return List.of();
        }
        Updater.cap(managers, maxUpdateManagers);
        List<ManagedFieldsEntry> entries = managers.encode();
        ManagedFields.writeEncoded(newObj, entries);
        return entries;
    }

    /** {@link #apply(ObjectNode, ObjectNode, String, String, boolean, ListTypes, FieldSet, Instant)} on the main resource. */
    public ApplyResult apply(ObjectNode liveOrNull, ObjectNode applied, String manager, boolean force,
                             ListTypes types, Instant now) {
        return apply(liveOrNull, applied, manager, "", force, types, null, now);
    }

    /**
     * Server-side apply of {@code applied} (the request body) by {@code manager} to the live object (null to create
     * it). Neither input is modified.
     *
     * @return the object to store with its managedFields, or the conflicts when fields owned by others would change
     *         and {@code force} is false
     * @throws StatusException 400 when the configuration carries managedFields; 500 when it or the live object
     *                         cannot be read against the schema (a list item without its key, duplicates)
     */
    public ApplyResult apply(ObjectNode liveOrNull, ObjectNode applied, String manager, String subresource,
                             boolean force, ListTypes types, FieldSet resetFields, Instant now) {
        JsonNode sent = applied.path("metadata").get("managedFields");
        if (sent != null && !sent.isNull()) {
            throw StatusException.badRequest("metadata.managedFields must be nil");
        }
        try {
            ApplyFieldSets.toFieldSet(applied, types);
        } catch (ApplyException e) {
            throw StatusException.internalError("failed to create typed patch object (" + gvk(applied) + "): "
                    + e.getMessage());
        }
        ManagedSets managers;
        try {
            managers = liveOrNull == null ? new ManagedSets() : ManagedFields.decode(ManagedFields.of(liveOrNull));
        } catch (RuntimeException e) {
            throw StatusException.internalError("failed to decode managed fields: " + e.getMessage());
        }
        try {
            return doApply(liveOrNull, applied, manager, subresource, force, types, resetFields, now, managers);
        } catch (ApplyException e) {
            throw StatusException.internalError(e.getMessage());
        }
    }

    private ApplyResult doApply(ObjectNode liveOrNull, ObjectNode applied, String manager, String subresource,
                                boolean force, ListTypes types, FieldSet resetFields, Instant now,
                                ManagedSets managers) {
        ObjectNode base = liveOrNull == null ? JsonNodeFactory.instance.objectNode()
                : withoutManagedFields(liveOrNull);
        String apiVersion = applied.path("apiVersion").asString("");
        if (managers.isEmpty() && liveOrNull != null) {
            // Whatever the object held before anyone tracked it belongs to someone, not to nobody.
            Updater.update(EmptyObjects.of(base), base, managers,
                    new ManagerId(BEFORE_FIRST_APPLY, ManagerId.UPDATE, apiVersion, subresource), apiVersion, types,
                    resetFields, now);
            Updater.cap(managers, maxUpdateManagers);
        }
        ManagerId id = new ManagerId(manager, ManagerId.APPLY, "", subresource);
        Updater.Applied result = Updater.apply(base, applied, managers, id, apiVersion, force, types, resetFields,
                now, converter);
        if (!result.conflicts().isEmpty() && manager != null && manager.startsWith("kubectl")) {
            result = allowClientSideApplyConflicts(base, applied, managers, id, apiVersion, types, resetFields, now,
                    result, converter);
        }
        if (!result.conflicts().isEmpty()) {
            return new ApplyResult(null, conflicts(result.conflicts()));
        }
        ManagedSets out = result.managers();
        Updater.cap(out, maxUpdateManagers);
        ObjectNode object = result.object() == base ? base.deepCopy() : result.object();
        if ("kubectl".equals(manager)) {
            LastApplied.update(object, applied);
        }
        ManagedFields.writeEncoded(object, out.encode());
        return new ApplyResult(object, List.of());
    }

    /**
     * kubectl moving from client-side to server-side apply: fields its last-applied annotation set, and that still
     * hold those values, are not conflicts (upstream's lastAppliedManager).
     */
    private static Updater.Applied allowClientSideApplyConflicts(ObjectNode base, ObjectNode applied,
                                                                 ManagedSets managers, ManagerId id,
                                                                 String apiVersion, ListTypes types,
                                                                 FieldSet resetFields, Instant now,
                                                                 Updater.Applied result,
                                                                 VersionConverter converter) {
        FieldSet allowed = LastApplied.allowedConflicts(base, types);
        if (allowed == null) {
            return result;
        }
        Map<ManagerId, FieldSet> remaining = new java.util.LinkedHashMap<>();
        result.conflicts().forEach((owner, set) -> {
            FieldSet left = set.difference(allowed);
            if (!left.isEmpty()) {
                remaining.put(owner, left);
            }
        });
        if (!remaining.isEmpty()) {
            return new Updater.Applied(null, managers, remaining);
        }
        return Updater.apply(base, applied, managers, id, apiVersion, true, types, resetFields, now, converter);
    }

    private static List<Conflict> conflicts(Map<ManagerId, FieldSet> byOwner) {
        List<ManagerId> owners = new ArrayList<>(byOwner.keySet());
        owners.sort(Comparator.comparing(ManagerId::json));
        List<Conflict> out = new ArrayList<>();
        for (ManagerId owner : owners) {
            for (List<PathElement> path : byOwner.get(owner).paths()) {
                out.add(new Conflict(FieldSet.format(path), owner.manager(), owner.describe()));
            }
        }
        return out;
    }

    /**
     * The owners an update starts from: those of {@code sent}, the managedFields the request carried (null for a
     * subresource, which cannot change them), when valid, else the live object's.
     */
    private static ManagedSets managersForUpdate(ObjectNode live, JsonNode sent) {
        if (sent != null) {
            if (ManagedFields.isReset(sent)) {
                return new ManagedSets();
            }
            try {
                // the request's own nodes, already removed from it, so they may go back into it as they are
                ManagedSets m = ManagedFields.decode(ManagedFields.parse(sent), false);
                if (!m.isEmpty()) {
                    return m;
                }
            } catch (RuntimeException e) {
                // Invalid managedFields from a client are ignored: the live object's are kept.
            }
        }
        if (live == null) {
            return new ManagedSets();
        }
        try {
            return ManagedFields.decode(ManagedFields.of(live));
        } catch (RuntimeException e) {
            return new ManagedSets();
        }
    }

    /** What {@link #unchangedOwnership} found: the entries when it could tell them, and the comparison if made. */
    record Shortcut(List<ManagedFieldsEntry> entries, Comparison comparison) {
    }

    /**
     * {@link UnchangedOwnership}'s answer for an update of {@code live}. {@code base} and {@code newObj} are the live
     * and the request's object without managedFields, {@code sent} those the request carried (null for none).
     */
    Shortcut unchangedOwnership(ObjectNode live, ObjectNode base, ObjectNode newObj, JsonNode sent, ManagerId id,
                                ListTypes types, FieldSet resetFields, Instant now) {
        // the entries the full bookkeeping starts from: the request's when it sent some, as long as they are valid
        // (the shortcut takes no others), else the live object's
        boolean sentSome = sent != null && !sent.isNull();
        JsonNode source = sentSome ? sent : live.path("metadata").get("managedFields");
        if (source == null) {
            return new Shortcut(null, null);
        }
        Comparison cmp;
        try {
            cmp = Comparison.of(base, newObj, types).without(resetFields);
        } catch (RuntimeException e) {
            return new Shortcut(null, null); // the full bookkeeping finds the same fault and answers for it
        }
        if (!UnchangedOwnership.onlyValuesChanged(cmp)) {
            return new Shortcut(null, cmp); // before the entries are even parsed
        }
        List<ManagedFieldsEntry> entries;
        try {
            // the request's own nodes may go into it as they are; the live object's are copied if used
            entries = ManagedFields.parse(source);
        } catch (RuntimeException e) {
            return new Shortcut(null, cmp);
        }
        List<ManagedFieldsEntry> out = UnchangedOwnership.entries(entries, cmp, id, now, maxUpdateManagers,
                converter);
        if (out != null && !sentSome) {
            out = out.stream().map(e -> new ManagedFieldsEntry(e.manager(), e.operation(), e.apiVersion(), e.time(),
                    e.fieldsType(), e.fieldsV1().deepCopy(), e.subresource())).toList();
        }
        return new Shortcut(out, cmp);
    }

    /**
     * {@code object} without metadata.managedFields for reading only: a new root and metadata that share every other
     * node with {@code object} (fields in the same order), or {@code object} itself when it has no managedFields.
     */
    private static ObjectNode viewWithoutManagedFields(ObjectNode object) {
        if (!(object.get("metadata") instanceof ObjectNode metadata) || !metadata.has("managedFields")) {
            return object;
        }
        ObjectNode meta = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : metadata.properties()) {
            if (!e.getKey().equals("managedFields")) {
                meta.set(e.getKey(), e.getValue());
            }
        }
        ObjectNode view = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, JsonNode> e : object.properties()) {
            view.set(e.getKey(), e.getKey().equals("metadata") ? meta : e.getValue());
        }
        return view;
    }

    private static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ManagedFields.remove(copy);
        return copy;
    }

    private static String gvk(JsonNode object) {
        String av = object.path("apiVersion").asString("");
        return (av.contains("/") ? av : "/" + av) + ", Kind=" + object.path("kind").asString("");
    }
}
