package io.kube4j.apiserver.registry;

import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

/**
 * How a served resource maps to the form its storage holds, for a resource served as a view of another's
 * storage (events.k8s.io/v1 Events over core/v1 Events, autoscaling/v1 HPAs over v2). Conversions return new
 * objects.
 */
public interface StoredForm {

    /** Objects are stored as served. */
    StoredForm AS_SERVED = new StoredForm() {
        @Override
        public ObjectNode toStored(ObjectNode served) {
            return served;
        }

        @Override
        public ObjectNode toServed(ObjectNode stored) {
            return stored;
        }

        @Override
        public boolean servesStoredBytes() {
            return true;
        }
    };

    ObjectNode toStored(ObjectNode served);

    ObjectNode toServed(ObjectNode stored);

    /**
     * Whether a stored object already in the served apiVersion is served byte for byte as stored, so lists can be
     * written from stored bytes ({@link StoredJson} still refuses bytes in another apiVersion, which are decoded
     * and converted).
     */
    default boolean servesStoredBytes() {
        return false;
    }

    /**
     * {@code served} in another version of its kind, or null when this form knows no such version: owners that wrote
     * in that version are compared in it (managedFields). Asked only for the versions of {@link #versions}.
     */
    default ObjectNode toVersion(ObjectNode served, String apiVersion) {
        return null;
    }

    /**
     * The apiVersions {@link #toVersion} converts to: none for a kind served in one version (or whose versions
     * differ in their apiVersion alone), so that the field manager knows no owner needs converting.
     */
    default Set<String> versions() {
        return Set.of();
    }

    /**
     * Called on a write once the registry has reset what the write may not change (status on create and on an
     * update of the main resource, spec on a status update): a form whose served objects carry stored status in
     * metadata (autoscaling/v1's round-trip annotations) replaces {@code obj}'s status carriers with those of
     * {@code statusMetadata} - the request's on a status update, the stored object's on a main update, none (null)
     * on create - as upstream, which decodes them with the request before its strategy runs, effectively does.
     */
    default void takeStatusCarriers(ObjectNode obj, ObjectNode statusMetadata) {
    }

    /**
     * Called on a status write whose annotations follow the request: a form whose served objects carry spec in
     * metadata (autoscaling/v1's metrics and behavior annotations) puts back those of {@code storedMetadata}, since
     * a status write may not change spec.
     */
    default void keepSpecCarriers(ObjectNode obj, ObjectNode storedMetadata) {
    }
}
