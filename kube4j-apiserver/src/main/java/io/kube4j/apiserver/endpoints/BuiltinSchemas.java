package io.kube4j.apiserver.endpoints;

import io.kube4j.api.openapi.OpenApi;
import tools.jackson.databind.JsonNode;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in OpenAPI v3 schemas of one group/version ({@code components.schemas}), as the request checks walk them
 * ({@link UnknownFields}, {@link FieldTypes}). Each kind's root schema is found once: finding it scans every schema of
 * the document, which was a visible share of every create and update.
 */
final class BuiltinSchemas {
    static final String REF_PREFIX = "#/components/schemas/";
    private static final Map<String, Optional<BuiltinSchemas>> BY_GROUP_VERSION = new ConcurrentHashMap<>();

    private final String group;
    private final String version;
    private final JsonNode all;
    private final Map<String, Optional<String>> roots = new ConcurrentHashMap<>();

    private BuiltinSchemas(String group, String version, JsonNode all) {
        this.group = group;
        this.version = version;
        this.all = all;
    }

    /** The schemas of a built-in group/version, or null for one without a document (custom resources). */
    static BuiltinSchemas of(String group, String version) {
        return BY_GROUP_VERSION.computeIfAbsent(group + "/" + version, gv -> Optional.ofNullable(OpenApi.v3(group, version))
                .map(doc -> new BuiltinSchemas(group, version, doc.path("components").path("schemas")))).orElse(null);
    }

    /** The schema named {@code name}, or null. */
    JsonNode get(String name) {
        return all.get(name);
    }

    /** The name of {@code kind}'s root schema (the one tagged with its group-version-kind), or null. */
    String rootName(String kind) {
        return roots.computeIfAbsent(kind, k -> {
            for (var entry : all.properties()) {
                for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                    if (gvk.path("group").asString("").equals(group) && gvk.path("version").asString("").equals(version)
                            && gvk.path("kind").asString("").equals(k)) {
                        return Optional.of(entry.getKey());
                    }
                }
            }
            return Optional.empty();
        }).orElse(null);
    }

    /**
     * The name of the schema {@code schema} refers to - by {@code $ref}, or by the {@code allOf: [{$ref}]} wrapper v3
     * documents put around refs with extensions - or null when it is not a reference into the document.
     */
    static String refName(JsonNode schema) {
        JsonNode ref = schema.get("$ref");
        if (ref == null && schema.path("allOf").size() == 1 && !schema.has("properties")) {
            ref = schema.path("allOf").get(0).get("$ref");
        }
        return ref == null || !ref.asString("").startsWith(REF_PREFIX) ? null
                : ref.asString().substring(REF_PREFIX.length());
    }
}
