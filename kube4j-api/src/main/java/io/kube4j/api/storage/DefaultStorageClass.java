package io.kube4j.api.storage;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Which StorageClass is the cluster's default, as upstream's storage util GetDefaultClass decides it, for its two
 * callers: the DefaultStorageClass admission plugin (classes as JSON) and the PV binder's retroactive assignment
 * (fabric8 classes). A class is a default when either the GA or the beta annotation says {@code "true"}; among several
 * the newest wins, then the first by name, so every caller picks the same one.
 */
public final class DefaultStorageClass {
    public static final String ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    public static final String BETA_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";

    private DefaultStorageClass() {
    }

    /** Upstream's IsDefaultAnnotation. */
    public static boolean isDefault(Map<String, String> annotations) {
        return annotations != null
                && ("true".equals(annotations.get(ANNOTATION)) || "true".equals(annotations.get(BETA_ANNOTATION)));
    }

    /**
     * The default among {@code classes}, read through the three accessors (annotations, creationTimestamp as RFC 3339,
     * name); empty when none is marked default.
     */
    public static <T> Optional<T> choose(Collection<T> classes, Function<T, Map<String, String>> annotations,
                                         Function<T, String> creationTimestamp, Function<T, String> name) {
        Comparator<T> newestFirst = Comparator.comparing((T c) -> created(creationTimestamp.apply(c)),
                Comparator.reverseOrder());
        return classes.stream().filter(c -> isDefault(annotations.apply(c)))
                .min(newestFirst.thenComparing(c -> String.valueOf(name.apply(c))));
    }

    /** An unset or unreadable timestamp sorts as the oldest, so that a well-formed class is never shadowed by it. */
    private static Instant created(String timestamp) {
        if (timestamp == null || timestamp.isEmpty()) {
            return Instant.EPOCH;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }
}
