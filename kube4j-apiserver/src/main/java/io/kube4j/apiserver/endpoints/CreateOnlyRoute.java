package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;

/**
 * The one route upstream installs for a resource whose storage only creates (bindings, the reviews): POST to its
 * collection. Another method there is answered by upstream's router (go-restful) with its 405; any other path - an
 * item, a subresource, a {@code /watch/} path, the collection in the wrong scope - is not installed at all (404).
 */
public final class CreateOnlyRoute {

    private CreateOnlyRoute() {
    }

    /** Throws the router's answer unless the request is a create on {@code type}'s collection. */
    public static void check(RequestInfo info, ResourceType type, ApiRequest request) {
        String version = info.group().isEmpty() ? "/api/" + info.version() : "/apis/" + info.group() + "/"
                + info.version();
        boolean watchPath = request.path().startsWith(version + "/watch/");
        if (type.namespaced() != (info.namespace() != null) || info.name() != null || info.subresource() != null
                || watchPath) {
            throw StatusException.pathNotFound();
        }
        if (!info.verb().equals("create")) {
            throw StatusException.methodNotAllowedOnPath();
        }
    }
}
