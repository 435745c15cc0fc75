package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Validates one kind of object, as upstream's {@code pkg/apis/<group>/validation}. */
public interface Validator {
    /** All errors of a new object (empty when valid). */
    List<FieldError> validateCreate(ObjectNode obj);

    /** All errors of an update of {@code old} to {@code obj}, including changes to immutable fields. */
    List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old);

    /**
     * Errors of an update through {@code subresource}: "" (the main resource) follows the update rules; "status"
     * and a subresource with rules of its own (pods' "ephemeralcontainers", jobs' "status") follow those.
     */
    default List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old, String subresource) {
        return validateUpdate(obj, old);
    }
}
