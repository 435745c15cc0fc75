package io.kube4j.api.openapi;

import io.kube4j.api.resource.ResourceRegistry;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The OpenAPI documents of every built-in type kube4j serves, as upstream publishes them: {@code /openapi/v2}
 * (Swagger 2.0) and {@code /openapi/v3/<api/v1 | apis/group/version>}, with upstream's definition names and the
 * {@code x-kubernetes-*} extensions kubectl reads ({@code apply}, {@code explain}, {@code diff}, validation).
 * Generated from the fabric8 model classes and the built-in resource registry on first use, then cached.
 * Custom resources are not included: their schemas come from their CustomResourceDefinitions.
 */
public final class OpenApi {

    /** {@code info.version} of the documents; upstream's checked-in documents say "unversioned" too. */
    static final String INFO_VERSION = "unversioned";

    private OpenApi() {
    }

    /** The Swagger 2.0 document (a copy the caller may change). */
    public static ObjectNode v2() {
        return Holder.DOCUMENTS.v2().tree().deepCopy();
    }

    /** The Swagger 2.0 document as JSON bytes, ready to send. */
    public static byte[] v2Json() {
        return Holder.DOCUMENTS.v2().json().clone();
    }

    /** The OpenAPI v3 document of a group-version ({@code ""} for core), or null if not served (a copy). */
    public static ObjectNode v3(String group, String version) {
        Documents.Document document = document(group, version);
        return document == null ? null : document.tree().deepCopy();
    }

    /** The OpenAPI v3 document of a group-version as JSON bytes, or null if not served. */
    public static byte[] v3Json(String group, String version) {
        Documents.Document document = document(group, version);
        return document == null ? null : document.json().clone();
    }

    /** The hash of a group-version's v3 document (upper-case SHA-512 hex, changes with it), or null if not served. */
    public static String v3Hash(String group, String version) {
        String path = Documents.relativePath(group, version);
        return Holder.DOCUMENTS.v3Paths().contains(path) ? Holder.DOCUMENTS.v3Hash(path) : null;
    }

    /**
     * {@code /openapi/v3}: each built-in group-version with the URL of its document, carrying a hash that changes
     * with the document so clients can cache it ({@code {"paths": {"api/v1": {"serverRelativeURL": "/openapi/v3/api/v1?hash=..."}}}}).
     */
    public static ObjectNode v3Index() {
        ObjectNode index = JsonNodeFactory.instance.objectNode();
        ObjectNode paths = index.putObject("paths");
        for (String path : Holder.DOCUMENTS.v3Paths()) {
            paths.putObject(path).put("serverRelativeURL",
                    "/openapi/v3/" + path + "?hash=" + Holder.DOCUMENTS.v3Hash(path));
        }
        return index;
    }

    private static Documents.Document document(String group, String version) {
        return Holder.DOCUMENTS.v3(Documents.relativePath(group, version));
    }

    /** Generated on first use; class initialisation makes it happen once, safely across threads. */
    private static final class Holder {
        static final Documents DOCUMENTS = new Documents(ResourceRegistry.builtin());
    }
}
