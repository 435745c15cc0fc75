package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.discovery.ConnectSubresources;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.RawConnection;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.proxy.BackendRequest;
import io.kube4j.apiserver.proxy.UpgradeProxy;
import tools.jackson.databind.node.ObjectNode;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code pods/exec}, {@code pods/attach} and {@code pods/portforward}: as upstream, the API server checks the
 * request against the pod, then proxies the connection upgrade (WebSocket or SPDY) to the kubelet of the pod's
 * node, which relays it to the container runtime's streaming server.
 */
final class PodStreams {

    /** Request headers the kubelet needs for the switch; credentials and the rest stay here. */
    private static final List<String> FORWARDED_HEADERS = List.of("upgrade", "connection", "sec-websocket-key",
            "sec-websocket-version", "sec-websocket-protocol", "user-agent");
    private static final String STREAM_PROTOCOL_HEADER = "X-Stream-Protocol-Version";
    /** kubectl's port-forward tunnels SPDY through a WebSocket offering this prefix plus the SPDY protocol. */
    private static final String SPDY_TUNNEL_PREFIX = "SPDY/3.1+";

    private final StoredObjects objects;

    private final io.kube4j.apiserver.proxy.KubeletTransport transport;

    PodStreams(StoredObjects objects) {
        this(objects, io.kube4j.apiserver.proxy.KubeletTransport.PLAIN);
    }

    PodStreams(StoredObjects objects, io.kube4j.apiserver.proxy.KubeletTransport transport) {
        this.objects = objects;
        this.transport = transport;
    }

    static boolean serves(RequestInfo info) {
        return info.group().isEmpty() && info.resource().equals("pods") && info.namespace() != null
                && info.name() != null && info.subresource() != null && ConnectSubresources.isPodStream(info.subresource());
    }

    void serve(RequestInfo info, ApiRequest request, Optional<RawConnection> connection) {
        if (!request.method().equals("GET") && !request.method().equals("POST")) {
            throw StatusException.methodNotAllowed("", "pods/" + info.subresource(), request.method());
        }
        ObjectNode pod = objects.get("pods", info.namespace(), info.name());
        String target = info.subresource().equals("portforward") ? portForwardTarget(info, pod, request)
                : commandTarget(info, pod, request);
        String nodeName = Json.text(pod, "spec", "nodeName");
        if (nodeName == null || nodeName.isEmpty()) {
            throw StatusException.badRequest("pod " + info.name() + " does not have a host assigned");
        }
        ObjectNode node = objects.get("nodes", null, nodeName);
        if (!UpgradeProxy.isUpgradeRequest(request) || connection.isEmpty()) {
            throw StatusException.badRequest("Upgrade request required");
        }
        String tunnel = spdyTunnel(request);
        UpgradeProxy.ClientSide clientSide = UpgradeProxy.SAME;
        List<BackendRequest.Header> headers = headers(request);
        if (tunnel != null) {
            String key = request.header("sec-websocket-key");
            if (key == null || key.isBlank()) {
                throw StatusException.badRequest("a WebSocket upgrade needs a Sec-WebSocket-Key header");
            }
            clientSide = new UpgradeProxy.ClientSide.WebSocketTunnel(key, tunnel);
            headers = tunnelHeaders(request, tunnel.substring(SPDY_TUNNEL_PREFIX.length()));
        }
        BackendRequest backend = new BackendRequest(request.method(), PodLogs.kubeletHost(node),
                PodLogs.kubeletPort(node), target, headers, request.body());
        UpgradeProxy.proxy(backend, connection.get(), clientSide, "the kubelet of node " + nodeName, transport);
    }

    /** The kubelet's {@code /portForward/<ns>/<pod>?port=..}, for a running pod. */
    private static String portForwardTarget(RequestInfo info, ObjectNode pod, ApiRequest request) {
        String phase = Json.text(pod, "status", "phase");
        if (!"Running".equals(phase)) {
            throw StatusException.badRequest("unable to forward port because pod is not running. Current status="
                    + (phase == null ? "" : phase));
        }
        List<String> query = new ArrayList<>();
        // the API's parameter is "ports"; the kubelet's is "port"
        for (String key : List.of("ports", "port")) {
            for (String port : request.query().getOrDefault(key, List.of())) {
                query.add("port=" + validPort(port));
            }
        }
        return "/portForward/" + info.namespace() + "/" + info.name() + (query.isEmpty() ? "" : "?"
                + String.join("&", query));
    }

