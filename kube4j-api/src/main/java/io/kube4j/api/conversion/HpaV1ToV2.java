package io.kube4j.api.conversion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * An autoscaling/v1 HorizontalPodAutoscaler as autoscaling/v2 (the storage version) holds it, after upstream's
 * pkg/apis/autoscaling/v1 conversion: the round-trip annotations written by {@link HpaV2ToV1} give back the other
 * metrics, current metrics, behavior and conditions, and are dropped; spec.targetCPUUtilizationPercentage becomes
 * a cpu Utilization metric after the others. With no metric at all, the cpu target is upstream's default of 80%,
 * which autoscaling/v1 always implied.
 */
public final class HpaV1ToV2 {

    public static final String API_VERSION = "autoscaling/v2";
    /** upstream's autoscaling.DefaultCPUUtilization. */
    static final int DEFAULT_CPU_UTILIZATION = 80;

    private HpaV1ToV2() {
    }

    /** A new object; {@code v1} is left unchanged. */
    public static ObjectNode convert(ObjectNode v1) {
        ObjectNode out = v1.objectNode();
        out.put("apiVersion", API_VERSION);
        out.put("kind", "HorizontalPodAutoscaler");
        JsonNode annotations = v1.path("metadata").path("annotations");
        out.set("metadata", HpaAnnotations.withoutRoundTrip(v1.get("metadata"), out));
        JsonNode spec = v1.path("spec");
        JsonNode status = v1.path("status");

        ObjectNode outSpec = out.putObject("spec");
        HpaFields.copy(spec, outSpec, "scaleTargetRef", "minReplicas", "maxReplicas");
        ArrayNode metrics = outSpec.putArray("metrics");
        JsonNode others = HpaAnnotations.parseObjects(annotations.path(HpaAnnotations.METRICS).asString(null));
        if (others != null) {
            others.forEach(m -> metrics.add(HpaMetrics.specToV2(m)));
        }
        if (spec.hasNonNull("targetCPUUtilizationPercentage")) {
            metrics.add(cpuUtilization(spec.get("targetCPUUtilizationPercentage")));
        }
        if (metrics.isEmpty()) {
            metrics.add(cpuUtilization(out.numberNode(DEFAULT_CPU_UTILIZATION)));
        }
        ObjectNode behavior = HpaMetrics.behaviorFromAnnotation(
                HpaAnnotations.parse(annotations.path(HpaAnnotations.BEHAVIOR).asString(null)));
        if (behavior != null) {
            outSpec.set("behavior", behavior);
        }

        ObjectNode outStatus = HpaFields.object();
        HpaFields.copy(status, outStatus, "observedGeneration", "lastScaleTime", "currentReplicas",
                "desiredReplicas");
        JsonNode current = HpaAnnotations.parseObjects(annotations.path(HpaAnnotations.CURRENT_METRICS)
                .asString(null));
        if (current != null) {
            // the annotation holds more than currentCPUUtilizationPercentage can: it wins
            ArrayNode currentMetrics = outStatus.putArray("currentMetrics");
            current.forEach(m -> currentMetrics.add(HpaMetrics.statusToV2(m)));
        } else if (status.hasNonNull("currentCPUUtilizationPercentage")) {
            ObjectNode metric = outStatus.putArray("currentMetrics").addObject();
            metric.put("type", "Resource");
            ObjectNode resource = metric.putObject("resource");
            resource.put("name", "cpu");
            resource.putObject("current").set("averageUtilization",
                    status.get("currentCPUUtilizationPercentage").deepCopy());
        }
        JsonNode conditions = HpaAnnotations.parseObjects(annotations.path(HpaAnnotations.CONDITIONS).asString(null));
        if (conditions != null) {
            outStatus.set("conditions", conditions);
        }
        if (!outStatus.isEmpty() || v1.has("status")) {
            out.set("status", outStatus);
        }
        return out;
    }

    /**
     * Replaces the round-trip annotations of {@code v1} that stand for status (current metrics, conditions) with
     * those of {@code fromMetadata} (none when null): a write that may not change status keeps the stored ones, and
     * a status write takes the request's, so that {@link #convert} reads status from the right source.
     */
    public static void replaceStatusAnnotations(ObjectNode v1, JsonNode fromMetadata) {
        replaceAnnotations(v1, fromMetadata, List.of(HpaAnnotations.CURRENT_METRICS, HpaAnnotations.CONDITIONS));
    }

    /**
     * Replaces the round-trip annotations of {@code v1} that stand for spec (metrics, behavior) with those of
     * {@code fromMetadata}: a status write that takes the request's annotations keeps the stored spec ones.
     */
    public static void replaceSpecAnnotations(ObjectNode v1, JsonNode fromMetadata) {
        replaceAnnotations(v1, fromMetadata, List.of(HpaAnnotations.METRICS, HpaAnnotations.BEHAVIOR));
    }

    private static void replaceAnnotations(ObjectNode v1, JsonNode fromMetadata, List<String> keys) {
        JsonNode metadata = v1.get("metadata");
        if (!(metadata instanceof ObjectNode meta)) {
            return;
        }
        if (meta.get("annotations") instanceof ObjectNode annotations) {
            annotations.remove(keys);
        }
        JsonNode source = fromMetadata == null ? null : fromMetadata.get("annotations");
        if (source != null && source.isObject()) {
            for (String key : keys) {
                JsonNode value = source.get(key);
                if (value != null) {
                    JsonNode existing = meta.get("annotations");
                    ObjectNode target = existing instanceof ObjectNode a ? a : meta.putObject("annotations");
                    target.set(key, value.deepCopy());
                }
            }
        }
        if (meta.get("annotations") instanceof ObjectNode annotations && annotations.isEmpty()) {
            meta.remove("annotations");
        }
    }

    private static ObjectNode cpuUtilization(JsonNode percentage) {
        ObjectNode metric = HpaFields.object();
        metric.put("type", "Resource");
        ObjectNode resource = metric.putObject("resource");
        resource.put("name", "cpu");
        ObjectNode target = resource.putObject("target");
        target.put("type", "Utilization");
        target.set("averageUtilization", percentage.deepCopy());
        return metric;
    }
}
