package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.watchcache.CachedObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Upstream's APIService availability controllers in one: writes each APIService's Available condition through the
 * status subresource, as {@link Availability} decides it, and only when it changed (the transition time moves with
 * the status alone, as upstream's SetAPIServiceCondition).
 */
final class AvailabilityController {

    private static final Logger LOG = LoggerFactory.getLogger(AvailabilityController.class);
    static final String AVAILABLE = "Available";

    private final GenericRegistry apiServices;
    private final ResourceRegistry registry;
    private final Clock clock;
    private final SyncQueue queue;

    AvailabilityController(GenericRegistry apiServices, ResourceRegistry registry, Clock clock,
                           ScheduledExecutorService executor) {
        this.apiServices = apiServices;
        this.registry = registry;
        this.clock = clock;
        this.queue = new SyncQueue("APIService availability", this::sync, executor);
    }

    /** What the API server's watch cache feeds: the queue, which takes the names of the objects. */
    SyncQueue listener() {
        return queue;
    }

    void start() {
        apiServices.cache().register(queue, true, 0);
    }

    /**
     * Queues every APIService again: whether kube4j serves a group/version changes with the CRDs, which no
     * APIService event tells.
     */
    void resync() {
        for (CachedObject cached : apiServices.cache().storedSnapshot(apiServices.listPrefix(null)).items()) {
            queue.add(cached.attributes().name());
        }
    }

    void sync(String name) {
        ObjectNode current = apiServices.find(null, name).orElse(null);
        if (current == null || current.path("metadata").has("deletionTimestamp")) {
            return;
        }
        Availability wanted = availability(current);
        if (wanted.isStatedBy(condition(current))) {
            return;
        }
        apiServices.guaranteedUpdate(null, name, true, false, true, GenericRegistry.SERVER_MANAGER, stored -> {
            ObjectNode copy = stored.deepCopy();
            setCondition(copy, availability(copy));
            return copy;
        });
        LOG.debug("APIService {}: Available={} ({})", name, wanted.status(), wanted.reason());
    }

    private Availability availability(ObjectNode apiService) {
        JsonNode spec = apiService.path("spec");
        boolean servedHere = !registry.resources(spec.path("group").asString(""), spec.path("version").asString(""))
                .isEmpty();
        return Availability.of(apiService, servedHere);
    }

    private static JsonNode condition(ObjectNode apiService) {
        for (JsonNode condition : apiService.path("status").path("conditions")) {
            if (AVAILABLE.equals(condition.path("type").asString(""))) {
                return condition;
            }
        }
        return null;
    }

    private void setCondition(ObjectNode apiService, Availability availability) {
        ObjectNode condition = (ObjectNode) condition(apiService);
        boolean transition = condition == null || !condition.has("lastTransitionTime")
                || !availability.status().equals(condition.path("status").asString(""));
        if (condition == null) {
            ObjectNode status = apiService.has("status") && apiService.get("status").isObject()
                    ? (ObjectNode) apiService.get("status") : apiService.putObject("status");
            JsonNode existing = status.get("conditions");
            ArrayNode conditions = existing instanceof ArrayNode array ? array : status.putArray("conditions");
            condition = conditions.addObject();
            condition.put("type", AVAILABLE);
        }
        condition.put("status", availability.status());
        if (transition) {
            condition.put("lastTransitionTime", clock.instant().truncatedTo(ChronoUnit.SECONDS).toString());
        }
        condition.put("reason", availability.reason());
        condition.put("message", availability.message());
    }
}
