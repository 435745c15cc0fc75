package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The {@code fieldValidation} parameter of create, update and patch: Strict refuses unknown fields with a 400,
 * Warn (the default, as upstream since 1.27) drops them and says so in {@code Warning} headers, Ignore drops
 * them silently.
 */
final class FieldValidation {

    private final String directive;
    private final List<String> warnings = new ArrayList<>();

    private FieldValidation(String directive) {
        this.directive = directive;
    }

    static FieldValidation of(ApiRequest request) {
        String value = request.param("fieldValidation");
        if (value == null || value.isEmpty()) {
            return new FieldValidation("Warn");
        }
        return switch (value) {
            case "Strict", "Warn", "Ignore" -> new FieldValidation(value);
            default -> throw StatusException.badRequest("fieldValidation must be one of \"Ignore\", \"Warn\", "
                    + "or \"Strict\"");
        };
    }

    /** Checks (and prunes) {@code obj} against the schema of its kind. */
    void check(ResourceType type, ObjectNode obj) {
        List<String> unknown = UnknownFields.prune(type.group(), type.version(), type.kind(), obj);
        if (unknown.isEmpty() || directive.equals("Ignore")) {
            return;
        }
        List<String> messages = unknown.stream().map(f -> "unknown field \"" + f + "\"").toList();
        if (directive.equals("Strict")) {
            throw StatusException.badRequest("strict decoding error: " + String.join(", ", messages));
        }
        warnings.addAll(messages);
    }

    /** The {@code Warning} header to answer with, if any. */
    Map<String, String> headers() {
        if (warnings.isEmpty()) {
            return Map.of();
        }
        return Map.of("Warning", warnings.stream().distinct()
                .map(m -> "299 - \"" + m.replace("\\", "\\\\").replace("\"", "\\\"") + "\"")
                .collect(Collectors.joining(", ")));
    }
}
