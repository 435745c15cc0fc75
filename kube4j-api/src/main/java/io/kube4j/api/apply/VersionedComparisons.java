package io.kube4j.api.apply;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/**
 * One change (old to new object) compared in each version its owners wrote in: upstream's Updater converts both
 * objects to an owner's version and compares them there, so a v1 owner of {@code spec.targetCPUUtilizationPercentage}
 * loses it when a v2 writer changes the cpu metric it is converted from. Comparisons are made once per version.
 */
final class VersionedComparisons {

    private final ObjectNode live;
    private final ObjectNode newObj;
    private final String apiVersion;
    private final VersionConverter converter;
    private final FieldSet ignored;
    private final Map<String, Comparison> byVersion = new HashMap<>();
    private final Map<Comparison, FieldSet> changed = new java.util.IdentityHashMap<>();

    /** {@code own} is the change compared in the request's {@code apiVersion}, with {@code ignored} left out. */
    VersionedComparisons(ObjectNode live, ObjectNode newObj, String apiVersion, Comparison own,
                         VersionConverter converter, FieldSet ignored) {
        this.live = live;
        this.newObj = newObj;
        this.apiVersion = apiVersion;
        this.converter = converter;
        this.ignored = ignored;
        byVersion.put(apiVersion, own);
    }

    /** The change as an owner of {@code version} sees it; the request's version's when it cannot be converted. */
    Comparison in(String version) {
        Comparison c = byVersion.get(version);
        if (c != null) {
            return c;
        }
        Comparison converted = convertedComparison(version);
        c = converted == null ? byVersion.get(apiVersion) : converted;
        byVersion.put(version, c);
        return c;
    }

    /**
     * The fields the change adds or modifies as an owner of {@code version} sees them, made once per comparison
     * rather than once per owner. Not to be modified while owners are reconciled against it ({@link Updater#update}
     * takes the server's fields out of the request version's set once they have been).
     */
    FieldSet changedIn(String version) {
        return changed.computeIfAbsent(in(version),
                c -> c.modified().isEmpty() ? c.added() : c.modified().union(c.added()));
    }

    private Comparison convertedComparison(String version) {
        if (version == null || version.isEmpty()) {
            return null;
        }
        ObjectNode l = converter.convert(live, version);
        ObjectNode r = converter.convert(newObj, version);
        if (l == null || r == null) {
            return null;
        }
        // compared whole, metadata too: what the conversion writes there (HPA v1's round-trip annotations) is the
        // owner's to lose as well
        return Comparison.of(l, r, ListTypes.forObject(r)).without(ignored);
    }
}
