package io.kube4j.api.apply;

import tools.jackson.databind.node.ObjectNode;

/**
 * Converts an object to another version of its kind, so that owners recorded in that version (a managedFields entry
 * names the apiVersion its manager wrote with) are compared in their own field names, as structured-merge-diff's
 * Updater does through its Converter.
 */
@FunctionalInterface
public interface VersionConverter {

    /** Every object is known in its own version only: owners of other versions are compared in the request's. */
    VersionConverter NONE = (object, apiVersion) -> null;

    /**
     * {@code object} in {@code apiVersion}, a new object; null when this kind has no such version here. Must not
     * modify {@code object}.
     */
    ObjectNode convert(ObjectNode object, String apiVersion);
}
