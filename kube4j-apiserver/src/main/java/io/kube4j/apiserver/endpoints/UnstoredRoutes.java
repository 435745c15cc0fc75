package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;

/**
 * The routes upstream's API installer puts up for a type served without storage - only for the verbs its REST
 * object implements: create for bindings and the reviews, get and list for componentstatuses and metrics.k8s.io -
 * and its router's answer to a request none of them takes, given before any API code runs: a path not installed (an
 * item of a create-only type, a subresource, a {@code /watch/} path of a type that cannot watch, the wrong scope)
 * is a 404, and a method an installed path does not take is go-restful's 405, which names no resource ("the server
 * does not allow this method on the requested resource").
 */
public final class UnstoredRoutes {

    private UnstoredRoutes() {
    }

    /** Throws the router's answer unless one of {@code type}'s routes takes the request. */
    public static void check(RequestInfo info, ResourceType type, ApiRequest request) {
        String version = info.group().isEmpty() ? "/api/" + info.version() : "/apis/" + info.group() + "/"
                + info.version();
        boolean watchPath = request.path().startsWith(version + "/watch/");
        if (info.subresource() != null || (!type.namespaced() && info.namespace() != null)
                || (watchPath && !type.supports("watch"))) {
            throw StatusException.pathNotFound();
        }
        // a namespaced type's items and writes are under a namespace; across namespaces only its list is installed
        boolean acrossNamespaces = type.namespaced() && info.namespace() == null;
        String method = request.method().equals("HEAD") ? "GET" : request.method();
        boolean installed;
        boolean takes;
        if (watchPath) {
            installed = true;
            takes = method.equals("GET");
        } else if (info.name() != null) {
            installed = !acrossNamespaces && (type.supports("get") || type.supports("update")
                    || type.supports("patch") || type.supports("delete"));
            takes = switch (method) {
                case "GET" -> type.supports("get");
                case "PUT" -> type.supports("update");
                case "PATCH" -> type.supports("patch");
                case "DELETE" -> type.supports("delete");
                default -> false;
            };
        } else {
            boolean lists = type.supports("list") || type.supports("watch");
            installed = lists || (!acrossNamespaces && (type.supports("create")
                    || type.supports("deletecollection")));
            takes = switch (method) {
                case "GET" -> lists;
                case "POST" -> !acrossNamespaces && type.supports("create");
                case "DELETE" -> !acrossNamespaces && type.supports("deletecollection");
                default -> false;
            };
        }
        if (!installed) {
            throw StatusException.pathNotFound();
        }
        if (!takes) {
            throw StatusException.methodNotAllowedOnPath();
        }
    }
}
