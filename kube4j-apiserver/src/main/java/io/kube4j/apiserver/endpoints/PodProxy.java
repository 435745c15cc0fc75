package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.proxy.HttpRelay;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * {@code /api/v1/namespaces/{ns}/pods/[scheme:]{name}[:port]/proxy/{path}}: a request relayed to the pod's IP, as
 * upstream's pod ProxyREST with its {@code ResourceLocation}. Without a port the pod's first declared container port
 * is used, and without one either the scheme's default port.
 */
final class PodProxy {

    private final StoredObjects objects;
    private final HttpRelay relay;

    PodProxy(StoredObjects objects, HttpRelay relay) {
        this.objects = objects;
        this.relay = relay;
    }

    void serve(ProxyPath path, ApiRequest request, ResponseSink sink) {
        HttpRelay.checkMethod(request, "pods/proxy");
        SchemeNamePort id = SchemeNamePort.parse(path.id(), "pod");
        ObjectNode pod = objects.get("pods", path.namespace(), id.name());
        relay.relay(request, sink, id.dialScheme(), authority(pod, id), path.rest(), path.prefix());
    }

    /** Host and port of the pod's first IP; refused unless the IP is a global unicast address, as upstream. */
    static String authority(ObjectNode pod, SchemeNamePort id) {
        String port = id.port().isEmpty() ? firstContainerPort(pod) : id.port();
        // upstream reads status.podIPs only (the kubelet writes both)
        String ip = Json.text(pod.path("status").path("podIPs").path(0), "ip");
        if (ip == null || !isGlobalUnicast(ip)) {
            // the API server's own loopback, link-local metadata services and the like must not be reachable
            // by writing an address into a pod's status
            throw StatusException.badRequest("address not allowed");
        }
        String host = ip.contains(":") ? "[" + ip + "]" : ip;
        return port.isEmpty() ? host : host + ":" + port;
    }

    private static String firstContainerPort(ObjectNode pod) {
        for (JsonNode container : pod.path("spec").path("containers")) {
            JsonNode ports = container.path("ports");
            if (ports.size() > 0) {
                return String.valueOf(ports.path(0).path("containerPort").asInt());
            }
        }
        return "";
    }

    /** Go's {@code net.IP.IsGlobalUnicast}: not unspecified, loopback, multicast, link-local or the broadcast address. */
    static boolean isGlobalUnicast(String ip) {
        // only literals reach InetAddress, which would otherwise look a name up
        if (!ip.matches("\\d{1,3}(\\.\\d{1,3}){3}") && !(ip.contains(":") && ip.matches("[0-9a-fA-F:.]+"))) {
            return false;
        }
        InetAddress address;
        try {
            address = InetAddress.getByName(ip);
        } catch (UnknownHostException e) {
            return false;
        }
        return !address.isAnyLocalAddress() && !address.isLoopbackAddress() && !address.isMulticastAddress()
                && !address.isLinkLocalAddress() && !address.getHostAddress().equals("255.255.255.255");
    }
}
