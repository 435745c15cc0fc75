package io.kube4j.api.status;

/** One cause of a failure, as metav1.StatusCause: {@code reason} such as FieldValueInvalid, a message, a field path. */
public record StatusCause(String reason, String message, String field) {
}
