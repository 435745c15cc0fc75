package io.kube4j.apiserver.registry;

import io.kube4j.api.apply.FieldSet;
import io.kube4j.api.apply.ListTypes;
import io.kube4j.api.validation.FieldError;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Set;

/**
 * What one resource adds to the generic registry, as upstream's {@code pkg/registry/<group>/<resource>/strategy.go}:
 * how a new or updated object is prepared, validated, which fields can be selected on, and what happens
 * around writes. Defaults suit a plain resource; a resource overrides what it needs.
 */
public interface ResourceStrategy {

    /** Field selector labels every resource supports. */
    Set<String> META_FIELDS = Set.of("metadata.name", "metadata.namespace");

    /**
     * The metadata a status write changes under upstream's built-in status strategies that reset spec only
     * (jobs, services, nodes, ...): the system fields stay as stored whatever the strategy (rest.BeforeUpdate).
     */
    Set<String> USER_METADATA = Set.of("labels", "annotations", "finalizers", "ownerReferences");

    /** Called on a new object after the generic metadata is set: reset status, set defaults. */
    default void prepareForCreate(ObjectNode obj) {
    }

    /**
     * Called on an update of the main resource, {@code obj} being the new object and {@code old} the stored
     * one: typically keeps old's status.
     */
    default void prepareForUpdate(ObjectNode obj, ObjectNode old) {
        if (hasStatus() && old.has("status")) {
            obj.set("status", old.get("status").deepCopy());
        } else if (hasStatus()) {
            obj.remove("status");
        }
    }

    /** Called on an update through the status subresource: only status (and some metadata) may change. */
    default void prepareForStatusUpdate(ObjectNode obj, ObjectNode old) {
        for (var field : old.properties()) {
            if (!field.getKey().equals("status") && !field.getKey().equals("metadata")) {
                obj.set(field.getKey(), field.getValue().deepCopy());
            }
        }
        for (var field : List.copyOf(obj.propertyNames())) {
            if (!old.has(field) && !field.equals("status") && !field.equals("metadata")) {
                obj.remove(field);
            }
        }
    }

    /**
     * The metadata fields a write through the status subresource takes from the request; the rest of metadata stays
     * as stored, and uid, name, namespace, creation and deletion stamps and generation always do. By default none:
     * upstream's custom resource status strategy keeps all of metadata but managedFields.
     */
    default Set<String> statusWritableMetadata() {
        return Set.of();
    }

    /**
     * Called on an update through a write subresource other than status (pods/ephemeralcontainers): keeps of
     * {@code obj} only what that subresource may change, the rest as {@code old} has it. A resource that serves no
     * such subresource never sees this call; the default treats it as an update of the main resource.
     */
    default void prepareForSubresourceUpdate(String subresource, ObjectNode obj, ObjectNode old) {
        prepareForUpdate(obj, old);
    }

    /** Errors of a new object beyond the generic validators'. */
    default List<FieldError> validateCreate(ObjectNode obj) {
        return List.of();
    }

