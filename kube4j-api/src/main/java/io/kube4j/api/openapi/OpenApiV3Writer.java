package io.kube4j.api.openapi;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

/**
 * Writes the OpenAPI v3 document of one group-version ({@code /openapi/v3/apis/apps/v1}): its paths and every schema
 * they reach.
 */
final class OpenApiV3Writer {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> RESPONSE_TYPES = List.of("application/json", "application/yaml");

    private OpenApiV3Writer() {
    }

    /** {@code schemas}: every definition already in v3 form. */
    static ObjectNode document(List<PathItem> items, Map<String, JsonNode> schemas) {
        ObjectNode doc = NODES.objectNode();
        ObjectNode paths = NODES.objectNode();
        items.stream().sorted(Comparator.comparing(PathItem::path))
                .forEach(item -> paths.set(item.path(), pathItem(item)));
        Deque<String> roots = new ArrayDeque<>();
        V3Schemas.collectRefs(paths, roots);
        ObjectNode components = doc.putObject("components");
        ObjectNode schemaNode = components.putObject("schemas");
        V3Schemas.closure(new HashSet<>(roots), schemas).forEach(schemaNode::set);
        components.putObject("securitySchemes").putObject("BearerToken")
                .put("description", "Bearer Token authentication").put("in", "header")
                .put("name", "authorization").put("type", "apiKey");
        doc.putObject("info").put("title", "Kubernetes").put("version", OpenApi.INFO_VERSION);
        doc.put("openapi", "3.0.0");
        doc.set("paths", paths);
        doc.putArray("security").addObject().putArray("BearerToken");
        return doc;
    }

    private static ObjectNode pathItem(PathItem item) {
        ObjectNode node = NODES.objectNode();
        for (Operation operation : item.operations()) {
            node.set(operation.method(), operation(operation));
        }
        ArrayNode parameters = node.putArray("parameters");
        item.parameters().forEach(p -> parameters.add(parameter(p)));
        return node;
    }

    private static ObjectNode operation(Operation operation) {
        ObjectNode node = NODES.objectNode();
        node.put("description", operation.description());
        node.put("operationId", operation.operationId());
        ArrayNode parameters = node.putArray("parameters");
        operation.parameters().forEach(p -> parameters.add(parameter(p)));
        if (operation.body() != null) {
            ObjectNode body = node.putObject("requestBody");
            ObjectNode content = body.putObject("content");
            List<String> types = operation.isPatch() ? Operation.PATCH_TYPES : List.of("*/*");
            for (String type : types) {
                content.putObject(type).putObject("schema").put("$ref", V3Schemas.REF + operation.body());
            }
            if (operation.bodyRequired()) {
                body.put("required", true);
            }
        }
        ObjectNode responses = node.putObject("responses");
        operation.responses().forEach((code, definition) -> {
            ObjectNode response = responses.putObject(code);
            if (definition != null) {
                ObjectNode content = response.putObject("content");
                for (String type : RESPONSE_TYPES) {
                    content.putObject(type).putObject("schema").put("$ref", V3Schemas.REF + definition);
                }
                if (operation.streaming()) {
                    content.putObject("application/json;stream=watch").putObject("schema")
                            .put("$ref", V3Schemas.REF + definition);
                }
            }
            response.put("description", Responses.describe(code));
        });
        node.putArray("tags").add(Operations.tag(operation.kind().group(), operation.kind().version()));
        node.put("x-kubernetes-action", operation.action());
        node.set("x-kubernetes-group-version-kind", Responses.gvk(operation.kind()));
        return node;
    }

    private static ObjectNode parameter(Parameter p) {
        ObjectNode node = NODES.objectNode();
        node.put("description", p.description());
        node.put("in", p.in());
        node.put("name", p.name());
        if (p.required()) {
            node.put("required", true);
        }
        node.putObject("schema").put("type", p.type()).put("uniqueItems", true);
        return node;
    }
}
