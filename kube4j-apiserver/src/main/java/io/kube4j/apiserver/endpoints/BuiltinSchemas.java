package io.kube4j.apiserver.endpoints;

import io.kube4j.api.openapi.OpenApi;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The built-in OpenAPI v3 schemas of one group/version ({@code components.schemas}), as the request checks walk them
 * ({@link BuiltinFieldCheck}). Each kind's root schema is found once: finding it scans every schema of
 * the document, which was a visible share of every create and update.
 */
final class BuiltinSchemas {
    static final String REF_PREFIX = "#/components/schemas/";
    /** By group, then version: looked up without making a group/version key on every create and update. */
    private static final Map<String, Map<String, Optional<BuiltinSchemas>>> BY_GROUP = new ConcurrentHashMap<>();

    private final String group;
    private final String version;
    private final JsonNode all;
    private final Map<String, Optional<String>> roots = new ConcurrentHashMap<>();
    private final Map<String, Optional<Node>> nodes = new ConcurrentHashMap<>();

    private BuiltinSchemas(String group, String version, JsonNode all) {
        this.group = group;
        this.version = version;
        this.all = all;
    }

    /** The schemas of a built-in group/version, or null for one without a document (custom resources). */
    static BuiltinSchemas of(String group, String version) {
        Map<String, Optional<BuiltinSchemas>> versions = BY_GROUP.get(group);
        Optional<BuiltinSchemas> schemas = versions == null ? null : versions.get(version);
        if (schemas == null) {
            schemas = BY_GROUP.computeIfAbsent(group, g -> new ConcurrentHashMap<>()).computeIfAbsent(version,
                    v -> Optional.ofNullable(OpenApi.v3(group, version))
                            .map(doc -> new BuiltinSchemas(group, version, doc.path("components").path("schemas"))));
        }
        return schemas.orElse(null);
    }

    /** The schema named {@code name} as the request checks walk it, or null. */
    Node node(String name) {
        Optional<Node> node = nodes.get(name); // before computeIfAbsent, whose lambda would be made per call
        if (node == null) {
            node = nodes.computeIfAbsent(name, n -> Optional.ofNullable(all.get(n)).map(Node::new));
        }
        return node.orElse(null);
    }

    /**
     * A schema with what the request checks read of it worked out once, not for every value they check against it:
     * each read of a schema keyword was a map lookup, several per field of every object written. References are
     * kept as names ({@link #ref}) and followed through {@link #node(String)}, so that recursive schemas stay finite.
     */
    static final class Node {
        final JsonNode schema;
        /** The schema referred to (see {@link #refName}), or null. */
        final String ref;
        final boolean preservesUnknownFields;
        final boolean intOrString;
        /** The declared {@code type} ("" for none) and {@code format} ("" for none). */
        final String type;
        final String format;
        /** A struct's fields, or null; a map's value schema ({@code additionalProperties}), or null; list items. */
        final Map<String, Node> properties;
        final Node additional;
        final Node items;

        private Node(JsonNode schema) {
            this.schema = schema;
            this.ref = refName(schema);
            this.preservesUnknownFields = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
            this.type = schema.path("type").asString("");
            this.format = schema.path("format").asString("");
            // upstream's IntOrString: format int-or-string (v2 beside type string, v3 beside oneOf integer/string),
            // never the x-kubernetes-int-or-string of custom resource schemas, which is accepted too
            this.intOrString = format.equals("int-or-string")
                    || schema.path("x-kubernetes-int-or-string").asBoolean(false);
            if (schema.get("properties") instanceof ObjectNode declared) {
                Map<String, Node> fields = new HashMap<>();
                for (Map.Entry<String, JsonNode> e : declared.properties()) {
                    fields.put(e.getKey(), new Node(e.getValue()));
                }
                this.properties = fields;
            } else {
                this.properties = null;
            }
            this.additional = schema.get("additionalProperties") instanceof ObjectNode value ? new Node(value) : null;
            JsonNode item = schema.get("items");
            this.items = item == null ? null : new Node(item);
        }
    }

    /** The name of {@code kind}'s root schema (the one tagged with its group-version-kind), or null. */
    String rootName(String kind) {
        Optional<String> known = roots.get(kind);
        return (known != null ? known : roots.computeIfAbsent(kind, k -> {
            for (var entry : all.properties()) {
                for (JsonNode gvk : entry.getValue().path("x-kubernetes-group-version-kind")) {
                    if (gvk.path("group").asString("").equals(group) && gvk.path("version").asString("").equals(version)
                            && gvk.path("kind").asString("").equals(k)) {
                        return Optional.of(entry.getKey());
                    }
                }
            }
            return Optional.empty();
        })).orElse(null);
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
