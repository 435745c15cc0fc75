package io.kube4j.apiserver.discovery;

import io.kube4j.api.openapi.CustomResourceDocuments;
import io.kube4j.api.openapi.OpenApi;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.crd.CrdOpenApi;
import io.kube4j.apiserver.crd.CustomResourceStrategy;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kinds the server serves and each kind's schema as its published OpenAPI v3 document gives it (a built-in
 * type's, or a custom resource version's with ObjectMeta and the rest it references), made self-contained: every
 * reference replaced by the schema it names, as upstream's schema resolver does for admission policy type checking.
 * A reference back into a schema being resolved (a recursive type) becomes an untyped schema.
 */
public final class KindSchemas {

    private static final String REF_PREFIX = "#/components/schemas/";
    /** The keywords a schema keeps: what typing it reads, not descriptions, defaults or validations. */
    private static final List<String> KEPT = List.of("type", "format", "x-kubernetes-int-or-string",
            "x-kubernetes-embedded-resource", "x-kubernetes-preserve-unknown-fields");
    /** Built-in kinds' schemas, by group/version/kind: they never change while the server runs. */
    private static final Map<String, Optional<ObjectNode>> BUILTIN = new ConcurrentHashMap<>();

    private final ResourceRegistry registry;
    private final Resources resources;

    public KindSchemas(ResourceRegistry registry, Resources resources) {
        this.registry = registry;
        this.resources = resources;
    }

    /** The kind served as {@code group/version/resource}, if that resource is served. */
    public Optional<String> kindFor(String group, String version, String resource) {
        return registry.find(group, version, resource).map(ResourceType::kind);
    }

    /** The self-contained schema of {@code group/version/kind}, if the kind is served and has one. */
    public Optional<ObjectNode> schema(String group, String version, String kind) {
        Optional<ResourceType> type = registry.findByKind(group, version, kind);
        if (type.isEmpty()) {
            return Optional.empty();
        }
        Optional<CustomResourceStrategy> custom = resources.find(group, version, type.get().plural())
                .map(GenericRegistry::strategy)
                .filter(CustomResourceStrategy.class::isInstance).map(CustomResourceStrategy.class::cast);
        if (custom.isPresent()) {
            CustomResourceDocuments.Kind definitions = CrdOpenApi.kind(type.get(), custom.get().version());
            JsonNode schemas = CustomResourceDocuments.v3(List.of(definitions)).path("components").path("schemas");
            return Optional.of(resolve(schemas, schemas.get(definitions.definition())));
        }
        return BUILTIN.computeIfAbsent(group + "/" + version + "/" + kind, k -> {
            ObjectNode document = OpenApi.v3(group, version);
            if (document == null) {
                return Optional.empty();
            }
            JsonNode schemas = document.path("components").path("schemas");
            for (JsonNode schema : schemas) {
                if (declares(schema, group, version, kind)) {
                    return Optional.of(resolve(schemas, schema));
                }
            }
            return Optional.empty();
        });
    }

    /** Whether {@code schema} is the root of {@code group/version/kind} ({@code x-kubernetes-group-version-kind}). */
    private static boolean declares(JsonNode schema, String group, String version, String kind) {
        for (JsonNode gvk : schema.path("x-kubernetes-group-version-kind")) {
            if (gvk.path("group").asString("").equals(group) && gvk.path("version").asString("").equals(version)
                    && gvk.path("kind").asString("").equals(kind)) {
                return true;
            }
        }
        return false;
    }

    private static ObjectNode resolve(JsonNode schemas, JsonNode root) {
        return resolve(schemas, root, new ArrayDeque<>());
    }

    /** {@code schema} with its references followed; {@code resolving} names the references on the way here. */
    private static ObjectNode resolve(JsonNode schemas, JsonNode schema, Deque<String> resolving) {
        if (schema == null || !schema.isObject()) {
            return Json.object();
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.size() == 1) {
            // v3's way of describing a reference: {allOf: [{$ref}], description}
            return resolve(schemas, allOf.get(0), resolving);
        }
        String ref = schema.path("$ref").asString("");
        if (ref.startsWith(REF_PREFIX)) {
            String name = ref.substring(REF_PREFIX.length());
            if (resolving.contains(name)) {
                return Json.object().put("x-kubernetes-preserve-unknown-fields", true);
            }
            resolving.push(name);
            try {
                return resolve(schemas, schemas.get(name), resolving);
            } finally {
                resolving.pop();
            }
        }
        ObjectNode out = Json.object();
        for (String keyword : KEPT) {
            if (schema.has(keyword)) {
                out.set(keyword, schema.get(keyword));
            }
        }
        if ("int-or-string".equals(schema.path("format").asString(""))) {
            // built-in IntOrString and Quantity say so by their format, as upstream's schema adaptor reads it
            out.put("x-kubernetes-int-or-string", true);
        }
        if (schema.get("properties") instanceof ObjectNode properties) {
            ObjectNode resolved = out.putObject("properties");
            properties.properties().forEach(e -> resolved.set(e.getKey(), resolve(schemas, e.getValue(),
                    resolving)));
        }
        if (schema.has("items")) {
            out.set("items", resolve(schemas, schema.get("items"), resolving));
        }
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null) {
            out.set("additionalProperties", additional.isObject() ? resolve(schemas, additional, resolving)
                    : additional);
        }
        return out;
    }
}
