package io.kube4j.apiserver.registry;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** The options of a delete, from the query and/or a DeleteOptions body (the body wins, as upstream). */
public record DeleteOptions(Long gracePeriodSeconds, String propagationPolicy, String preconditionUid,
                            String preconditionResourceVersion) {

    public static DeleteOptions from(ApiRequest request) {
        Long grace = null;
        String policy = request.param("propagationPolicy");
        if (request.param("gracePeriodSeconds") != null) {
            try {
                grace = Long.parseLong(request.param("gracePeriodSeconds"));
            } catch (NumberFormatException e) {
                throw StatusException.badRequest("invalid gracePeriodSeconds: " + request.param("gracePeriodSeconds"));
            }
        }
        if (request.booleanParam("orphanDependents")) {
            policy = "Orphan";
        }
        DeleteOptions fromQuery = new DeleteOptions(grace, policy, null, null);
        if (request.body().length > 0) {
            JsonNode body;
            try {
                body = Json.parse(request.body());
            } catch (JacksonException e) {
                throw StatusException.badRequest("couldn't get version/kind; json parse error: " + e.getOriginalMessage());
            }
            if (body.isObject()) {
                return fromQuery.overlaidBy(body);
            }
        }
        return fromQuery.checked();
    }

    /** The options of a DeleteOptions object carried inside another body (an Eviction's {@code deleteOptions}). */
    public static DeleteOptions fromJson(JsonNode options) {
        return options == null || !options.isObject() ? defaults() : defaults().overlaidBy(options);
    }

    /** These options with what a DeleteOptions JSON object sets taking precedence. */
    private DeleteOptions overlaidBy(JsonNode body) {
        Long grace = gracePeriodSeconds;
        String policy = propagationPolicy;
        if (body.path("gracePeriodSeconds").isNumber()) {
            grace = body.path("gracePeriodSeconds").asLong();
        }
        if (Json.text(body, "propagationPolicy") != null) {
            policy = Json.text(body, "propagationPolicy");
        }
        if (body.path("orphanDependents").asBoolean(false)) {
            policy = "Orphan";
        }
        return new DeleteOptions(grace, policy, Json.text(body, "preconditions", "uid"),
                Json.text(body, "preconditions", "resourceVersion")).checked();
    }

    /** Refuses an unknown propagation policy; a negative grace period means "now", as upstream. */
    private DeleteOptions checked() {
        String policy = propagationPolicy;
        if (policy != null && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
            throw StatusException.invalid("meta.k8s.io", "DeleteOptions", "", java.util.List.of(
                    new io.kube4j.api.status.StatusCause("FieldValueNotSupported", "Unsupported value: \"" + policy
                            + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")));
        }
        if (gracePeriodSeconds != null && gracePeriodSeconds < 0) {
            return new DeleteOptions(0L, policy, preconditionUid, preconditionResourceVersion);
        }
        return this;
    }

    /** These options with the precondition that the object still has {@code resourceVersion}. */
    public DeleteOptions withResourceVersion(String resourceVersion) {
        return new DeleteOptions(gracePeriodSeconds, propagationPolicy, preconditionUid, resourceVersion);
    }

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null);
    }
}
