package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.proxy.HttpRelay;
import tools.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/nodes/{name}/proxy/{path}}: a request passed to the node's kubelet ({@code /metrics/resource},
 * {@code /pods}, {@code /healthz}, ...) and its answer passed back, as {@code kubectl get --raw} uses it. Writes
 * (POST, PUT, PATCH, DELETE) pass their body on, as upstream's proxy does for every verb it lists.
 */
final class NodeProxy {

    private static final Pattern PATH = Pattern.compile("^(/api/v1/nodes/([^/]+)/proxy)(/.*)?$");

    private final StoredObjects objects;
    private final io.kube4j.apiserver.proxy.KubeletTransport transport;
    private final HttpRelay relay;

    NodeProxy(StoredObjects objects) {
        this(objects, io.kube4j.apiserver.proxy.KubeletTransport.PLAIN);
    }

    NodeProxy(StoredObjects objects, io.kube4j.apiserver.proxy.KubeletTransport transport) {
        this.objects = objects;
        this.transport = transport;
        this.relay = new HttpRelay(transport.httpClient(Duration.ofSeconds(5)), transport);
    }

    static boolean serves(String path) {
        return PATH.matcher(path).matches();
    }

    void serve(ApiRequest request, ResponseSink sink) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            throw StatusException.pathNotFound();
        }
        HttpRelay.checkMethod(request, "nodes/proxy");
        ObjectNode node = objects.get("nodes", null, m.group(2));
        String authority = PodLogs.kubeletHost(node) + ":" + PodLogs.kubeletPort(node);
        relay.relay(request, sink, transport.scheme(), authority, m.group(3) == null ? "" : m.group(3), m.group(1));
    }
}
