package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * node.k8s.io/v1 RuntimeClass, as upstream's {@code pkg/apis/node/validation}: the handler is a DNS label and
 * immutable, the overhead is checked as a container's limits, the scheduling node selector as labels and its
 * tolerations as a pod's, each listed once.
 */
final class RuntimeClassValidator extends KindValidator {

    RuntimeClassValidator() {
        super(false, NameFn.DNS_SUBDOMAIN);
    }

    @Override
    void validate(ObjectNode rc, List<FieldError> errs) {
        Checks.dns1123Label(Json.strOr(rc, "handler", ""), "handler", errs);
        ObjectNode overhead = Json.obj(rc, "overhead");
        if (overhead != null) {
            // upstream reuses the container resource rules with podFixed as the limits, hence "overhead.limits[...]"
            ObjectNode asResources = JsonNodeFactory.instance.objectNode();
            JsonNode podFixed = Json.node(overhead, "podFixed");
            if (podFixed != null) {
                asResources.set("limits", podFixed);
            }
            PodSpecValidation.resources(asResources, "overhead", errs);
        }
        ObjectNode scheduling = Json.obj(rc, "scheduling");
        if (scheduling != null) {
            errs.addAll(ObjectMetaValidation.validateLabels(Json.obj(scheduling, "nodeSelector"),
                    "scheduling.nodeSelector"));
            tolerations(Json.objs(scheduling, "tolerations"), errs);
        }
    }

    /** Upstream names the list twice ({@code scheduling.tolerations.tolerations[i]}) in the shared rules. */
    private static void tolerations(List<ObjectNode> tolerations, List<FieldError> errs) {
        PodSpecValidation.tolerations(tolerations, "scheduling.tolerations.tolerations", errs);
        List<List<String>> seen = new ArrayList<>();
        for (int i = 0; i < tolerations.size(); i++) {
            ObjectNode t = tolerations.get(i);
            // the list's keys: key, operator, value, effect (tolerationSeconds does not tell two apart)
            List<String> key = List.of(Json.strOr(t, "key", ""), Json.strOr(t, "operator", ""),
                    Json.strOr(t, "value", ""), Json.strOr(t, "effect", ""));
            if (seen.contains(key)) {
                errs.add(FieldError.duplicate(Paths.index("scheduling.tolerations", i), t));
            } else {
                seen.add(key);
            }
        }
    }

    @Override
    void validateImmutable(ObjectNode rc, ObjectNode old, List<FieldError> errs) {
        Checks.immutable(Json.node(rc, "handler"), Json.node(old, "handler"), "handler", errs);
    }
}
