package io.kube4j.api.openapi;

import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The OpenAPI documents of the resources of one registry whose types fabric8 models, generated once at construction:
 * the Swagger 2.0 document of everything, and one OpenAPI v3 document per group-version, each with its serialized
 * bytes and content hash.
 */
final class Documents {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** One generated document, with the bytes served and their hash. */
    record Document(ObjectNode tree, byte[] json, String hash) {
        static Document of(ObjectNode tree) {
            byte[] json = MAPPER.writeValueAsBytes(tree);
            return new Document(tree, json, sha512(json));
        }
    }

    private final Document v2;
    /** {@code api/v1}, {@code apis/apps/v1} to their v3 documents, in discovery order. */
    private final Map<String, Document> v3 = new LinkedHashMap<>();

    Documents(ResourceRegistry registry) {
        List<ResourceType> resources = new ArrayList<>();
        Map<Operation.Kind, Class<?>> classes = new HashMap<>();
        for (ResourceType type : registry.all()) {
            Optional<Class<?>> model = ModelTypes.kindClass(type.group(), type.version(), type.kind());
            if (model.isEmpty()) {
                continue; // a custom resource: its schema lives in its CustomResourceDefinition
            }
            resources.add(type);
            kindClass(classes, type.group(), type.version(), type.kind());
            kindClass(classes, type.group(), type.version(), type.kind() + "List");
            for (Subresource subresource : type.subresources()) {
                if (!subresource.sameKindAsParent()) {
                    kindClass(classes, subresource.group(), subresource.version(), subresource.kind());
                }
            }
        }
        Set<String> groupVersions = new java.util.TreeSet<>();
        resources.forEach(r -> groupVersions.add(r.group() + "/" + r.version()));

        PatchExtensions patches = new PatchExtensions(BuiltinPatchSchema.instance());
        classes.forEach((kind, type) -> patches.addKind(kind.group(), kind.kind(), type));
        SchemaGenerator generator = new SchemaGenerator(patches);
        Map<Operation.Kind, String> definitions = new HashMap<>();
        classes.forEach((kind, type) -> {
            String name = generator.define(type);
            definitions.put(kind, name);
            generator.addKind(name, kind.group(), kind.version(), kind.kind());
        });
        defineMeta(generator, "Status", Set.of("/v1"));
        defineMeta(generator, "DeleteOptions", groupVersions);
        defineMeta(generator, "WatchEvent", groupVersions);
        defineMeta(generator, "Patch", Set.of());
        Map<String, ObjectNode> v2Definitions = generator.definitions();

        Operations operations = new Operations(definitions::get);
        Map<String, List<PathItem>> pathsByGroupVersion = new LinkedHashMap<>();
        List<PathItem> allPaths = new ArrayList<>();
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                List<PathItem> items = new ArrayList<>();
                for (ResourceType type : resources) {
                    if (type.group().equals(group) && type.version().equals(version)) {
                        items.addAll(operations.paths(type));
                    }
                }
                if (!items.isEmpty()) {
                    pathsByGroupVersion.put(relativePath(group, version), items);
                    allPaths.addAll(items);
                }
            }
        }
        v2 = Document.of(SwaggerWriter.document(allPaths, v2Definitions));

        Map<String, JsonNode> v3Schemas = new TreeMap<>();
        v2Definitions.forEach((name, schema) -> v3Schemas.put(name, V3Schemas.convert(schema)));
        pathsByGroupVersion.forEach((path, items) ->
                v3.put(path, Document.of(OpenApiV3Writer.document(items, v3Schemas))));
    }

    Document v2() {
        return v2;
    }

    /** The v3 document of {@code api/v1} or {@code apis/<group>/<version>}; null if none. */
    Document v3(String relativePath) {
        return v3.get(relativePath);
    }

    Set<String> v3Paths() {
        return v3.keySet();
    }

    static String relativePath(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }

    private static void kindClass(Map<Operation.Kind, Class<?>> classes, String group, String version, String kind) {
        ModelTypes.kindClass(group, version, kind)
                .ifPresent(type -> classes.putIfAbsent(new Operation.Kind(group, version, kind), type));
    }

    /** Defines a meta/v1 type and tags it with its kind in each group-version ({@code group/version}). */
    private static void defineMeta(SchemaGenerator generator, String kind, Set<String> groupVersions) {
        Class<?> type = ModelTypes.kindClass("", "v1", kind).orElseThrow();
        String name = generator.define(type);
        for (String groupVersion : new HashSet<>(groupVersions)) {
            int slash = groupVersion.indexOf('/');
            generator.addKind(name, groupVersion.substring(0, slash), groupVersion.substring(slash + 1), kind);
        }
    }

    private static String sha512(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-512").digest(bytes);
            return HexFormat.of().formatHex(digest).toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }

}
