package io.kube4j.apiserver.discovery;

import io.kube4j.api.openapi.CustomResourceDocuments;
import io.kube4j.api.openapi.OpenApi;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.crd.CrdOpenApi;
import io.kube4j.apiserver.crd.CrdVersion;
import io.kube4j.apiserver.crd.CustomResourceStrategy;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAPI documents served: those of the built-in types from {@link OpenApi}, with the schemas of every served
 * version of every established CustomResourceDefinition added (read from the custom resources' strategies on each
 * request, so documents follow CRDs as they are added, changed or removed; a document is regenerated only when what
 * it is made of changed, and its hash in the v3 index changes with it so kubectl refetches it). A group-version
 * served only by other run-time resources gets a minimal v3 document (PATCH operations with
 * {@code x-kubernetes-group-version-kind} and the {@code fieldValidation} parameter), which is what kubectl looks
 * for to leave validation to the server. The built-in types' string fields upstream marks {@code +enum} get their
 * values ({@link OpenApiEnums}), and {@code /openapi/v2} is also served in the protobuf form client-go asks for
 * ({@link SwaggerProtobuf}).
 */
public final class OpenApiDocuments {

    /** A served custom resource version: equal values give equal documents (records compare schemas deeply). */
    private record Served(ResourceType type, CrdVersion version) {
    }

    /** A generated document and what it was generated from. */
    private record Generated(List<Served> from, byte[] json, String hash) {
    }

    /** A served document's bytes and its entity tag (unquoted), as kube-openapi's handlers pair them. */
    public record Document(byte[] bytes, String etag) {
    }

    /** The served v3 index and the run-time group-versions' document hashes (by path, in order) it lists. */
    private record Index(Map<String, String> runtimeHashes, Document document) {
    }

    /** The v2 document and what it was generated from; its protobuf form made when first asked for. */
    private static final class V2 {
        final List<Served> from;
        final Document json;
        private volatile Document protobuf;

        V2(List<Served> from, byte[] json) {
            this.from = from;
            this.json = new Document(json, sha512(json));
        }

