package io.kube4j.apiserver.endpoints;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.http.ResponseSink;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.proxy.HttpRelay;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code /api/v1/namespaces/{ns}/services/[scheme:]{name}[:port]/proxy/{path}}: a request relayed to one ready
 * endpoint of the service, as upstream's service proxy with its {@code ResourceLocation}: the service's Endpoints
 * (ready addresses only), the port named in the request - a number is first turned into the service port's name -,
 * a random subset and address, and only an address whose target pod in the same namespace still has that IP.
 */
final class ServiceProxy {

    private final StoredObjects objects;
    private final HttpRelay relay;

    ServiceProxy(StoredObjects objects, HttpRelay relay) {
        this.objects = objects;
        this.relay = relay;
    }

    void serve(ProxyPath path, ApiRequest request, ResponseSink sink) {
        HttpRelay.checkMethod(request, "services/proxy");
        SchemeNamePort id = SchemeNamePort.parse(path.id(), "service");
        String authority = endpoint(path.namespace(), path.id(), id);
        relay.relay(request, sink, id.dialScheme(), authority, path.rest(), path.prefix());
    }

    /** {@code ip:port} of a usable endpoint, or upstream's 503 (or the 404 of a missing service or Endpoints). */
    private String endpoint(String namespace, String rawId, SchemeNamePort id) {
        String portName = id.port();
        Long portNumber = portNumber(portName);
        if (portNumber != null) {
            portName = servicePortName(objects.get("services", namespace, id.name()), id.name(), portNumber);
        }
        ObjectNode endpoints = objects.get("endpoints", namespace, id.name());
        JsonNode subsets = endpoints.path("subsets");
        if (subsets.size() == 0) {
            throw noEndpoints(id.name());
        }
        ThreadLocalRandom random = ThreadLocalRandom.current();
        int subsetSeed = random.nextInt(subsets.size());
        for (int s = 0; s < subsets.size(); s++) {
            JsonNode subset = subsets.path((subsetSeed + s) % subsets.size());
            JsonNode addresses = subset.path("addresses");
            if (addresses.size() == 0) {
                continue;
            }
            for (JsonNode port : subset.path("ports")) {
                if (!port.path("name").asString("").equals(portName)) {
                    continue;
                }
                int addressSeed = random.nextInt(addresses.size());
                for (int a = 0; a < addresses.size(); a++) {
                    JsonNode address = addresses.path((addressSeed + a) % addresses.size());
                    if (isCurrentPodAddress(namespace, address)) {
                        String ip = address.path("ip").asString("");
                        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port.path("port").asInt();
                    }
                }
            }
        }
        // upstream names the service as the request did here, scheme and port included
        throw noEndpoints(rawId);
    }

    private static String servicePortName(ObjectNode service, String name, long number) {
        for (JsonNode port : service.path("spec").path("ports")) {
            if (port.path("port").asLong() == number) {
                return port.path("name").asString("");
            }
        }
        throw StatusException.serviceUnavailable("no service port " + number + " found for service \"" + name + "\"");
    }

    /** The port as Go's ParseInt reads it (so {@code 080} is 80), or null for a port name. */
    private static Long portNumber(String port) {
        if (!port.matches("[+-]?\\d+")) {
            return null;
        }
        try {
            return Long.parseLong(port);
        } catch (NumberFormatException tooLong) {
            return null;
        }
    }

    /**
     * Upstream's isValidAddress: the address names a pod in the request's namespace that exists and has that IP, so
     * a stale or hand-written address is not dialled.
     */
    private boolean isCurrentPodAddress(String namespace, JsonNode address) {
        JsonNode ref = address.path("targetRef");
        if (!ref.isObject() || !namespace.equals(Json.text(ref, "namespace")) || Json.text(ref, "name") == null) {
            return false;
        }
        ObjectNode pod;
        try {
            pod = objects.get("pods", namespace, Json.text(ref, "name"));
        } catch (StatusException gone) {
            return false;
        }
        String ip = address.path("ip").asString("");
        for (JsonNode podIp : pod.path("status").path("podIPs")) {
            if (ip.equals(podIp.path("ip").asString(""))) {
                return true;
            }
        }
        return false;
    }

    private static StatusException noEndpoints(String service) {
        return StatusException.serviceUnavailable("no endpoints available for service \"" + service + "\"");
    }
}
