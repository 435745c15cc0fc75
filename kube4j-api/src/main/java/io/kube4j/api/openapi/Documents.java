package io.kube4j.api.openapi;

import io.kube4j.api.patch.BuiltinPatchSchema;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.resource.Subresource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI documents of the resources of one registry whose types fabric8 models: the Swagger 2.0 document of
 * everything, generated at construction, and one OpenAPI v3 document per group-version, generated when first asked
 * for (kubectl fetches only the group-versions it needs). Each comes with its serialized bytes and a hash.
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

    /** Changes whenever the v3 writer's output format changes without the v2 document changing. */
    private static final String V3_FORMAT = "kube4j-openapi-v3/1";

    private final Document v2;
    /** {@code api/v1}, {@code apis/apps/v1} to their paths, in discovery order. */
    private final Map<String, List<PathItem>> v3Paths = new LinkedHashMap<>();
    private final Map<String, JsonNode> v3Schemas = new TreeMap<>();
    private final Map<String, Document> v3 = new ConcurrentHashMap<>();

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
        // loaded only while the definitions are generated: the documents keep the texts they use, not the rest
        SchemaGenerator generator = new SchemaGenerator(patches, UpstreamDescriptions.load());
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
                    v3Paths.put(relativePath(group, version), items);
                    allPaths.addAll(items);
                }
            }
        }
        v2 = Document.of(SwaggerWriter.document(allPaths, v2Definitions));
        v2Definitions.forEach((name, schema) -> v3Schemas.put(name, V3Schemas.convertDefinition(name, schema)));
    }

    Document v2() {
        return v2;
    }

    /** The v3 document of {@code api/v1} or {@code apis/<group>/<version>}; null if none. */
    Document v3(String relativePath) {
        List<PathItem> items = v3Paths.get(relativePath);
        if (items == null) {
            return null;
        }
        return v3.computeIfAbsent(relativePath, path -> {
            ObjectNode tree = OpenApiV3Writer.document(items, v3Schemas);
            return new Document(tree, MAPPER.writeValueAsBytes(tree), v3Hash(path));
        });
    }

    /** The group-versions with a v3 document, in discovery order. */
    Set<String> v3Paths() {
        return v3Paths.keySet();
    }

    /**
     * The hash of a v3 document, known without generating it: every v3 document is derived from the definitions and
     * paths the v2 document holds, so the v2 hash (with the path and the v3 format) changes whenever it does.
     */
    String v3Hash(String relativePath) {
        return sha512((v2.hash() + "\n" + relativePath + "\n" + V3_FORMAT).getBytes(StandardCharsets.UTF_8));
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
