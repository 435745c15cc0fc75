package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code pods/log}: as upstream, the API server does not read logs itself; it finds the pod's node and streams
 * the kubelet's {@code /containerLogs/<ns>/<pod>/<container>} back to the client.
 */
final class PodLogs {
    /** The query parameters of PodLogOptions that the kubelet understands. */
    private static final List<String> FORWARDED = List.of("follow", "previous", "timestamps", "tailLines",
            "sinceSeconds", "sinceTime", "limitBytes");
    static final int DEFAULT_KUBELET_PORT = 10250;

    private final io.kube4j.apiserver.proxy.KubeletTransport transport;
    private final HttpClient http;

    PodLogs() {
        this(io.kube4j.apiserver.proxy.KubeletTransport.PLAIN);
    }

    PodLogs(io.kube4j.apiserver.proxy.KubeletTransport transport) {
        this.transport = transport;
        this.http = transport.httpClient(Duration.ofSeconds(5));
    }

    void serve(ObjectNode pod, ObjectNode node, ApiRequest request, ResponseSink sink) {
        String ns = Json.text(pod, "metadata", "namespace");
        String name = Json.text(pod, "metadata", "name");
        String container = container(pod, request.param("container"));
        URI uri = URI.create(transport.scheme() + "://" + kubeletHost(node) + ":" + kubeletPort(node) + "/containerLogs/" + ns + "/"
                + name + "/" + container + query(request));
        HttpResponse<InputStream> response;
        try {
            response = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw StatusException.internalError("cannot reach the kubelet of node " + Json.text(node, "metadata", "name")
                    + " at " + uri.getHost() + ":" + uri.getPort() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StatusException.serviceUnavailable("interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                String why = new String(body.readNBytes(4096), StandardCharsets.UTF_8).strip();
                throw StatusException.badRequest(why.isEmpty() ? "the kubelet answered " + response.statusCode() : why);
            }
            ResponseSink.StreamWriter out = sink.stream(200, "text/plain", Map.of());
            out.onClose(() -> closeQuietly(body));
            byte[] buffer = new byte[16 * 1024];
            int n;
            while (out.isOpen() && (n = body.read(buffer)) > 0) {
                byte[] chunk = new byte[n];
                System.arraycopy(buffer, 0, chunk, 0, n);
                if (!out.write(chunk)) {
                    break;
                }
            }
            out.end();
        } catch (IOException e) {
            // The client or the kubelet went away mid-stream; nothing more can be said to the client.
        }
    }

    /** The container to read: the one named, or the only one; upstream's message otherwise. */
    static String container(ObjectNode pod, String requested) {
        List<String> containers = names(pod.path("spec").path("containers"));
        List<String> inits = names(pod.path("spec").path("initContainers"));
        List<String> ephemeral = names(pod.path("spec").path("ephemeralContainers"));
        String podName = Json.text(pod, "metadata", "name");
        if (requested != null && !requested.isEmpty()) {
            if (!containers.contains(requested) && !inits.contains(requested) && !ephemeral.contains(requested)) {
                throw StatusException.badRequest("container " + requested + " is not valid for pod " + podName);
            }
            return requested;
        }
        if (containers.size() == 1) {
            return containers.get(0);
        }
        String message = "a container name must be specified for pod " + podName + ", choose one of: "
                + "[" + String.join(" ", containers) + "]";
        if (!inits.isEmpty()) {
            message += " or one of the init containers: [" + String.join(" ", inits) + "]";
        }
        if (!ephemeral.isEmpty()) {
            message += " or one of the ephemeral containers: [" + String.join(" ", ephemeral) + "]";
        }
        throw StatusException.badRequest(message);
    }

    private static List<String> names(JsonNode containers) {
        List<String> names = new ArrayList<>();
        containers.forEach(c -> names.add(c.path("name").asString()));
        return names;
    }

    private static String query(ApiRequest request) {
        StringBuilder q = new StringBuilder();
        for (String key : FORWARDED) {
            String value = request.param(key);
            if (value != null) {
                q.append(q.isEmpty() ? '?' : '&').append(key).append('=')
                        .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
        return q.toString();
    }

    static int kubeletPort(ObjectNode node) {
        JsonNode port = node.path("status").path("daemonEndpoints").path("kubeletEndpoint").path("Port");
        return port.isNumber() && port.asInt() > 0 ? port.asInt() : DEFAULT_KUBELET_PORT;
    }

    /**
     * The node's InternalIP, as upstream prefers; a kubelet on this very host is reached through 127.0.0.1 (its
     * serving certificate names it), which also finds kubelets that tests bind to loopback only.
     */
    static String kubeletHost(ObjectNode node) {
        String address = null;
        for (JsonNode a : node.path("status").path("addresses")) {
            if ("InternalIP".equals(a.path("type").asString())) {
                address = a.path("address").asString();
                break;
            }
        }
        if (address == null) {
            throw StatusException.badRequest("node " + Json.text(node, "metadata", "name") + " has no InternalIP address");
        }
        return isLocal(address) ? "127.0.0.1" : address;
    }

    private static boolean isLocal(String address) {
        try {
            InetAddress ip = InetAddress.getByName(address);
            return ip.isLoopbackAddress() || NetworkInterface.getByInetAddress(ip) != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
