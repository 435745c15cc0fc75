package io.kube4j.kubelet.server.auth;

import java.util.Locale;

/**
 * What a kubelet server request does, as upstream's kubelet authorizes it: always resource {@code nodes} named
 * after this node, the subresource chosen by path ({@code stats}, {@code metrics}, {@code log}, else
 * {@code proxy}) and the verb from the HTTP method.
 */
public record RequestAttributes(String verb, String resource, String subresource, String name, String path) {

    public static RequestAttributes of(String method, String path, String nodeName) {
        return new RequestAttributes(verb(method), "nodes", subresource(path), nodeName, path);
    }

    static String subresource(String path) {
        if (isSubpath(path, "/stats")) {
            return "stats";
        }
        if (isSubpath(path, "/metrics")) {
            return "metrics";
        }
        if (isSubpath(path, "/logs")) {
            return "log";
        }
        return "proxy";
    }

    private static boolean isSubpath(String path, String root) {
        return path.equals(root) || path.startsWith(root + "/");
    }

    static String verb(String method) {
        return switch (method.toUpperCase(Locale.ROOT)) {
            case "GET", "HEAD" -> "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> "";
        };
    }
}
