package io.kube4j.api.openapi;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;

/** Writes paths and definitions as a Swagger 2.0 document ({@code /openapi/v2}). */
final class SwaggerWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> PRODUCES = List.of("application/json", "application/yaml");

    private SwaggerWriter() {
    }

    static ObjectNode document(List<PathItem> items, Map<String, ObjectNode> definitions) {
        ObjectNode doc = NODES.objectNode();
        doc.put("swagger", "2.0");
        doc.putObject("info").put("title", "Kubernetes").put("version", OpenApi.INFO_VERSION);
        ObjectNode paths = doc.putObject("paths");
        items.stream().sorted(java.util.Comparator.comparing(PathItem::path))
                .forEach(item -> paths.set(item.path(), pathItem(item)));
        ObjectNode defs = doc.putObject("definitions");
        definitions.forEach(defs::set);
        doc.putObject("securityDefinitions").putObject("BearerToken")
                .put("description", "Bearer Token authentication").put("type", "apiKey")
                .put("name", "authorization").put("in", "header");
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
        ArrayNode consumes = node.putArray("consumes");
        if (operation.isPatch()) {
            Operation.PATCH_TYPES.forEach(consumes::add);
        } else {
            consumes.add("*/*");
        }
        node.put("description", operation.description());
        node.put("operationId", operation.operationId());
        ArrayNode parameters = node.putArray("parameters");
        if (operation.body() != null) {
            ObjectNode body = parameters.addObject();
            body.put("in", "body").put("name", "body");
            if (operation.bodyRequired()) {
                body.put("required", true);
            }
            body.putObject("schema").put("$ref", SchemaGenerator.REF + operation.body());
        }
        operation.parameters().forEach(p -> parameters.add(parameter(p)));
        ArrayNode produces = node.putArray("produces");
        PRODUCES.forEach(produces::add);
        if (operation.streaming()) {
            produces.add("application/json;stream=watch");
        }
        ObjectNode responses = node.putObject("responses");
        operation.responses().forEach((code, definition) -> {
            ObjectNode response = responses.putObject(code).put("description", Responses.describe(code));
            if (definition != null) {
                response.putObject("schema").put("$ref", SchemaGenerator.REF + definition);
            }
        });
        node.putArray("schemes").add("https");
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
        node.put("type", p.type());
        node.put("uniqueItems", true);
        return node;
    }
}
