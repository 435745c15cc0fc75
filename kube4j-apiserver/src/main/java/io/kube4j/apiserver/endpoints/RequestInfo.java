package io.kube4j.apiserver.endpoints;

import java.util.List;

/**
 * What a resource URL names, as upstream's RequestInfo: {@code /api/v1/namespaces/ns/pods/name/status} is
 * group "", version v1, namespace ns, resource pods, name name, subresource status. {@code verb} is the
 * Kubernetes verb (get, list, watch, create, update, patch, delete, deletecollection).
 */
public record RequestInfo(String verb, String group, String version, String namespace, String resource,
                          String name, String subresource) {

    /**
     * Parses a path under {@code /api} or {@code /apis}; returns null if it is not a resource path (discovery
     * paths such as {@code /apis/apps/v1} are not). {@code watchParam} is the watch query parameter.
     */
    public static RequestInfo parse(String method, String path, boolean watchParam) {
        List<String> parts = segments(path);
        int index;
        String group;
        String version;
        if (parts.size() >= 3 && parts.get(0).equals("api")) {
            group = "";
            version = parts.get(1);
            index = 2;
        } else if (parts.size() >= 4 && parts.get(0).equals("apis")) {
            group = parts.get(1);
            version = parts.get(2);
            index = 3;
        } else {
            return null;
        }
        boolean watch = watchParam;
        if (parts.get(index).equals("watch")) {
            watch = true;
            index++;
        }
        List<String> rest = parts.subList(index, parts.size());
        if (rest.isEmpty()) {
            return null;
        }
        String namespace = null;
        String resource;
        String name = null;
        String subresource = null;
        // "namespaces/x/pods" is a namespaced collection; "namespaces/x/status" is the namespace's subresource.
        if (rest.get(0).equals("namespaces") && rest.size() >= 3 && !isNamespaceSubresource(rest.get(2))) {
            namespace = rest.get(1);
            rest = rest.subList(2, rest.size());
        }
        resource = rest.get(0);
        if (rest.size() >= 2) {
            name = rest.get(1);
        }
        if (rest.size() >= 3) {
            subresource = rest.get(2);
        }
        if (rest.size() > 3 && !"proxy".equals(subresource)) {
            // only a proxy subresource (nodes/n/proxy/<path>, pods/p/proxy/<path>) carries a path after it
            return null;
        }
        if (resource.equals("namespaces") && name != null && namespace == null) {
            // a namespace is named by itself: its "namespace" is its name, as upstream's RequestInfo has it
            namespace = null;
        }
        return new RequestInfo(verb(method, name != null, watch), group, version, namespace, resource, name,
                subresource);
    }

    private static boolean isNamespaceSubresource(String segment) {
        return segment.equals("status") || segment.equals("finalize");
    }

    private static String verb(String method, boolean named, boolean watch) {
        return switch (method) {
            case "GET", "HEAD" -> watch ? "watch" : named ? "get" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> method.toLowerCase(java.util.Locale.ROOT);
        };
    }

    static List<String> segments(String path) {
        // every request's path goes through here: a plain scan, not a split and a stream
        List<String> parts = new java.util.ArrayList<>(8);
        int start = 0;
        while (start < path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            if (end > start) {
                parts.add(path.substring(start, end));
            }
            start = end + 1;
        }
        return parts;
    }
}
