package io.kube4j.apiserver.authz;

import io.kube4j.apiserver.endpoints.RequestInfo;

import java.util.Locale;

/**
 * What a request asks to do, as upstream's authorizer.Attributes: a resource request (verb on
 * group/resource[/subresource], optionally named, in a namespace) or a non-resource request (verb on a path).
 */
public record Attributes(String verb, String apiGroup, String resource, String subresource, String namespace,
                         String name, String path, boolean resourceRequest) {

    public Attributes {
        verb = verb == null ? "" : verb;
        apiGroup = apiGroup == null ? "" : apiGroup;
        resource = resource == null ? "" : resource;
        subresource = subresource == null ? "" : subresource;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        path = path == null ? "" : path;
    }

    public static Attributes resource(String verb, String apiGroup, String resource, String subresource,
                                      String namespace, String name) {
        return new Attributes(verb, apiGroup, resource, subresource, namespace, name, "", true);
    }

    public static Attributes nonResource(String verb, String path) {
        return new Attributes(verb, "", "", "", "", "", path, false);
    }

    /**
     * The attributes of an HTTP request. {@code info} is the parsed resource path (null for non-resource paths
     * such as /healthz or discovery); {@code fieldSelector} is the request's fieldSelector parameter: a list or
     * watch restricted to {@code metadata.name=x} is authorized as a request for {@code x}, as upstream does.
     */
    public static Attributes fromRequest(String method, String path, RequestInfo info, String fieldSelector) {
        if (info == null) {
            return nonResource(nonResourceVerb(method), path);
        }
        String name = info.name();
        String namespace = info.namespace();
        if (info.resource().equals("namespaces") && name != null && (namespace == null || namespace.isEmpty())) {
            // a Namespace is in itself: a RoleBinding in "foo" may grant access to namespace "foo"
            namespace = name;
        }
        if ((name == null || name.isEmpty()) && (info.verb().equals("list") || info.verb().equals("watch"))
                && fieldSelector != null) {
            name = nameFromFieldSelector(fieldSelector);
        }
        return new Attributes(info.verb(), info.group(), info.resource(), info.subresource(), namespace, name, path,
                true);
    }

    private static String nameFromFieldSelector(String selector) {
        for (String requirement : selector.split(",")) {
            String trimmed = requirement.trim();
            String value = null;
            if (trimmed.startsWith("metadata.name==")) {
                value = trimmed.substring("metadata.name==".length());
            } else if (trimmed.startsWith("metadata.name=")) {
                value = trimmed.substring("metadata.name=".length());
            }
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    static String nonResourceVerb(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "post";
            case "PUT" -> "put";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase(Locale.ROOT);
        };
    }

    /** resource or resource/subresource, as RBAC rules name it. */
    public String combinedResource() {
        return subresource.isEmpty() ? resource : resource + "/" + subresource;
    }
}
