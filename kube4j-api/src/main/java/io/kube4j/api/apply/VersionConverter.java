package io.kube4j.api.apply;

import java.util.Set;
import tools.jackson.databind.node.ObjectNode;

/**
 * Converts an object to another version of its kind, so that owners recorded in that version (a managedFields entry
 * names the apiVersion its manager wrote with) are compared in their own field names, as structured-merge-diff's
 * Updater does through its Converter.
 */
@FunctionalInterface
public interface VersionConverter {

    /** Every object is known in its own version only: owners of other versions are compared in the request's. */
    VersionConverter NONE = new VersionConverter() {
        @Override
        public ObjectNode convert(ObjectNode object, String apiVersion) {
            return null;
        }

        @Override
        public boolean converts(String apiVersion) {
            return false;
        }
    };

    /**
     * {@code object} in {@code apiVersion}, a new object; null when this kind has no such version here. Must not
     * modify {@code object}.
     */
    ObjectNode convert(ObjectNode object, String apiVersion);

    /**
     * Whether {@link #convert} may answer an object (not null) for {@code apiVersion}. An owner of a version it
     * never converts to is compared in the request's version, so the field manager's shortcut may answer for it
     * ({@link UnchangedOwnership}); by default any version may convert, which keeps the shortcut to owners of the
     * request's own version.
     */
    default boolean converts(String apiVersion) {
        return true;
    }

    /**
     * {@code convert} limited to {@code versions}: null for any other, and {@link #NONE} when there are none (a kind
     * served in one version only), so that the shortcut knows it never needs to convert.
     */
    static VersionConverter of(Set<String> versions, VersionConverter convert) {
        if (versions.isEmpty()) {
            return NONE;
        }
        Set<String> known = Set.copyOf(versions);
        return new VersionConverter() {
            @Override
            public ObjectNode convert(ObjectNode object, String apiVersion) {
                return known.contains(apiVersion) ? convert.convert(object, apiVersion) : null;
            }

            @Override
            public boolean converts(String apiVersion) {
                return known.contains(apiVersion);
            }
        };
    }
}
