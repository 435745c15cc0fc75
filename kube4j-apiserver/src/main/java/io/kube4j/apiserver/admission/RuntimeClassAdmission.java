package io.kube4j.apiserver.admission;

import io.kube4j.api.quantity.Quantity;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * RuntimeClass (upstream's {@code plugin/pkg/admission/runtimeclass}), on pod create only. Mutating: a pod naming a
 * RuntimeClass that does not exist is refused; the class's {@code overhead.podFixed} becomes the pod's
 * {@code spec.overhead} (a different overhead already set is refused) and its {@code scheduling} is merged into the
 * pod - node selector entries added (a different value for the same key is refused), tolerations merged. Validating:
 * the pod's overhead must equal its class's, and a pod without a class with an overhead may set none.
 */
public final class RuntimeClassAdmission implements MutatingAdmission, ValidatingAdmission {

    private final ObjectLookup lookup;

    public RuntimeClassAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "RuntimeClass";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!applies(request)) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        ObjectNode runtimeClass = runtimeClass(request, spec);
        if (runtimeClass == null) {
            return;
        }
        setOverhead(request, spec, runtimeClass);
        setScheduling(request, spec, runtimeClass);
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!applies(request)) {
            return;
        }
        ObjectNode spec = Json.child(request.object(), "spec");
        ObjectNode runtimeClass = runtimeClass(request, spec);
        JsonNode podFixed = runtimeClass == null ? null : runtimeClass.path("overhead").get("podFixed");
        boolean classHasOverhead = runtimeClass != null && runtimeClass.get("overhead") instanceof ObjectNode;
        if (classHasOverhead) {
            if (!sameQuantities(podFixed, spec.get("overhead"))) {
                throw AdmissionErrors.forbidden(request,
                        "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
            }
        } else if (spec.get("overhead") != null && !spec.get("overhead").isNull()) {
            throw AdmissionErrors.forbidden(request,
                    "pod rejected: Pod Overhead set without corresponding RuntimeClass defined Overhead");
        }
    }

    private static boolean applies(AdmissionRequest request) {
        return request.operation() == Operation.CREATE && request.isCore("pods") && request.object() != null;
    }

    /** The pod's RuntimeClass, null when it names none; a name that does not exist is refused. */
    private ObjectNode runtimeClass(AdmissionRequest request, ObjectNode spec) {
        String name = Json.text(spec, "runtimeClassName");
        if (name == null || spec.get("runtimeClassName").isNull()) {
            return null;
        }
        // as upstream: the informer's copy (no store read per pod), and on a miss a live read, since the informer may
        // not have seen a class created a moment ago
        return lookup.getCachedThenLive("runtimeclasses", null, name)
                .orElseThrow(() -> AdmissionErrors.forbidden(request,
                        "pod rejected: RuntimeClass \"" + name + "\" not found"));
    }

    private static void setOverhead(AdmissionRequest request, ObjectNode spec, ObjectNode runtimeClass) {
        JsonNode overhead = runtimeClass.get("overhead");
        if (!(overhead instanceof ObjectNode)) {
            return;
        }
        JsonNode podFixed = overhead.get("podFixed");
        JsonNode given = spec.get("overhead");
        if (given != null && given.isObject() && !given.isEmpty() && !sameQuantities(podFixed, given)) {
            throw AdmissionErrors.forbidden(request,
                    "pod rejected: Pod's Overhead doesn't match RuntimeClass's defined Overhead");
        }
        if (podFixed == null || podFixed.isNull()) {
            spec.remove("overhead");
        } else {
            spec.set("overhead", podFixed.deepCopy());
        }
    }

    private static void setScheduling(AdmissionRequest request, ObjectNode spec, ObjectNode runtimeClass) {
        JsonNode scheduling = runtimeClass.get("scheduling");
        if (!(scheduling instanceof ObjectNode)) {
            return;
        }
        Map<String, String> classSelector = Json.stringMap(scheduling.get("nodeSelector"));
        JsonNode podSelector = spec.get("nodeSelector");
        if (podSelector == null || podSelector.isNull()) {
            if (scheduling.get("nodeSelector") instanceof ObjectNode selector) {
                spec.set("nodeSelector", selector.deepCopy());
            }
        } else {
            ObjectNode selector = (ObjectNode) podSelector;
            for (Map.Entry<String, String> e : classSelector.entrySet()) {
                JsonNode podValue = selector.get(e.getKey());
                if (podValue != null && !podValue.asString("").equals(e.getValue())) {
                    throw AdmissionErrors.forbidden(request, "conflict: runtimeClass.scheduling.nodeSelector["
                            + e.getKey() + "] = " + e.getValue() + "; pod.spec.nodeSelector[" + e.getKey() + "] = "
                            + podValue.asString(""));
                }
                selector.put(e.getKey(), e.getValue());
            }
        }
        List<JsonNode> merged = TolerationMerge.merge(items(spec.get("tolerations")),
                items(scheduling.get("tolerations")));
        if (merged.isEmpty()) {
            // nil merged with nil stays nil: the pod keeps whatever empty form it had
            return;
        }
        ArrayNode tolerations = spec.putArray("tolerations");
        merged.forEach(t -> tolerations.add(t.deepCopy()));
    }

    private static List<JsonNode> items(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    /** Semantic equality of two resource lists: the same names, each quantity equal by value; nil equals empty. */
    static boolean sameQuantities(JsonNode a, JsonNode b) {
        Map<String, String> left = quantities(a);
        Map<String, String> right = quantities(b);
        if (!left.keySet().equals(right.keySet())) {
            return false;
        }
        for (Map.Entry<String, String> e : left.entrySet()) {
            try {
                if (Quantity.parse(e.getValue()).compareTo(Quantity.parse(right.get(e.getKey()))) != 0) {
                    return false;
                }
            } catch (RuntimeException unparsable) {
                // validation refuses bad quantities later; here they only have to be the same text
                if (!e.getValue().equals(right.get(e.getKey()))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static Map<String, String> quantities(JsonNode list) {
        return list == null || !list.isObject() ? Map.of() : Json.stringMap(list);
    }
}