        Document protobuf() {
            Document p = protobuf;
            if (p == null) {
                byte[] bytes = SwaggerProtobuf.document(Json.parse(json.bytes()));
                // each form its own tag, as upstream's JSON and protobuf caches: a client caching one never
                // revalidates it against the other
                p = new Document(bytes, sha512(bytes));
                protobuf = p;
            }
            return p;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(OpenApiDocuments.class);
    private static final String HASH = "?hash=";

    private final ResourceRegistry registry;
    private final Resources resources;
    private final OpenApiEnums enums = OpenApiEnums.builtin();
    private volatile V2 v2;
    private final Map<String, Generated> v3 = new ConcurrentHashMap<>();
    private volatile Index v3Index;
    /** The built-in v3 documents with their enums, by path; they never change while the server runs. */
    private final Map<String, byte[]> builtinV3 = new ConcurrentHashMap<>();
    /** A built-in document's hash to the hash of it with the enums. */
    private final Map<String, String> builtinHashes = new ConcurrentHashMap<>();

    /** {@code resources} null: no custom resource schemas (only their minimal documents). */
    public OpenApiDocuments(ResourceRegistry registry, Resources resources) {
        this.registry = registry;
        this.resources = resources;
    }

    public OpenApiDocuments(ResourceRegistry registry) {
        this(registry, null);
    }

    /** Generates the built-in documents off the request path, so the first kubectl does not wait for them. */
    public static void warmUp() {
        Thread thread = new Thread(OpenApi::v3Index, "openapi-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** {@code /openapi/v2} as JSON: the built-in document plus every served custom resource version. */
    public byte[] v2() {
        return currentV2().json.bytes();
    }

    /** {@link #v2()} with its entity tag. */
    public Document v2Document() {
        return currentV2().json;
    }

    /** {@link #v2Protobuf()} with its entity tag. */
    public Document v2ProtobufDocument() {
        return currentV2().protobuf();
    }

    /**
     * {@code /openapi/v2} as protobuf (gnostic's {@code openapi.v2.Document}), the form client-go asks for: the same
     * document as {@link #v2()}.
     */
    public byte[] v2Protobuf() {
        return currentV2().protobuf().bytes();
    }

    /** The v2 document, regenerated only when the served custom resource versions changed. */
    private V2 currentV2() {
        List<Served> served = new ArrayList<>();
        for (ResourceType type : registry.all()) {
            served(type).ifPresent(served::add);
        }
        V2 current = v2;
        if (current == null || !current.from.equals(served)) {
            ObjectNode doc = served.isEmpty() ? OpenApi.v2() : CustomResourceDocuments.v2(kinds(served));
            enums.apply((ObjectNode) doc.path("definitions"));
            current = new V2(List.copyOf(served), Json.bytes(doc));
            v2 = current;
        }
        return current;
    }

    /**
     * {@code /openapi/v3}: the built-in index plus the group-versions only run-time resources serve, parsed from
     * {@link #indexDocument()}.
     */
    public ObjectNode index() {
        return (ObjectNode) Json.parse(indexDocument().bytes());
    }

    /**
     * {@link #index()} as served, with its entity tag. The index is made of the built-in one, which never changes, and
     * the hash of each run-time group-version's document; it is serialised and hashed again only when those hashes
     * changed (a CRD added, changed or removed), not on every request: kubectl asks for it on each command.
     */
    public Document indexDocument() {
        Map<String, String> runtime = new LinkedHashMap<>();
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                if (OpenApi.v3Hash(group, version) == null) {
                    runtime.put(path(group, version), runtimeDocument(group, version).hash());
                }
            }
        }
        Index current = v3Index;
        if (current == null || !current.runtimeHashes().equals(runtime)) {
            byte[] bytes = Json.bytes(buildIndex(runtime));
            current = new Index(runtime, new Document(bytes, sha512(bytes)));
            v3Index = current;
            v3.keySet().retainAll(runtime.keySet());
        }
        return current.document();
    }

    /** The index document: the built-in paths (their hashes with the enums) and then {@code runtime}'s. */
    private ObjectNode buildIndex(Map<String, String> runtime) {
        ObjectNode doc = OpenApi.v3Index();
        ObjectNode paths = (ObjectNode) doc.path("paths");
        for (Map.Entry<String, JsonNode> entry : paths.properties()) {
            // the built-in documents are served with their enums: a hash that says so, for clients' caches
            String url = entry.getValue().path("serverRelativeURL").asString("");
            int at = url.indexOf(HASH);
            if (at >= 0) {
                at += HASH.length();
                ((ObjectNode) entry.getValue()).put("serverRelativeURL", url.substring(0, at)
                        + builtinHash(url.substring(at)));
            }
        }
        runtime.forEach((path, hash) -> paths.putObject(path).put("serverRelativeURL",
                "/openapi/v3/" + path + HASH + hash));
        return doc;
    }

    /** A built-in document's hash as the index publishes it: that of the document with the enums. */
    private String builtinHash(String generatedHash) {
        return builtinHashes.computeIfAbsent(generatedHash, h -> sha512(
                (h + "\n" + enums.fingerprint()).getBytes(StandardCharsets.UTF_8)));
    }

    /** {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/<g>/<v>} as JSON; null if not served. */
    public byte[] groupVersion(String relativePath) {
        Document document = groupVersionDocument(relativePath);
        return document == null ? null : document.bytes();
    }

    /**
     * {@link #groupVersion} with its entity tag, which is the hash the index names it by (upstream's handler tags a
     * document with that hash); null if not served.
     */
    public Document groupVersionDocument(String relativePath) {
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                if (path(group, version).equals(relativePath)) {
                    String builtin = OpenApi.v3Hash(group, version);
                    if (builtin != null) {
                        return new Document(builtinV3.computeIfAbsent(relativePath,
                                p -> builtinDocument(group, version)), builtinHash(builtin));
                    }
                    Generated generated = runtimeDocument(group, version);
                    return new Document(generated.json(), generated.hash());
                }
            }
        }
        return null;
    }

