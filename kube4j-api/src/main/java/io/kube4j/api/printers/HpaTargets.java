package io.kube4j.api.printers;

import io.kube4j.api.conversion.HpaV1ToV2;
import io.kube4j.api.conversion.HpaV2ToV1;

import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The TARGETS cell of an HPA (upstream's formatHPAMetrics), for autoscaling/v2 and v1 shapes. */
final class HpaTargets {
    private HpaTargets() {
    }

    static String format(ObjectNode hpa) {
        if (HpaV2ToV1.API_VERSION.equals(hpa.path("apiVersion").asString(""))) {
            // upstream prints from its internal (v2) form, so the metrics v1 keeps in annotations show too
            hpa = HpaV1ToV2.convert(hpa);
        }
        JsonNode spec = hpa.get("spec");
        if (!Cells.has(spec, "metrics") && Cells.has(spec, "targetCPUUtilizationPercentage")) {
            String current = Cells.has(hpa, "status", "currentCPUUtilizationPercentage")
                    ? Cells.num(hpa, "status", "currentCPUUtilizationPercentage") + "%" : "<unknown>";
            return "cpu: " + current + "/" + Cells.num(spec, "targetCPUUtilizationPercentage") + "%";
        }
        List<JsonNode> specs = Cells.list(spec, "metrics");
        List<JsonNode> statuses = Cells.list(hpa, "status", "currentMetrics");
        if (specs.isEmpty()) {
            return "<none>";
        }
        List<String> list = new ArrayList<>();
        int max = 2;
        int count = 0;
        for (int i = 0; i < specs.size(); i++) {
            JsonNode s = specs.get(i);
            JsonNode st = statuses.size() > i ? statuses.get(i) : null;
            switch (Cells.str(s, "type")) {
                case "External" -> list.add(valueTarget(Cells.at(s, "external", "target"), Cells.at(st, "external", "current")));
                case "Object" -> list.add(valueTarget(Cells.at(s, "object", "target"), Cells.at(st, "object", "current")));
                case "Pods" -> {
                    String current = Cells.has(st, "pods") ? Cells.scalar(Cells.at(st, "pods", "current", "averageValue")) : "<unknown>";
                    list.add(current + "/" + Cells.scalar(Cells.at(s, "pods", "target", "averageValue")));
                }
                case "Resource" -> list.add(resource(Cells.at(s, "resource"), Cells.at(st, "resource")));
                case "ContainerResource" -> list.add(resource(Cells.at(s, "containerResource"), Cells.at(st, "containerResource")));
                default -> list.add("<unknown type>");
            }
            count++;
        }
        boolean more = false;
        if (count > max) {
            list = list.subList(0, max);
            more = true;
        }
        String ret = String.join(", ", list);
        return more ? ret + " + " + (count - max) + " more..." : ret;
    }

    private static String valueTarget(JsonNode target, JsonNode current) {
        if (Cells.has(target, "averageValue")) {
            String cur = Cells.has(current, "averageValue") ? Cells.scalar(Cells.at(current, "averageValue")) : "<unknown>";
            return cur + "/" + Cells.scalar(Cells.at(target, "averageValue")) + " (avg)";
        }
        String cur = current != null ? Cells.scalar(Cells.at(current, "value")) : "<unknown>";
        return cur + "/" + Cells.scalar(Cells.at(target, "value"));
    }

    private static String resource(JsonNode spec, JsonNode status) {
        String name = Cells.str(spec, "name");
        JsonNode target = Cells.at(spec, "target");
        if (Cells.has(target, "averageValue")) {
            String cur = status != null ? Cells.scalar(Cells.at(status, "current", "averageValue")) : "<unknown>";
            return name + ": " + cur + "/" + Cells.scalar(Cells.at(target, "averageValue"));
        }
        String cur = Cells.has(status, "current", "averageUtilization")
                ? Cells.num(status, "current", "averageUtilization") + "%" : "<unknown>";
        String tgt = Cells.has(target, "averageUtilization") ? Cells.num(target, "averageUtilization") + "%" : "<auto>";
        return name + ": " + cur + "/" + tgt;
    }
}
