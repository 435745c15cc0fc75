package io.kube4j.apiserver.endpoints;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads core/v1 objects for handlers that act on objects other than the one requested (pods/exec needs the pod
 * and its node): through the resource handler, as a client's GET would be served, so the answer is the same
 * versioned object and the same "not found".
 */
final class StoredObjects {

    private final ResourceRegistry registry;
    private final ResourceHandler resources;

    StoredObjects(ResourceRegistry registry, ResourceHandler resources) {
        this.registry = registry;
        this.resources = resources;
    }

    /** The object, or the Status the client gets (404 if it does not exist). */
    ObjectNode get(String resource, String namespace, String name) {
        ResourceType type = registry.find("", "v1", resource)
                .orElseThrow(() -> StatusException.internalError("no core/v1 resource " + resource));
        String path = "/api/v1/" + (namespace == null ? "" : "namespaces/" + namespace + "/") + resource + "/" + name;
        Capture capture = new Capture();
        resources.handle(new RequestInfo("get", "", "v1", namespace, resource, name, null), type,
                new ApiRequest("GET", path, Map.of(), Map.of("accept", MediaTypes.JSON), new byte[0]), capture);
        if (capture.status == 404) {
            throw StatusException.notFound("", resource, name);
        }
        if (capture.status != 200 || capture.body == null) {
            throw StatusException.internalError("reading " + resource + " " + name + ": "
                    + (capture.body == null ? "no answer" : new String(capture.body, StandardCharsets.UTF_8)));
        }
        return (ObjectNode) Json.parse(capture.body);
    }

    /** Keeps the one answer a GET gives. */
    private static final class Capture implements ResponseSink {
        private int status;
        private byte[] body;

        @Override
        public void send(int status, String contentType, byte[] body, Map<String, String> headers) {
            this.status = status;
            this.body = body;
        }

        @Override
        public StreamWriter stream(int status, String contentType, Map<String, String> headers) {
            throw new IllegalStateException("a GET of one object does not stream");
        }
    }
}
