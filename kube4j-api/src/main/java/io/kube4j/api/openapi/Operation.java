package io.kube4j.api.openapi;

import java.util.List;
import java.util.Map;

/**
 * One HTTP operation of a path, independent of the document format.
 *
 * @param method      lower-case HTTP method
 * @param action      {@code x-kubernetes-action}: get, list, put, patch, delete, deletecollection, post, watch, ...
 * @param body        definition name of the request body, null for none
 * @param bodyRequired whether the body must be sent
 * @param responses   status code to definition name of the response (null for a response without body)
 * @param streaming   whether the 200 response can be a watch stream
 */
record Operation(String method, String operationId, String description, String action, Kind kind,
                 List<Parameter> parameters, String body, boolean bodyRequired, Map<String, String> responses,
                 boolean streaming) {

    /** A group, version and kind ({@code x-kubernetes-group-version-kind}). */
    record Kind(String group, String version, String kind) {
    }

    /** The media types of a PATCH body: the four patch flavours. */
    static final List<String> PATCH_TYPES = List.of("application/apply-patch+yaml", "application/json-patch+json",
            "application/merge-patch+json", "application/strategic-merge-patch+json");

    boolean isPatch() {
        return method.equals("patch");
    }
}
