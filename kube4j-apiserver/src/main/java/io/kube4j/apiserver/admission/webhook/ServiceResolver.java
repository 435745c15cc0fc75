package io.kube4j.apiserver.admission.webhook;

import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The address a {@code clientConfig.service} webhook is dialled at. The API server may run on a master with no
 * route to ClusterIPs (no proxy there), so it dials a ready endpoint of the Service, read from its EndpointSlices,
 * as upstream's {@code --enable-aggregator-routing} resolver does. Only when the Service has no EndpointSlice at
 * all (nothing maintains them, or the controller has not caught up) is its ClusterIP used; a Service whose slices
 * list no ready endpoint cannot be called.
 */
final class ServiceResolver {

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final ObjectLookup lookup;

    ServiceResolver(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    InetSocketAddress resolve(String namespace, String name, int port) throws WebhookFailure {
        ObjectNode service = lookup.get("services", namespace, name)
                .orElseThrow(() -> new WebhookFailure("service \"" + name + "\" not found"));
        ObjectNode spec = Json.obj(service, "spec");
        if ("ExternalName".equals(Json.text(spec, "type"))) {
            String host = Json.text(spec, "externalName");
            if (host == null || host.isEmpty()) {
                throw new WebhookFailure("service \"" + name + "\" has no externalName");
            }
            return new InetSocketAddress(host, port);
        }
        ObjectNode servicePort = servicePort(spec, port);
        if (servicePort == null) {
            throw new WebhookFailure("no service port " + port + " found for service \"" + name + "\"");
        }
        String portName = Objects.requireNonNullElse(Json.text(servicePort, "name"), "");
        List<ObjectNode> slices = lookup.list("endpointslices", namespace).stream()
                .filter(slice -> name.equals(Json.text(slice, "metadata", "labels", SERVICE_NAME_LABEL)))
                .toList();
        if (slices.isEmpty()) {
            String clusterIp = Json.text(spec, "clusterIP");
            if (clusterIp == null || clusterIp.isEmpty() || clusterIp.equals("None")) {
                throw noEndpoints(namespace, name);
            }
            return new InetSocketAddress(clusterIp, port);
        }
        List<InetSocketAddress> ready = new ArrayList<>();
        for (ObjectNode slice : slices) {
            Integer endpointPort = endpointPort(slice, portName);
            if (endpointPort == null) {
                continue;
            }
            for (JsonNode endpoint : slice.path("endpoints")) {
                // upstream reads an unset ready condition as ready
                JsonNode isReady = endpoint.path("conditions").path("ready");
                if (isReady.isBoolean() && !isReady.asBoolean()) {
                    continue;
                }
                JsonNode addresses = endpoint.path("addresses");
                if (addresses.isArray() && !addresses.isEmpty() && addresses.get(0).isString()) {
                    ready.add(new InetSocketAddress(addresses.get(0).asString(), endpointPort));
                }
            }
        }
        if (ready.isEmpty()) {
            throw noEndpoints(namespace, name);
        }
        // spread calls over the endpoints, as upstream picks one at random
        return ready.get(ThreadLocalRandom.current().nextInt(ready.size()));
    }

    private static WebhookFailure noEndpoints(String namespace, String name) {
        return new WebhookFailure("no endpoints available for service \"" + namespace + "/" + name + "\"");
    }

    private static ObjectNode servicePort(ObjectNode spec, int port) {
        for (JsonNode candidate : spec == null ? Json.object() : spec.path("ports")) {
            if (candidate instanceof ObjectNode p && p.path("port").asInt(-1) == port) {
                return p;
            }
        }
        return null;
    }

    /** The slice's port for the Service port named {@code portName} ("" for the single unnamed one). */
    private static Integer endpointPort(ObjectNode slice, String portName) {
        for (JsonNode p : slice.path("ports")) {
            String name = p.path("name").isString() ? p.path("name").asString() : "";
            if (name.equals(portName) && p.path("port").isIntegralNumber()) {
                return p.path("port").asInt();
            }
        }
        return null;
    }
}
