package io.kube4j.apiserver.apiregistration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Available condition an APIService should carry. A Local one is served by this server: upstream's local
 * availability controller's answer. One naming a service would be proxied to that service by upstream's
 * aggregator; kube4j has no aggregation proxy, so it says so instead of pretending to probe the service - unless
 * kube4j serves the group/version itself (metrics.k8s.io, which k3s gets from metrics-server): requests are then
 * answered here, and the condition is True with a reason that tells it apart from upstream's proxied "Passed".
 */
record Availability(boolean available, String reason, String message) {

    static final String LOCAL = "Local";
    static final String SERVED_IN_PROCESS = "ServedInProcess";
    static final String NOT_PROXIED = "AggregationNotSupported";

    /** {@code servedHere}: whether this server serves the APIService's group/version itself. */
    static Availability of(ObjectNode apiService, boolean servedHere) {
        JsonNode service = apiService.path("spec").path("service");
        if (!service.isObject()) {
            return new Availability(true, LOCAL, "Local APIServices are always available");
        }
        String target = "service " + service.path("namespace").asString("") + "/" + service.path("name").asString("");
        String groupVersion = groupVersion(apiService);
        if (servedHere) {
            return new Availability(true, SERVED_IN_PROCESS, "kube4j serves " + groupVersion
                    + " itself; requests are answered by the API server, not proxied to " + target);
        }
        return new Availability(false, NOT_PROXIED, "kube4j does not proxy to aggregated API servers: requests for "
                + groupVersion + " are answered 503, not sent to " + target);
    }

    /** {@code group/version}, or {@code version} for the core group, as an apiVersion is written. */
    static String groupVersion(ObjectNode apiService) {
        String group = apiService.path("spec").path("group").asString("");
        String version = apiService.path("spec").path("version").asString("");
        return group.isEmpty() ? version : group + "/" + version;
    }

    String status() {
        return available ? "True" : "False";
    }

    /** Whether {@code condition} (an Available condition, or null) already says this. */
    boolean isStatedBy(JsonNode condition) {
        return condition != null && status().equals(condition.path("status").asString(""))
                && reason.equals(condition.path("reason").asString(""))
                && message.equals(condition.path("message").asString(""));
    }
}
