package io.kube4j.apiserver.admission;

import io.kube4j.api.defaults.SystemPriorityClasses;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

/**
 * Priority: resolves a new pod's {@code priorityClassName} to {@code spec.priority} (and its preemption policy),
 * using the globalDefault PriorityClass when the pod names none, and the built-in system-node-critical /
 * system-cluster-critical classes.
 */
public final class PriorityAdmission implements MutatingAdmission {

    private final ObjectLookup lookup;

    public PriorityAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "Priority";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (request.operation() != Operation.CREATE || !request.isCore("pods") || request.object() == null) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        String className = Json.text(spec, "priorityClassName");
        long priority;
        String preemption = null;
        if (className == null || className.isEmpty()) {
            Optional<ObjectNode> globalDefault = lookup.list("priorityclasses", null).stream()
                    .filter(pc -> pc.path("globalDefault").asBoolean(false))
                    .min((a, b) -> Long.compare(a.path("value").asLong(), b.path("value").asLong()));
            if (globalDefault.isPresent()) {
                spec.put("priorityClassName", Json.text(globalDefault.get(), "metadata", "name"));
                priority = globalDefault.get().path("value").asLong();
                preemption = Json.text(globalDefault.get(), "preemptionPolicy");
            } else {
                priority = 0;
            }
        } else if (SystemPriorityClasses.named(className).isPresent()) {
            // the API server creates these at start; known here too, so a pod created in that moment is admitted
            priority = SystemPriorityClasses.named(className).get().value();
        } else {
            ObjectNode priorityClass = lookup.getCachedThenLive("priorityclasses", null, className).orElseThrow(() ->
                    AdmissionErrors.forbidden(request, "no PriorityClass with name " + className + " was found"));
            priority = priorityClass.path("value").asLong();
            preemption = Json.text(priorityClass, "preemptionPolicy");
        }
        JsonNode given = spec.get("priority");
        if (given != null && !given.isNull() && given.asLong() != priority) {
            throw AdmissionErrors.forbidden(request, "the integer value of priority (" + given.asLong()
                    + ") must not be provided in pod spec; priority admission controller computed " + priority
                    + " from the given PriorityClass name");
        }
        spec.put("priority", priority);
        if (!spec.has("preemptionPolicy") || spec.get("preemptionPolicy").isNull()) {
            spec.put("preemptionPolicy", preemption == null ? "PreemptLowerPriority" : preemption);
        }
    }
}
