package io.kube4j.api.conversion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Metric specs and statuses between autoscaling/v2 and the autoscaling/v1 form the round-trip annotations hold
 * (upstream's MetricSpec/MetricStatus conversions of pkg/apis/autoscaling/v1). Where upstream's v1 type has a
 * required quantity that v2 may leave unset, the v1 form says {@code "0"}, as Go's zero Quantity does; in the other
 * direction such a required v1 quantity always becomes a value, as upstream's conversion takes its address.
 */
final class HpaMetrics {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String ZERO = "0";

    private HpaMetrics() {
    }

    // ---- specs ----

    /** A v2 MetricSpec in v1 form. */
    static ObjectNode specToV1(JsonNode m) {
        ObjectNode out = NODES.objectNode();
        String type = m.path("type").asString("");
        out.put("type", type);
        JsonNode target = m.path(field(type)).path("target");
        switch (type) {
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                o.set("target", reference(src.path("describedObject")));
                copy(src.path("metric"), "name", o, "metricName");
                o.put("targetValue", target.path("value").asString(ZERO));
                copy(src.path("metric"), "selector", o, "selector");
                copy(target, "averageValue", o, "averageValue");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                copy(src.path("metric"), "name", o, "metricName");
                o.put("targetAverageValue", target.path("averageValue").asString(ZERO));
                copy(src.path("metric"), "selector", o, "selector");
            }
            case "Resource", "ContainerResource" -> {
                JsonNode src = m.path(field(type));
                ObjectNode o = out.putObject(field(type));
                copy(src, "name", o, "name");
                copy(target, "averageUtilization", o, "targetAverageUtilization");
                copy(target, "averageValue", o, "targetAverageValue");
                copy(src, "container", o, "container");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                copy(src.path("metric"), "name", o, "metricName");
                copy(src.path("metric"), "selector", o, "metricSelector");
                copy(target, "value", o, "targetValue");
                copy(target, "averageValue", o, "targetAverageValue");
            }
            default -> {
                // an unknown type carries nothing else upstream's v1 type could hold
            }
        }
        return out;
    }

    /** A v1 MetricSpec (from the annotation) in v2 form. */
    static ObjectNode specToV2(JsonNode m) {
        ObjectNode out = NODES.objectNode();
        String type = m.path("type").asString("");
        out.put("type", type);
        switch (type) {
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                o.set("describedObject", reference(src.path("target")));
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("averageValue") ? "AverageValue" : "Value");
                target.put("value", src.path("targetValue").asString(ZERO));
                copy(src, "averageValue", target, "averageValue");
                o.set("metric", identifier(src, "metricName", "selector"));
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                o.set("metric", identifier(src, "metricName", "selector"));
                ObjectNode target = o.putObject("target");
                target.put("type", "AverageValue");
                target.put("averageValue", src.path("targetAverageValue").asString(ZERO));
            }
            case "Resource", "ContainerResource" -> {
                JsonNode src = m.path(field(type));
                ObjectNode o = out.putObject(field(type));
                copy(src, "name", o, "name");
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("targetAverageUtilization") ? "Utilization" : "AverageValue");
                copy(src, "targetAverageValue", target, "averageValue");
                copy(src, "targetAverageUtilization", target, "averageUtilization");
                copy(src, "container", o, "container");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                o.set("metric", identifier(src, "metricName", "metricSelector"));
                ObjectNode target = o.putObject("target");
                target.put("type", src.hasNonNull("targetValue") ? "Value" : "AverageValue");
                copy(src, "targetValue", target, "value");
                copy(src, "targetAverageValue", target, "averageValue");
            }
            default -> {
            }
        }
        return out;
    }

    // ---- statuses ----

    /** A v2 MetricStatus in v1 form. */
    static ObjectNode statusToV1(JsonNode m) {
        ObjectNode out = NODES.objectNode();
        String type = m.path("type").asString("");
        out.put("type", type);
        JsonNode current = m.path(field(type)).path("current");
        switch (type) {
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                o.set("target", reference(src.path("describedObject")));
                copy(src.path("metric"), "name", o, "metricName");
                o.put("currentValue", current.path("value").asString(ZERO));
                copy(src.path("metric"), "selector", o, "selector");
                copy(current, "averageValue", o, "averageValue");
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                copy(src.path("metric"), "name", o, "metricName");
                o.put("currentAverageValue", current.path("averageValue").asString(ZERO));
                copy(src.path("metric"), "selector", o, "selector");
            }
            case "Resource", "ContainerResource" -> {
                JsonNode src = m.path(field(type));
                ObjectNode o = out.putObject(field(type));
                copy(src, "name", o, "name");
                copy(current, "averageUtilization", o, "currentAverageUtilization");
                o.put("currentAverageValue", current.path("averageValue").asString(ZERO));
                copy(src, "container", o, "container");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                copy(src.path("metric"), "name", o, "metricName");
                copy(src.path("metric"), "selector", o, "metricSelector");
                o.put("currentValue", current.path("value").asString(ZERO));
                copy(current, "averageValue", o, "currentAverageValue");
            }
            default -> {
            }
        }
        return out;
    }

    /** A v1 MetricStatus (from the annotation) in v2 form. */
    static ObjectNode statusToV2(JsonNode m) {
        ObjectNode out = NODES.objectNode();
        String type = m.path("type").asString("");
        out.put("type", type);
        switch (type) {
            case "Object" -> {
                JsonNode src = m.path("object");
                ObjectNode o = out.putObject("object");
                o.set("metric", identifier(src, "metricName", "selector"));
                ObjectNode current = o.putObject("current");
                current.put("value", src.path("currentValue").asString(ZERO));
                copy(src, "averageValue", current, "averageValue");
                o.set("describedObject", reference(src.path("target")));
            }
            case "Pods" -> {
                JsonNode src = m.path("pods");
                ObjectNode o = out.putObject("pods");
                o.set("metric", identifier(src, "metricName", "selector"));
                o.putObject("current").put("averageValue", src.path("currentAverageValue").asString(ZERO));
            }
            case "Resource", "ContainerResource" -> {
                JsonNode src = m.path(field(type));
                ObjectNode o = out.putObject(field(type));
                copy(src, "name", o, "name");
                ObjectNode current = o.putObject("current");
                current.put("averageValue", src.path("currentAverageValue").asString(ZERO));
                copy(src, "currentAverageUtilization", current, "averageUtilization");
                copy(src, "container", o, "container");
            }
            case "External" -> {
                JsonNode src = m.path("external");
                ObjectNode o = out.putObject("external");
                o.set("metric", identifier(src, "metricName", "metricSelector"));
                ObjectNode current = o.putObject("current");
                current.put("value", src.path("currentValue").asString(ZERO));
                copy(src, "currentAverageValue", current, "averageValue");
            }
            default -> {
            }
        }
        return out;
    }

    // ---- behavior ----

    /**
     * spec.behavior as the annotation holds it: upstream marshals its internal type, which has no JSON tags, so the
     * keys are Go field names and unset pointers are null.
     */
    static ObjectNode behaviorToAnnotation(JsonNode behavior) {
        ObjectNode out = NODES.objectNode();
        for (String direction : new String[] {"scaleUp", "scaleDown"}) {
            JsonNode rules = behavior.get(direction);
            if (rules == null || !rules.isObject()) {
                out.putNull(capitalize(direction));
                continue;
            }
            ObjectNode r = out.putObject(capitalize(direction));
            r.set("StabilizationWindowSeconds", orNull(rules.get("stabilizationWindowSeconds")));
            r.set("SelectPolicy", orNull(rules.get("selectPolicy")));
            JsonNode policies = rules.get("policies");
            if (policies == null || !policies.isArray()) {
                r.putNull("Policies");
            } else {
                ArrayNode p = r.putArray("Policies");
                for (JsonNode policy : policies) {
                    ObjectNode item = p.addObject();
                    item.set("Type", orNull(policy.get("type")));
                    item.set("Value", orNull(policy.get("value")));
                    item.set("PeriodSeconds", orNull(policy.get("periodSeconds")));
                }
            }
            // other fields of later versions keep their names, Go-style, so they survive the round trip
            for (var member : rules.properties()) {
                if (!r.has(capitalize(member.getKey())) && !member.getKey().equals("policies")) {
                    r.set(capitalize(member.getKey()), member.getValue().deepCopy());
                }
            }
        }
        return out;
    }

    /**
     * spec.behavior from the annotation, or null when it names no rules. Go's decoder matches field names without
     * regard to case, so {@code scaleUp} and {@code ScaleUp} both count; nulls are unset fields.
     */
    static ObjectNode behaviorFromAnnotation(JsonNode annotation) {
        if (annotation == null || !annotation.isObject()) {
            return null;
        }
        JsonNode converted = camelCase(annotation);
        if (!(converted instanceof ObjectNode behavior)) {
            return null;
        }
        behavior.retain("scaleUp", "scaleDown");
        return behavior.isEmpty() ? null : behavior;
    }

    /** Keys with a lower-case first letter, recursively, dropping null members. */
    private static JsonNode camelCase(JsonNode node) {
        if (node.isObject()) {
            ObjectNode out = NODES.objectNode();
            for (var member : node.properties()) {
                if (!member.getValue().isNull()) {
                    out.set(decapitalize(member.getKey()), camelCase(member.getValue()));
                }
            }
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = NODES.arrayNode();
            node.forEach(item -> out.add(camelCase(item)));
            return out;
        }
        return node.deepCopy();
    }

    // ---- helpers ----

    private static String field(String type) {
        return switch (type) {
            case "Object" -> "object";
            case "Pods" -> "pods";
            case "Resource" -> "resource";
            case "ContainerResource" -> "containerResource";
            case "External" -> "external";
            default -> "";
        };
    }

    /** A CrossVersionObjectReference (kind, name, apiVersion), the same in both versions. */
    private static ObjectNode reference(JsonNode ref) {
        ObjectNode out = NODES.objectNode();
        out.put("kind", ref.path("kind").asString(""));
        out.put("name", ref.path("name").asString(""));
        copy(ref, "apiVersion", out, "apiVersion");
        return out;
    }

    /** A v2 MetricIdentifier from a v1 source's name and selector fields. */
    private static ObjectNode identifier(JsonNode src, String nameField, String selectorField) {
        ObjectNode out = NODES.objectNode();
        out.put("name", src.path(nameField).asString(""));
        copy(src, selectorField, out, "selector");
        return out;
    }

    private static void copy(JsonNode from, String field, ObjectNode to, String as) {
        JsonNode value = from.get(field);
        if (value != null && !value.isNull()) {
            to.set(as, value.deepCopy());
        }
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null ? NODES.nullNode() : value.deepCopy();
    }

    private static String capitalize(String name) {
        return name.isEmpty() ? name : Character.toUpperCase(name.charAt(0)) + name.substring(1);
    }

    private static String decapitalize(String name) {
        return name.isEmpty() ? name : Character.toLowerCase(name.charAt(0)) + name.substring(1);
    }
}
