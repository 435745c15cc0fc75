package io.kube4j.apiserver.discovery;

import io.kube4j.api.openapi.OpenApi;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The OpenAPI documents served: those of the built-in types from {@link OpenApi}, and for a group-version only
 * custom resources serve a minimal v3 document (PATCH operations with {@code x-kubernetes-group-version-kind} and
 * the {@code fieldValidation} parameter), which is what kubectl looks for to leave validation to the server.
 */
public final class OpenApiDocuments {

    private final ResourceRegistry registry;

    public OpenApiDocuments(ResourceRegistry registry) {
        this.registry = registry;
    }

    /** Generates the built-in documents off the request path, so the first kubectl does not wait for them. */
    public static void warmUp() {
        Thread thread = new Thread(OpenApi::v3Index, "openapi-warmup");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        thread.start();
    }

    /** {@code /openapi/v2} as JSON. */
    public byte[] v2() {
        return OpenApi.v2Json();
    }

    /** {@code /openapi/v3}: the built-in index plus the group-versions only custom resources serve. */
    public ObjectNode index() {
        ObjectNode doc = OpenApi.v3Index();
        ObjectNode paths = (ObjectNode) doc.path("paths");
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                String path = path(group, version);
                if (!paths.has(path)) {
                    paths.putObject(path).put("serverRelativeURL", "/openapi/v3/" + path + "?hash="
                            + hash(group, version));
                }
            }
        }
        return doc;
    }

    /** {@code /openapi/v3/api/v1} or {@code /openapi/v3/apis/<g>/<v>} as JSON; null if not served. */
    public byte[] groupVersion(String relativePath) {
        for (String group : registry.groups()) {
            for (String version : registry.versions(group)) {
                if (path(group, version).equals(relativePath)) {
                    byte[] builtin = OpenApi.v3Json(group, version);
                    return builtin != null ? builtin
                            : Json.bytes(document(group, version, registry.resources(group, version)));
                }
            }
        }
        return null;
    }

    private ObjectNode document(String group, String version, List<ResourceType> resources) {
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

    private String hash(String group, String version) {
        int h = 17;
        for (ResourceType type : registry.resources(group, version)) {
            h = 31 * h + type.hashCode();
        }
        return Integer.toHexString(h);
    }

    private static String path(String group, String version) {
        return group.isEmpty() ? "api/" + version : "apis/" + group + "/" + version;
    }
}
