package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code /api/v1/nodes/{name}/proxy/{path}}: a request passed to the node's kubelet ({@code /metrics/resource},
 * {@code /pods}, {@code /healthz}, ...) and its answer passed back, as {@code kubectl get --raw} uses it. Writes
 * (POST, PUT, PATCH, DELETE) pass their body on, as upstream's proxy does for every verb it lists.
 */
final class NodeProxy {

    private static final Pattern PATH = Pattern.compile("^/api/v1/nodes/([^/]+)/proxy(/.*)?$");
    private static final int MAX_BODY_BYTES = 64 * 1024 * 1024;
    private static final List<String> PASSED_BACK = List.of("content-type", "content-encoding");
    /** Upstream's proxy verbs (get, create, update, patch, delete) by their methods, plus HEAD. */
    private static final List<String> RELAYED_METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    private final StoredObjects objects;
    private final io.kube4j.apiserver.proxy.KubeletTransport transport;
    private final HttpClient http;

    NodeProxy(StoredObjects objects) {
        this(objects, io.kube4j.apiserver.proxy.KubeletTransport.PLAIN);
    }

    NodeProxy(StoredObjects objects, io.kube4j.apiserver.proxy.KubeletTransport transport) {
        this.objects = objects;
        this.transport = transport;
        this.http = transport.httpClient(Duration.ofSeconds(5));
    }

    static boolean serves(String path) {
        return PATH.matcher(path).matches();
    }

    void serve(ApiRequest request, ResponseSink sink) {
        Matcher m = PATH.matcher(request.path());
        if (!m.matches()) {
            throw StatusException.pathNotFound();
        }
        if (!RELAYED_METHODS.contains(request.method())) {
            throw StatusException.methodNotAllowed("", "nodes/proxy", request.method());
        }
        String nodeName = m.group(1);
        ObjectNode node = objects.get("nodes", null, nodeName);
        String rest = m.group(2) == null ? "/" : m.group(2);
        URI target = URI.create(transport.scheme() + "://" + PodLogs.kubeletHost(node) + ":" + PodLogs.kubeletPort(node) + rest
                + query(request));
        HttpResponse<InputStream> response;
        try {
            response = http.send(backendRequest(request, target), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw StatusException.internalError("error trying to reach service: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StatusException.serviceUnavailable("interrupted");
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = in.readNBytes(MAX_BODY_BYTES);
        } catch (IOException e) {
            throw StatusException.internalError("error reading from the kubelet of node " + nodeName + ": "
                    + e.getMessage());
        }
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String name : PASSED_BACK) {
            response.headers().firstValue(name).ifPresent(v -> headers.put(name, v));
        }
        String contentType = headers.remove("content-type");
        sink.send(response.statusCode(), contentType, request.method().equals("HEAD") ? new byte[0] : body, headers);
    }

    /** GET (and HEAD, answered without the body) as a GET; a write passes its body and content type on. */
    private static HttpRequest backendRequest(ApiRequest request, URI target) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(60));
        String method = request.method();
        if (method.equals("GET") || method.equals("HEAD")) {
            return builder.GET().build();
        }
        byte[] body = request.body();
        String contentType = request.header("content-type");
        if (contentType != null) {
            builder.header("Content-Type", contentType);
        }
        return builder.method(method, body == null || body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private static String query(ApiRequest request) {
        StringBuilder q = new StringBuilder();
        request.query().forEach((key, values) -> {
            for (String value : values) {
                q.append(q.isEmpty() ? '?' : '&').append(URLEncoder.encode(key, StandardCharsets.UTF_8)).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        });
        return q.toString();
    }
}
