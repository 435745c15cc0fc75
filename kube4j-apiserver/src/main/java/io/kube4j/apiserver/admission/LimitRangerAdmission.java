package io.kube4j.apiserver.admission;

import io.kube4j.api.podresources.PodResourceLists;
import io.kube4j.api.podresources.PodTotals;
import io.kube4j.api.quantity.Quantity;
import io.kube4j.apiserver.authn.ObjectLookup;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * LimitRanger: the namespace's LimitRanges give new pods' containers their default limits and requests
 * (mutating), then bound containers, pods and PVC requests by min, max and maxLimitRequestRatio (validating).
 */
public final class LimitRangerAdmission implements MutatingAdmission, ValidatingAdmission {
    /**
     * A "Pod" limit bounds what the containers total, sidecars and init containers counted as the scheduler does,
     * but not the overhead: upstream's LimitRanger leaves spec.overhead out of its pod totals.
     */
    private static final PodTotals.Options POD_TOTALS = PodTotals.Options.DEFAULT.withoutOverhead();

    private final ObjectLookup lookup;

    public LimitRangerAdmission(ObjectLookup lookup) {
        this.lookup = lookup;
    }

    @Override
    public String name() {
        return "LimitRanger";
    }

    @Override
    public void admit(AdmissionRequest request) {
        if (!applies(request) || !request.isCore("pods")) {
            return;
        }
        for (ObjectNode limitRange : lookup.list("limitranges", request.namespace())) {
            for (JsonNode item : limitRange.path("spec").path("limits")) {
                if (!"Container".equals(Json.text(item, "type"))) {
                    continue;
                }
                Map<String, Quantity> defaultLimits = Resources.list(item.get("default"));
                Map<String, Quantity> defaultRequests = Resources.list(item.get("defaultRequest"));
                for (JsonNode container : Resources.containers(request.object())) {
                    ObjectNode resources = Json.child((ObjectNode) container, "resources");
                    fill(resources, "limits", defaultLimits);
                    fill(resources, "requests", defaultRequests);
                }
            }
        }
    }

    private static void fill(ObjectNode resources, String field, Map<String, Quantity> defaults) {
        if (defaults.isEmpty()) {
            return;
        }
        ObjectNode target = Json.child(resources, field);
        defaults.forEach((name, value) -> {
            if (!target.has(name)) {
                target.put(name, value.toString());
            }
        });
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (!applies(request)) {
            return;
        }
        List<String> errors = new ArrayList<>();
        for (ObjectNode limitRange : lookup.list("limitranges", request.namespace())) {
            for (JsonNode item : limitRange.path("spec").path("limits")) {
                String type = Json.text(item, "type");
                if (request.isCore("pods") && "Container".equals(type)) {
                    for (JsonNode container : Resources.containers(request.object())) {
                        check(errors, "Container", item, Resources.list(container.path("resources").path("requests")),
                                Resources.list(container.path("resources").path("limits")));
                    }
                } else if (request.isCore("pods") && "Pod".equals(type)) {
                    PodResourceLists pod = PodResourceLists.of(request.object());
                    check(errors, "Pod", item, PodTotals.requests(pod, POD_TOTALS), PodTotals.limits(pod, POD_TOTALS));
                } else if (request.isCore("persistentvolumeclaims") && "PersistentVolumeClaim".equals(type)) {
                    JsonNode resources = request.object().path("spec").path("resources");
                    check(errors, "PersistentVolumeClaim", item, Resources.list(resources.path("requests")),
                            Resources.list(resources.path("limits")));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw AdmissionErrors.forbidden(request, AdmissionErrors.aggregate(errors));
        }
    }

    private static boolean applies(AdmissionRequest request) {
        return request.operation() == Operation.CREATE && request.object() != null
                && (request.isCore("pods") || request.isCore("persistentvolumeclaims"));
    }

    private static void check(List<String> errors, String type, JsonNode item, Map<String, Quantity> requests,
                              Map<String, Quantity> limits) {
        Resources.list(item.get("min")).forEach((name, min) -> {
            Quantity request = requests.get(name);
            Quantity limit = limits.get(name);
            if (request == null) {
                errors.add("minimum " + name + " usage per " + type + " is " + min + ".  No request is specified");
            } else if (request.compareTo(min) < 0) {
                errors.add("minimum " + name + " usage per " + type + " is " + min + ", but request is " + request);
            } else if (limit != null && limit.compareTo(min) < 0) {
                errors.add("minimum " + name + " usage per " + type + " is " + min + ", but limit is " + limit);
            }
        });
        Resources.list(item.get("max")).forEach((name, max) -> {
            Quantity request = requests.get(name);
            Quantity limit = limits.get(name);
            if (limit == null) {
                errors.add("maximum " + name + " usage per " + type + " is " + max + ".  No limit is specified");
            } else if (limit.compareTo(max) > 0) {
                errors.add("maximum " + name + " usage per " + type + " is " + max + ", but limit is " + limit);
            } else if (request != null && request.compareTo(max) > 0) {
                errors.add("maximum " + name + " usage per " + type + " is " + max + ", but request is " + request);
            }
        });
        Resources.list(item.get("maxLimitRequestRatio")).forEach((name, ratio) -> {
            Quantity request = requests.get(name);
            Quantity limit = limits.get(name);
            if (limit == null) {
                return;
            }
            if (request == null || request.isZero()) {
                errors.add(name + " max limit to request ratio per " + type + " is " + ratio
                        + ", but no request is specified or request is 0");
                return;
            }
            BigDecimal observed = limit.toBigDecimal().divide(request.toBigDecimal(), 6, RoundingMode.HALF_UP);
            if (observed.compareTo(ratio.toBigDecimal()) > 0) {
                errors.add(name + " max limit to request ratio per " + type + " is " + ratio
                        + ", but provided ratio is " + observed.setScale(6, RoundingMode.HALF_UP).toPlainString());
            }
        });
    }
}
