package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.registry.GenericRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * The answer to a request for a group/version this server does not serve but an APIService names a service for:
 * upstream's aggregator would proxy it there and answers 503 while the service is unavailable; kube4j never proxies,
 * so the same 503, saying why, instead of the 404 of an unknown path - a client (kubectl, the HPA controller) then
 * reports the API as unavailable, which is the truth.
 */
public final class UnproxiedApiServices {

    private final GenericRegistry apiServices;

    UnproxiedApiServices(GenericRegistry apiServices) {
        this.apiServices = apiServices;
    }

    /** The 503 for group/version, which this server does not serve; empty when no APIService names a service for it. */
    public Optional<StatusException> refusal(String group, String version) {
        String name = ApiServices.name(group, version);
        // from the watch cache: a path this server does not serve costs no store read
        ObjectNode apiService = apiServices.findCached(null, name).orElse(null);
        JsonNode service = apiService == null ? null : apiService.path("spec").path("service");
        if (service == null || !service.isObject()) {
            return Optional.empty();
        }
        return Optional.of(StatusException.serviceUnavailable("the server is currently unable to handle the request: "
                + "kube4j does not proxy to aggregated API servers (APIService \"" + name + "\" names service \""
                + service.path("namespace").asString("") + "/" + service.path("name").asString("") + "\")"));
    }
}