    default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old) {
        return List.of();
    }

    /**
     * Errors of an update through {@code subresource} ("" the main resource, "status", or another write
     * subresource): by default those of {@link #validateUpdate(ObjectNode, ObjectNode)}; a kind whose rules differ
     * by subresource (certificatesigningrequests: approval alone may add an approval) says so here.
     */
    default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        return validateUpdate(obj, old);
    }

    /** Whether the resource has a status subresource (its main updates keep status). */
    boolean hasStatus();

    /** How server-side apply merges the lists and maps of {@code obj} (built-in types: their patch metadata). */
    default ListTypes listTypes(ObjectNode obj) {
        return ListTypes.forObject(obj);
    }

    /**
     * The fields a write through the main resource ({@code statusSubresource} false) or the status subresource
     * resets, which therefore nobody owns through it: status, respectively spec.
     */
    default FieldSet resetFields(boolean statusSubresource) {
        if (!hasStatus()) {
            return null;
        }
        return ResetFields.of(statusSubresource ? "spec" : "status");
    }

    /**
     * The fields a write through {@code subresource} resets: "" the main resource, "status", or another write
     * subresource. By default those of {@link #resetFields(boolean)}; a kind whose own subresource resets other
     * fields (certificatesigningrequests/approval) says so here.
     */
    default FieldSet resetFields(String subresource) {
        return resetFields(subresource.equals("status"));
    }

    /** Whether metadata.generation counts spec changes (custom resources: always; built-in kinds as upstream's). */
    default boolean tracksGeneration() {
        return true;
    }

    /**
     * Whether a create sets metadata.generation to 1 (else it stores none); by default whenever the generation is
     * tracked. CSIDriver's upstream strategy tracks it without setting it on create.
     */
    default boolean startsGeneration() {
        return tracksGeneration();
    }

    /** Whether a change of metadata.labels counts as a spec change for the generation (EndpointSlices). */
    default boolean labelsBumpGeneration() {
        return false;
    }

    /** Whether a PUT of a missing object creates it. */
    default boolean allowCreateOnUpdate() {
        return false;
    }

    /** Field selector labels beyond {@link #META_FIELDS}. */
    default Set<String> selectableFields() {
        return Set.of();
    }

    /** The value of a field selector label on {@code obj}; null if unset. */
    default String fieldValue(ObjectNode obj, String field) {
        return FieldPaths.value(obj, field);
    }

    /** The lease TTL in seconds to store objects with, or 0 for none. */
    default long ttlSeconds() {
        return 0;
    }

    /** Called after a create is stored (allocations are committed, etc.). */
    default void afterCreate(ObjectNode created) {
    }

    /** Called after a delete is stored: free what the object held. */
    default void afterDelete(ObjectNode deleted) {
    }

    /** Called before a create is stored: allocate what the object needs. Undone by {@link #rollbackCreate}. */
    default void beforeCreate(ObjectNode obj, boolean dryRun) {
    }

    default void rollbackCreate(ObjectNode obj) {
    }

    /**
     * Whether something besides metadata.finalizers keeps a deleted object (namespaces: spec.finalizers); a
     * marked object that nothing holds is removed by the update that frees it.
     */
    default boolean holdsDeletion(ObjectNode obj) {
        return false;
    }

    /**
     * Adds the finalizers a delete puts on {@code obj} before deciding whether it is removed or only marked (CRDs:
     * the cleanup of their instances); true if any was added.
     */
    default boolean addFinalizersOnDelete(ObjectNode obj) {
        return false;
    }

    /**
     * Refuses the delete of one named object before anything is read, with a {@code StatusException} (the system
     * priority classes); a delete of a collection does not ask, as upstream's DeleteCollection does not.
     */
    default void checkDelete(String namespace, String name) {
    }

    /** Called before an object is marked for deletion (its deletionTimestamp set). */
    default void beforeDelete(ObjectNode obj) {
    }

    /** The Table columns when they are not the kind's built-in ones (custom resources); null for the built-in. */
    default io.kube4j.api.printers.TablePrinter tablePrinter() {
        return null;
    }

    /** Whether strategic merge patch applies: custom resources have no patch strategies, so upstream says 415. */
    default boolean supportsStrategicMergePatch() {
        return true;
    }

    /** The autoscaling/v1 Scale of {@code obj} when its replicas are not at spec.replicas; null for that mapping. */
    default ObjectNode toScale(ObjectNode obj) {
        return null;
    }

    /** Sets the replicas of a scale write on {@code obj} when {@link #toScale} is custom; false otherwise. */
    default boolean setScaleReplicas(ObjectNode obj, long replicas) {
        return false;
    }

    /** Called before an update is stored (allocation changes). */
    default void beforeUpdate(ObjectNode obj, ObjectNode old, boolean dryRun) {
    }
}
