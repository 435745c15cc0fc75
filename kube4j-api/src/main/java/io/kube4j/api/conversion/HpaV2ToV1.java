package io.kube4j.api.conversion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * An autoscaling/v2 HorizontalPodAutoscaler (the storage version) as autoscaling/v1 serves it, after upstream's
 * pkg/apis/autoscaling/v1 conversion: the CPU utilization target becomes spec.targetCPUUtilizationPercentage, the
 * current CPU utilization status.currentCPUUtilizationPercentage, and what v1 cannot hold - the other metrics, all
 * current metrics, behavior and conditions - goes into the round-trip annotations.
 */
public final class HpaV2ToV1 {

    public static final String API_VERSION = "autoscaling/v1";

    private HpaV2ToV1() {
    }

    /** A new object; {@code v2} is left unchanged. */
    public static ObjectNode convert(ObjectNode v2) {
        ObjectNode out = v2.objectNode();
        out.put("apiVersion", API_VERSION);
        out.put("kind", "HorizontalPodAutoscaler");
        // annotations a v2 writer may have set by hand are replaced by the ones this conversion produces
        ObjectNode metadata = HpaAnnotations.withoutRoundTrip(v2.get("metadata"), out);
        out.set("metadata", metadata);
        JsonNode spec = v2.path("spec");
        JsonNode status = v2.path("status");
        out.set("spec", spec(spec));
        out.set("status", status(status));

        ArrayNode otherMetrics = out.arrayNode();
        for (JsonNode metric : spec.path("metrics")) {
            if (!isCpuUtilization(metric, "target")) {
                otherMetrics.add(HpaMetrics.specToV1(metric));
            }
        }
        ArrayNode currentMetrics = out.arrayNode();
        for (JsonNode metric : status.path("currentMetrics")) {
            // kept even for CPU utilization: the annotation also holds the raw value
            currentMetrics.add(HpaMetrics.statusToV1(metric));
        }
        if (!otherMetrics.isEmpty()) {
            annotate(metadata, HpaAnnotations.METRICS, otherMetrics);
        }
        if (!currentMetrics.isEmpty()) {
            annotate(metadata, HpaAnnotations.CURRENT_METRICS, currentMetrics);
        }
        if (spec.get("behavior") instanceof ObjectNode behavior) {
            annotate(metadata, HpaAnnotations.BEHAVIOR, HpaMetrics.behaviorToAnnotation(behavior));
        }
        if (status.path("conditions").isArray() && !status.path("conditions").isEmpty()) {
            annotate(metadata, HpaAnnotations.CONDITIONS, status.get("conditions"));
        }
        return out;
    }

    private static ObjectNode spec(JsonNode in) {
        ObjectNode spec = HpaFields.object();
        HpaFields.copy(in, spec, "scaleTargetRef", "minReplicas", "maxReplicas");
        for (JsonNode metric : in.path("metrics")) {
            if (isCpuUtilization(metric, "target")) {
                spec.set("targetCPUUtilizationPercentage",
                        metric.path("resource").path("target").get("averageUtilization").deepCopy());
                break;
            }
        }
        return spec;
    }

    private static ObjectNode status(JsonNode in) {
        ObjectNode status = HpaFields.object();
        HpaFields.copy(in, status, "observedGeneration", "lastScaleTime");
        // both are plain integers in v1, always present
        status.put("currentReplicas", in.path("currentReplicas").asInt(0));
        status.put("desiredReplicas", in.path("desiredReplicas").asInt(0));
        for (JsonNode metric : in.path("currentMetrics")) {
            if (isCpuUtilization(metric, "current")) {
                status.set("currentCPUUtilizationPercentage",
                        metric.path("resource").path("current").get("averageUtilization").deepCopy());
            }
        }
        return status;
    }

    /** A Resource metric on cpu whose target (or current value) is a utilization. */
    static boolean isCpuUtilization(JsonNode metric, String valueField) {
        return "Resource".equals(metric.path("type").asString(""))
                && "cpu".equals(metric.path("resource").path("name").asString(""))
                && metric.path("resource").path(valueField).hasNonNull("averageUtilization");
    }

    private static void annotate(ObjectNode metadata, String key, JsonNode value) {
        JsonNode existing = metadata.get("annotations");
        ObjectNode annotations = existing instanceof ObjectNode a ? a : metadata.putObject("annotations");
        annotations.put(key, HpaAnnotations.text(value));
    }
}