    /** A built-in group-version's v3 document with its enums. */
    private byte[] builtinDocument(String group, String version) {
        ObjectNode doc = OpenApi.v3(group, version);
        enums.apply((ObjectNode) doc.path("components").path("schemas"));
        return Json.bytes(doc);
    }

    /** The document of a group-version no built-in type serves, regenerated only when its resources changed. */
    private Generated runtimeDocument(String group, String version) {
        List<ResourceType> types = registry.resources(group, version);
        List<Served> served = new ArrayList<>();
        List<ResourceType> others = new ArrayList<>();
        for (ResourceType type : types) {
            served(type).ifPresentOrElse(served::add, () -> others.add(type));
        }
        String path = path(group, version);
        Generated cached = v3.get(path);
        List<Served> key = new ArrayList<>(served);
        others.forEach(t -> key.add(new Served(t, null)));
        if (cached != null && cached.from().equals(key)) {
            return cached;
        }
        ObjectNode doc = served.isEmpty() ? minimalDocument(group, version, others)
                : CustomResourceDocuments.v3(kinds(served));
        Generated generated = generate(key, doc);
        v3.put(path, generated);
        return generated;
    }

    private Optional<Served> served(ResourceType type) {
        if (resources == null) {
            return Optional.empty();
        }
        return resources.find(type.group(), type.version(), type.plural()).map(GenericRegistry::strategy)
                .filter(s -> s instanceof CustomResourceStrategy)
                .map(s -> new Served(type, ((CustomResourceStrategy) s).version()));
    }

    /** The definitions of each served version; one whose schema cannot be published is left out, not the rest. */
    private static List<CustomResourceDocuments.Kind> kinds(List<Served> served) {
        List<CustomResourceDocuments.Kind> kinds = new ArrayList<>();
        for (Served s : served) {
            try {
                kinds.add(CrdOpenApi.kind(s.type(), s.version()));
            } catch (RuntimeException e) {
                LOG.warn("no OpenAPI schema for {}/{} {}: {}", s.type().group(), s.type().version(), s.type().kind(),
                        e.toString());
            }
        }
        return kinds;
    }

    private static Generated generate(List<Served> from, ObjectNode doc) {
        byte[] json = Json.bytes(doc);
        return new Generated(List.copyOf(from), json, sha512(json));
    }

    private ObjectNode minimalDocument(String group, String version, List<ResourceType> resources) {
        ObjectNode doc = Json.object();
        doc.put("openapi", "3.0.0");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Kubernetes");
        info.put("version", VersionInfo.GIT_VERSION);
        ObjectNode paths = doc.putObject("paths");
        String prefix = "/" + path(group, version) + "/";
        for (ResourceType type : resources) {
            if (!type.supports("patch")) {
                continue;
            }
            String item = prefix + (type.namespaced() ? "namespaces/{namespace}/" : "") + type.plural() + "/{name}";
            ObjectNode patch = paths.putObject(item).putObject("patch");
            patch.put("operationId", "patch" + type.kind());
            ObjectNode gvk = patch.putObject("x-kubernetes-group-version-kind");
            gvk.put("group", group);
            gvk.put("version", version);
            gvk.put("kind", type.kind());
            patch.put("x-kubernetes-action", "patch");
            for (String param : List.of("dryRun", "fieldManager", "fieldValidation", "force")) {
                ObjectNode p = patch.withArray("parameters").addObject();
                p.put("name", param);
                p.put("in", "query");
                p.putObject("schema").put("type", param.equals("force") ? "boolean" : "string");
            }
            patch.putObject("responses").putObject("200").put("description", "OK");
        }
        doc.putObject("components").putObject("schemas");
        return doc;
    }

    /** Upper-case SHA-512 hex, as the built-in documents' hashes and kube-openapi's entity tags. */
    public static String sha512(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(bytes))
                    .toUpperCase(Locale.ROOT);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is part of every JDK", e);
        }
    }

    private static String path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
