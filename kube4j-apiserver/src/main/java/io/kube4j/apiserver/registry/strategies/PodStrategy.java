package io.kube4j.apiserver.registry.strategies;

import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DefaultStrategy;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GracefulDeletion;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Pods: status starts Pending, deletion is graceful once scheduled, and the fields kubelets select on. */
public final class PodStrategy extends DefaultStrategy implements GracefulDeletion {

    private static final Set<String> FIELDS = Set.of("spec.nodeName", "spec.restartPolicy", "spec.schedulerName",
            "spec.serviceAccountName", "spec.hostNetwork", "status.phase", "status.podIP", "status.podIPs",
            "status.nominatedNodeName");
    /**
     * Each selectable field's path, split once: the watch cache reads every field of every pod written, and splitting
     * the dotted names again on each read (a list and a string per step) was most of what that cost.
     */
    private static final Map<String, String[]> STEPS = steps();

    public PodStrategy(ResourceType type) {
        super(type);
    }

    @Override
    public void prepareForCreate(ObjectNode obj) {
        // A new pod is Pending whatever status the client sent. Its QoS class is left to the pod defaults, which run
        // next and compute it from the defaulted requests (limits copied to absent requests), as upstream's
        // PrepareForCreate sees them: "cpu: 1" against "cpu: 1000m" is Guaranteed.
        ObjectNode status = Json.object();
        status.put("phase", "Pending");
        obj.set("status", status);
    }

    @Override
    public Set<String> selectableFields() {
        return FIELDS;
    }

    @Override
    public String fieldValue(ObjectNode obj, String field) {
        if (field.equals("spec.hostNetwork")) {
            return Boolean.toString(obj.path("spec").path("hostNetwork").asBoolean(false));
        }
        if (field.equals("status.podIPs")) {
            return obj.path("status").path("podIPs").path(0).path("ip").asString("");
        }
        String[] steps = STEPS.get(field);
        if (steps == null) {
            return super.fieldValue(obj, field);
        }
        // as FieldPaths.value: null through a missing or non-object step, and for a null or container value
        JsonNode current = obj;
        for (String step : steps) {
            if (current == null || !current.isObject()) {
                return null;
            }
            current = current.get(step);
        }
        if (current == null || current.isNull() || current.isContainer()) {
            return null;
        }
        return current.asString();
    }

    private static Map<String, String[]> steps() {
        Map<String, String[]> steps = new HashMap<>();
        for (Set<String> fields : List.of(FIELDS, META_FIELDS)) {
            for (String field : fields) {
                steps.put(field, field.split("\\."));
            }
        }
        return Map.copyOf(steps);
    }

    @Override
    public long gracePeriod(ObjectNode obj, DeleteOptions options) {
        String nodeName = Json.text(obj, "spec", "nodeName");
        String phase = Json.text(obj, "status", "phase");
        if (nodeName == null || nodeName.isEmpty() || "Succeeded".equals(phase) || "Failed".equals(phase)) {
            return 0;
        }
        if (options.gracePeriodSeconds() != null) {
            return options.gracePeriodSeconds();
        }
        return obj.path("spec").path("terminationGracePeriodSeconds").asLong(30);
    }
}