    /** The kubelet's {@code /exec|attach/<ns>/<pod>/<container>?..}, for a container of a pod not yet completed. */
    private static String commandTarget(RequestInfo info, ObjectNode pod, ApiRequest request) {
        String sub = info.subresource();
        String container = PodLogs.container(pod, request.param("container"));
        String phase = Json.text(pod, "status", "phase");
        if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
            throw StatusException.badRequest((sub.equals("exec") ? "cannot exec into" : "cannot attach to")
                    + " a container in a completed pod; current phase is " + phase);
        }
        List<String> query = new ArrayList<>();
        streamParams(sub, request, query);
        return "/" + sub + "/" + info.namespace() + "/" + info.name() + "/" + container + "?" + String.join("&", query);
    }

    /** The options the kubelet reads, in its spelling ("1" for true), as upstream's streamParams. */
    private static void streamParams(String sub, ApiRequest request, List<String> query) {
        boolean stdin = request.booleanParam("stdin");
        boolean stdout = request.booleanParam("stdout");
        boolean stderr = request.booleanParam("stderr");
        boolean tty = request.booleanParam("tty");
        if (!stdin && !stdout && !stderr) {
            throw StatusException.badRequest("you must specify at least 1 of stdin, stdout, stderr");
        }
        // upstream's names for the kubelet (k8s.io/api ExecStdinParam, ...): input, output, error, tty
        if (stdin) {
            query.add("input=1");
        }
        if (stdout) {
            query.add("output=1");
        }
        if (stderr) {
            query.add("error=1");
        }
        if (tty) {
            query.add("tty=1");
        }
        if (sub.equals("exec")) {
            List<String> command = request.query().getOrDefault("command", List.of());
            if (command.isEmpty()) {
                throw StatusException.badRequest("you must specify at least one command for the container");
            }
            for (String word : command) {
                query.add("command=" + URLEncoder.encode(word, StandardCharsets.UTF_8).replace("+", "%20"));
            }
        }
    }

    private static String validPort(String port) {
        try {
            int n = Integer.parseInt(port.trim());
            if (n >= 1 && n <= 65535) {
                return Integer.toString(n);
            }
        } catch (NumberFormatException ignored) {
            // answered below
        }
        throw StatusException.badRequest("invalid port " + port + ": ports must be between 1 and 65535");
    }

    /** The SPDY-over-WebSocket subprotocol the client offers, if it asks for a WebSocket tunnel; else null. */
    static String spdyTunnel(ApiRequest request) {
        String upgrade = request.header("upgrade");
        String protocols = request.header("sec-websocket-protocol");
        if (upgrade == null || !upgrade.equalsIgnoreCase("websocket") || protocols == null) {
            return null;
        }
        for (String protocol : protocols.split(",")) {
            if (protocol.trim().startsWith(SPDY_TUNNEL_PREFIX)) {
                return protocol.trim();
            }
        }
        return null;
    }

    private static List<BackendRequest.Header> headers(ApiRequest request) {
        List<BackendRequest.Header> headers = new ArrayList<>();
        for (String name : FORWARDED_HEADERS) {
            String value = request.header(name);
            if (value != null) {
                headers.add(new BackendRequest.Header(name, value));
            }
        }
        // one line per protocol: upstream's negotiation reads the header's values, not a comma list
        String protocols = request.header(STREAM_PROTOCOL_HEADER.toLowerCase(Locale.ROOT));
        if (protocols != null) {
            for (String protocol : protocols.split(",")) {
                if (!protocol.isBlank()) {
                    headers.add(new BackendRequest.Header(STREAM_PROTOCOL_HEADER, protocol.trim()));
                }
            }
        }
        return headers;
    }

    /** The kubelet hears plain SPDY; the WebSocket stays between the client and the API server. */
    private static List<BackendRequest.Header> tunnelHeaders(ApiRequest request, String streamProtocol) {
        List<BackendRequest.Header> headers = new ArrayList<>();
        headers.add(new BackendRequest.Header("Connection", "Upgrade"));
        headers.add(new BackendRequest.Header("Upgrade", "SPDY/3.1"));
        headers.add(new BackendRequest.Header(STREAM_PROTOCOL_HEADER, streamProtocol));
        String agent = request.header("user-agent");
        if (agent != null) {
            headers.add(new BackendRequest.Header("user-agent", agent));
        }
        return headers;
    }
}
