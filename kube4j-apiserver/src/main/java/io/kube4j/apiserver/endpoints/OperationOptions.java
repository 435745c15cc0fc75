package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The options object of a write as admission sees it (upstream's {@code Attributes.GetOperationOptions}, sent to
 * webhooks and policies as {@code request.options}): CreateOptions for a create, UpdateOptions for an update - a patch
 * is either, its PatchOptions narrowed as upstream's patchToCreateOptions/patchToUpdateOptions do - and DeleteOptions
 * for a delete, each with its kind and apiVersion meta.k8s.io/v1 and only the fields the request set.
 */
final class OperationOptions {

    private static final String API_VERSION = "meta.k8s.io/v1";

    private OperationOptions() {
    }

    /** The options of {@code operation} as {@code request} gives them; null for CONNECT, which has none here. */
    static ObjectNode of(Operation operation, ApiRequest request) {
        return switch (operation) {
            case CREATE -> write("CreateOptions", request);
            case UPDATE -> write("UpdateOptions", request);
            case DELETE -> delete(DeleteOptionsReader.read(request));
            case CONNECT -> null;
        };
    }

    private static ObjectNode write(String kind, ApiRequest request) {
        ObjectNode options = typed(kind);
        dryRun(options, request);
        putIfSet(options, "fieldManager", request.param("fieldManager"));
        putIfSet(options, "fieldValidation", request.param("fieldValidation"));
        return options;
    }

    /** A delete's DeleteOptions as the request gave them (already read: a delete reads its body once). */
    static ObjectNode delete(DeleteOptions delete) {
        ObjectNode options = typed("DeleteOptions");
        if (delete.gracePeriodSeconds() != null) {
            options.put("gracePeriodSeconds", delete.gracePeriodSeconds());
        }
        if (delete.preconditionUid() != null || delete.preconditionResourceVersion() != null) {
            ObjectNode preconditions = options.putObject("preconditions");
            putIfSet(preconditions, "uid", delete.preconditionUid());
            putIfSet(preconditions, "resourceVersion", delete.preconditionResourceVersion());
        }
        if (delete.orphanDependents() != null) {
            options.put("orphanDependents", delete.orphanDependents());
        }
        putIfSet(options, "propagationPolicy", delete.propagationPolicy());
        if (delete.dryRun()) {
            // every value is All (anything else was refused)
            options.putArray("dryRun").add("All");
        }
        return options;
    }

    private static ObjectNode typed(String kind) {
        ObjectNode options = Json.object();
        options.put("kind", kind);
        options.put("apiVersion", API_VERSION);
        return options;
    }

    private static void dryRun(ObjectNode options, ApiRequest request) {
        List<String> values = request.query().get("dryRun");
        if (values != null && !values.isEmpty()) {
            ArrayNode dryRun = options.putArray("dryRun");
            values.forEach(dryRun::add);
        }
    }

    private static void putIfSet(ObjectNode node, String field, String value) {
        if (value != null && !value.isEmpty()) {
            node.put(field, value);
        }
    }
}
