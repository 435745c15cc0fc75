package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/** Validates one kind of object, as upstream's {@code pkg/apis/<group>/validation}. */
public interface Validator {
    /** All errors of a new object (empty when valid). */
    List<FieldError> validateCreate(ObjectNode obj);

    /** All errors of an update of {@code old} to {@code obj}, including changes to immutable fields. */
    List<FieldError> validateUpdate(ObjectNode obj, ObjectNode old);
}
