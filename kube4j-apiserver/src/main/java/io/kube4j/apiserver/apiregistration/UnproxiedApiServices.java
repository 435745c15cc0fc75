package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.status.StatusCause;
import io.kube4j.api.status.StatusDetails;
import io.kube4j.api.status.StatusException;
import io.kube4j.api.status.StatusReason;
import io.kube4j.apiserver.discovery.ServiceGroup;
import io.kube4j.apiserver.registry.GenericRegistry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The group/versions this server does not serve but an APIService names a service for: upstream's aggregator would
 * proxy them there. It lists them in discovery whether or not the service answers ({@link #serviceGroups}) and answers
 * 503 while it does not; kube4j never proxies, so it lists them the same and always answers the same 503
 * ({@link #refusal}), instead of hiding the group and answering the 404 of an unknown path - a client (kubectl, the
 * HPA controller) then reports the API as unavailable, which is the truth.
 */
public final class UnproxiedApiServices {

    /**
     * What a client says of upstream's 503 for an unavailable APIService: the aggregator answers it in plain text, so
     * client-go reports its generic message for a 503, and kubectl prints "couldn't get resource list for GROUP/VERSION:
     * the server is currently unable to handle the request".
     */
    static final String UNAVAILABLE = "the server is currently unable to handle the request";
    /** Upstream's cause type for what a server said that was not a Status (metav1.CauseTypeUnexpectedServerResponse). */
    private static final String UNEXPECTED_SERVER_RESPONSE = "UnexpectedServerResponse";

    private final GenericRegistry apiServices;

    UnproxiedApiServices(GenericRegistry apiServices) {
        this.apiServices = apiServices;
    }

    /**
     * The 503 for group/version, which this server does not serve; empty when no APIService names a service for it.
     * A Status whose message is what client-go makes of upstream's answer, so clients print the same; why kube4j
     * answers it is in the cause.
     */
    public Optional<StatusException> refusal(String group, String version) {
        String name = ApiServices.name(group, version);
        // from the watch cache: a path this server does not serve costs no store read
        ObjectNode apiService = apiServices.findCached(null, name).orElse(null);
        JsonNode service = apiService == null ? null : apiService.path("spec").path("service");
        if (service == null || !service.isObject()) {
            return Optional.empty();
        }
        String why = "kube4j does not proxy to aggregated API servers (APIService \"" + name + "\" names service \""
                + service.path("namespace").asString("") + "/" + service.path("name").asString("") + "\")";
        return Optional.of(new StatusException(StatusReason.SERVICE_UNAVAILABLE, UNAVAILABLE,
                new StatusDetails(null, group, null, null, List.of(new StatusCause(UNEXPECTED_SERVER_RESPONSE, why,
                        null)), 0)));
    }

    /**
     * The named groups with group/versions that APIServices send to a service and {@code registry} does not serve,
     * in upstream's order: the highest groupPriorityMinimum of a group's APIServices first, then by name; in a group,
     * the highest versionPriority first, then the kube-aware version order.
     */
    public List<ServiceGroup> serviceGroups(ResourceRegistry registry) {
        Map<String, List<ObjectNode>> byGroup = new HashMap<>();
        for (ObjectNode apiService : apiServices.cache().snapshot(apiServices.listPrefix(null)).items()) {
            JsonNode spec = apiService.path("spec");
            String group = spec.path("group").asString("");
            String version = spec.path("version").asString("");
            if (spec.path("service").isObject() && !group.isEmpty() && !version.isEmpty()
                    && registry.resources(group, version).isEmpty()) {
                byGroup.computeIfAbsent(group, g -> new ArrayList<>()).add(apiService);
            }
        }
        Map<String, Integer> groupPriority = new HashMap<>();
        byGroup.forEach((group, services) -> groupPriority.put(group, services.stream()
                .mapToInt(s -> s.path("spec").path("groupPriorityMinimum").asInt(0)).max().orElse(0)));
        Comparator<ObjectNode> versionOrder = Comparator
                .<ObjectNode>comparingInt(s -> -s.path("spec").path("versionPriority").asInt(0))
                .thenComparing(s -> s.path("spec").path("version").asString(""), KubeAwareVersions.PREFERRED_FIRST);
        return byGroup.keySet().stream()
                .sorted(Comparator.<String>comparingInt(g -> -groupPriority.get(g)).thenComparing(Comparator.naturalOrder()))
                .map(group -> new ServiceGroup(group, byGroup.get(group).stream().sorted(versionOrder)
                        .map(s -> s.path("spec").path("version").asString("")).toList()))
                .toList();
    }
}
