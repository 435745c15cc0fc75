package io.kube4j.api.status;

import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * A request failed in a way the client should hear about as a metav1.Status: an HTTP code, a machine
 * readable reason, a human message and optional details. The factories build the same messages upstream's
 * {@code k8s.io/apimachinery/pkg/api/errors} does, because kubectl prints them as they are.
 *
 * <p>{@code resource} arguments are the plural resource name; {@code group} is empty for the core group.
 */
public class StatusException extends RuntimeException {

    private final int code;
    private final StatusReason reason;
    private final StatusDetails details;

    public StatusException(int code, StatusReason reason, String message, StatusDetails details) {
        super(message, null, false, false);
        this.code = code;
        this.reason = reason;
        this.details = details;
    }

    public StatusException(StatusReason reason, String message, StatusDetails details) {
        this(reason.code(), reason, message, details);
    }

    public int code() {
        return code;
    }

    public StatusReason reason() {
        return reason;
    }

    /** May be null. */
    public StatusDetails details() {
        return details;
    }

    public static String qualified(String group, String resource) {
        return group == null || group.isEmpty() ? resource : resource + "." + group;
    }

    public static StatusException notFound(String group, String resource, String name) {
        String what = qualified(group, resource);
        String message = name == null || name.isEmpty() ? what + " not found" : what + " \"" + name + "\" not found";
        return new StatusException(StatusReason.NOT_FOUND, message, StatusDetails.of(name, group, resource));
    }

    /**
     * The 404 of a path the server does not serve (an unknown resource or subresource), as upstream's go-restful
     * service error words it: no resource, no name. Clients tell it from a missing object by the empty details -
     * {@code kubectl debug} then says ephemeral containers are disabled instead of naming the pod as not found.
     */
    public static StatusException pathNotFound() {
        return new StatusException(StatusReason.NOT_FOUND, "the server could not find the requested resource",
                NO_DETAILS);
    }

    /**
     * Details that are there but say nothing, sent as upstream's {@code "details":{}}: kubectl debug reads
     * {@code details.name} of a 404 without checking that details came (it panicked on a Status without them).
     */
    private static final StatusDetails NO_DETAILS = StatusDetails.of("", "", "");

    public static StatusException alreadyExists(String group, String resource, String name) {
        return new StatusException(StatusReason.ALREADY_EXISTS,
                qualified(group, resource) + " \"" + name + "\" already exists",
                StatusDetails.of(name, group, resource));
    }

    public static StatusException conflict(String group, String resource, String name, String why) {
        return new StatusException(StatusReason.CONFLICT,
                "Operation cannot be fulfilled on " + qualified(group, resource) + " \"" + name + "\": " + why,
                StatusDetails.of(name, group, resource));
    }

    /** The 409 of an update whose resourceVersion is stale, worded as upstream's OptimisticLockErrorMsg. */
    public static StatusException staleResourceVersion(String group, String resource, String name) {
        return conflict(group, resource, name,
                "the object has been modified; please apply your changes to the latest version and try again");
    }

    /**
     * 422: {@code kind} is the Kind (Pod), each cause a field error. The message lists the causes the way
     * upstream's NewInvalid does: one inline, several in brackets.
     */
    public static StatusException invalid(String group, String kind, String name, List<StatusCause> causes) {
        StringBuilder message = new StringBuilder(qualified(group, kind)).append(" \"").append(name)
                .append("\" is invalid");
        if (causes.size() == 1) {
            message.append(": ").append(causeText(causes.get(0)));
        } else if (causes.size() > 1) {
            message.append(": [");
            for (int i = 0; i < causes.size(); i++) {
                message.append(i == 0 ? "" : ", ").append(causeText(causes.get(i)));
            }
            message.append(']');
        }
        return new StatusException(StatusReason.INVALID, message.toString(),
                new StatusDetails(name, group, kind, null, causes, 0));
    }

    private static String causeText(StatusCause cause) {
        return cause.field() == null || cause.field().isEmpty() ? cause.message()
                : cause.field() + ": " + cause.message();
    }

    public static StatusException badRequest(String message) {
        return new StatusException(StatusReason.BAD_REQUEST, message, null);
    }

    /**
     * A method not served on a path that is served with others - upstream's router (go-restful) answers it before
     * any resource code, so the Status names nothing: {@code kubectl get bindings} prints this message.
     */
    public static StatusException methodNotAllowedOnPath() {
        return new StatusException(StatusReason.METHOD_NOT_ALLOWED,
                "the server does not allow this method on the requested resource", NO_DETAILS);
    }

    public static StatusException methodNotAllowed(String group, String resource, String action) {
        return new StatusException(StatusReason.METHOD_NOT_ALLOWED,
                action + " is not supported on resources of kind \"" + qualified(group, resource) + "\"",
                StatusDetails.of(null, group, resource));
    }

    public static StatusException unsupportedMediaType(String contentType, List<String> accepted) {
        return new StatusException(StatusReason.UNSUPPORTED_MEDIA_TYPE,
                "the body of the request was in an unknown format - accepted media types include: "
                        + String.join(", ", accepted), null);
    }

    public static StatusException notAcceptable(List<String> accepted) {
        return new StatusException(StatusReason.NOT_ACCEPTABLE,
                "only the following media types are accepted: " + String.join(", ", accepted), null);
    }

    public static StatusException requestEntityTooLarge(long limitBytes) {
        return new StatusException(StatusReason.REQUEST_ENTITY_TOO_LARGE,
                "Request entity too large: limit is " + limitBytes, null);
    }

    public static StatusException gone(String message) {
        return new StatusException(StatusReason.GONE, message, null);
    }

    /** 410 Expired: a continue token or resourceVersion older than the compacted history. */
    public static StatusException expired(String message) {
        return new StatusException(StatusReason.EXPIRED, message, null);
    }

    public static StatusException internalError(Throwable cause) {
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return internalError(text);
    }

    public static StatusException internalError(String text) {
        return new StatusException(StatusReason.INTERNAL_ERROR, "Internal error occurred: " + text,
                new StatusDetails(null, null, null, null, List.of(new StatusCause(null, text, null)), 0));
    }

    public static StatusException forbidden(String group, String resource, String name, String why) {
        String what = qualified(group, resource);
        String message = name == null || name.isEmpty() ? what + " is forbidden: " + why
                : what + " \"" + name + "\" is forbidden: " + why;
        return new StatusException(StatusReason.FORBIDDEN, message, StatusDetails.of(name, group, resource));
    }

    public static StatusException unauthorized(String message) {
        return new StatusException(StatusReason.UNAUTHORIZED, message == null ? "Unauthorized" : message, null);
    }

    public static StatusException notImplemented(String message) {
        return new StatusException(StatusReason.NOT_IMPLEMENTED, message, null);
    }

    public static StatusException serviceUnavailable(String message) {
        return new StatusException(StatusReason.SERVICE_UNAVAILABLE, message, null);
    }

    public static StatusException timeout(String message) {
        return new StatusException(StatusReason.TIMEOUT, message, null);
    }

    /** The failure as a metav1.Status object, field for field as upstream serialises it. */
    public ObjectNode toStatus() {
        ObjectNode status = Statuses.failure(code, reason.wireName(), getMessage(), details);
        if (details == NO_DETAILS) {
            status.remove("code"); // upstream's field order: details, then code
            status.putObject("details");
            status.put("code", code);
        }
        return status;
    }
}
