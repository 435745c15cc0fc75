package io.kube4j.api.status;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Several errors as one message, as upstream's {@code utilerrors.NewAggregate(...).Error()} prints them: one alone,
 * several in brackets joined with ", ", a message repeated only once.
 */
public final class ErrorAggregate {

    private ErrorAggregate() {
    }

    public static String message(Collection<String> errors) {
        Set<String> distinct = new LinkedHashSet<>(errors);
        return distinct.size() == 1 ? distinct.iterator().next() : "[" + String.join(", ", distinct) + "]";
    }
}
