package io.kube4j.api.conversion;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The annotations through which autoscaling/v1 HorizontalPodAutoscalers carry what their schema cannot hold
 * (upstream's pkg/apis/autoscaling/annotations.go), and their JSON text.
 */
final class HpaAnnotations {

    /** Metrics other than the CPU utilization target, in autoscaling/v1's MetricSpec form. */
    static final String METRICS = "autoscaling.alpha.kubernetes.io/metrics";
    /** status.currentMetrics, in autoscaling/v1's MetricStatus form. */
    static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    /** spec.behavior, in the field names of upstream's internal type (Go names: ScaleUp, Policies, ...). */
    static final String BEHAVIOR = "autoscaling.alpha.kubernetes.io/behavior";
    /** status.conditions. */
    static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";

    static final List<String> ALL = List.of(METRICS, CURRENT_METRICS, BEHAVIOR, CONDITIONS);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private HpaAnnotations() {
    }

    static String text(JsonNode value) {
        return MAPPER.writeValueAsString(value);
    }

    /**
     * The parsed value of an annotation, or null when it is not valid JSON: upstream ignores an annotation it
     * cannot decode rather than failing the request.
     */
    static JsonNode parse(String text) {
        if (text == null) {
            return null;
        }
        try {
            return MAPPER.readTree(text);
        } catch (JacksonException e) {
            return null;
        }
    }

    /**
     * The parsed value of an annotation that must be a list of objects, or null when it is not one: Go's decoder
     * fails on the whole list then, and upstream ignores the annotation.
     */
    static JsonNode parseObjects(String text) {
        JsonNode value = parse(text);
        if (value == null || !value.isArray()) {
            return null;
        }
        for (JsonNode item : value) {
            if (!item.isObject()) {
                return null;
            }
        }
        return value;
    }

    /** A copy of {@code metadata} without the round-trip annotations (and without an emptied annotations map). */
    static ObjectNode withoutRoundTrip(JsonNode metadata, ObjectNode factory) {
        ObjectNode copy = metadata instanceof ObjectNode meta ? meta.deepCopy() : factory.objectNode();
        if (copy.get("annotations") instanceof ObjectNode annotations) {
            annotations.remove(ALL);
            if (annotations.isEmpty()) {
                copy.remove("annotations");
            }
        }
        return copy;
    }
}
