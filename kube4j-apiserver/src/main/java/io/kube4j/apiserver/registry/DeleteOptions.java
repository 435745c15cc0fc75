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
        String uid = null;
        String rv = null;
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
        if (request.body().length > 0) {
            JsonNode body;
            try {
                body = Json.parse(request.body());
            } catch (JacksonException e) {
                throw StatusException.badRequest("couldn't get version/kind; json parse error: " + e.getOriginalMessage());
            }
            if (body.isObject()) {
                if (body.path("gracePeriodSeconds").isNumber()) {
                    grace = body.path("gracePeriodSeconds").asLong();
                }
                if (Json.text(body, "propagationPolicy") != null) {
                    policy = Json.text(body, "propagationPolicy");
                }
                if (body.path("orphanDependents").asBoolean(false)) {
                    policy = "Orphan";
                }
                uid = Json.text(body, "preconditions", "uid");
                rv = Json.text(body, "preconditions", "resourceVersion");
            }
        }
        if (policy != null && !policy.equals("Orphan") && !policy.equals("Background") && !policy.equals("Foreground")) {
            throw StatusException.invalid("meta.k8s.io", "DeleteOptions", "", java.util.List.of(
                    new io.kube4j.api.status.StatusCause("FieldValueNotSupported", "Unsupported value: \"" + policy
                            + "\": supported values: \"Foreground\", \"Background\", \"Orphan\"", "propagationPolicy")));
        }
        if (grace != null && grace < 0) {
            grace = 0L;
        }
        return new DeleteOptions(grace, policy, uid, rv);
    }

    public static DeleteOptions defaults() {
        return new DeleteOptions(null, null, null, null);
    }
}
