package io.kube4j.apiserver.resourcemetrics;

import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** Writes NodeMetrics and PodMetrics objects as metrics-server does. */
final class MetricsObjects {

    static final String API_VERSION = ResourceMetricsTypes.GROUP + "/" + ResourceMetricsTypes.VERSION;

    private MetricsObjects() {
    }

    static ObjectNode nodeMetrics(ObjectNode node, Usage usage, Instant now) {
        ObjectNode out = Json.object();
        out.put("kind", "NodeMetrics");
        out.put("apiVersion", API_VERSION);
        metadata(out, node, now);
        stamp(out, usage);
        usage(out.putObject("usage"), usage);
        return out;
    }

    static ObjectNode podMetrics(ObjectNode pod, UsageStore.PodUsage usage, Instant now) {
        ObjectNode out = Json.object();
        out.put("kind", "PodMetrics");
        out.put("apiVersion", API_VERSION);
        metadata(out, pod, now);
        Usage any = usage.containers().values().iterator().next();
        stamp(out, any);
        var containers = out.putArray("containers");
        for (Map.Entry<String, Usage> c : usage.containers().entrySet()) {
            ObjectNode container = containers.addObject();
            container.put("name", c.getKey());
            usage(container.putObject("usage"), c.getValue());
        }
        return out;
    }

    static ObjectNode list(String kind, Iterable<ObjectNode> items) {
        ObjectNode out = Json.object();
        out.put("kind", kind);
        out.put("apiVersion", API_VERSION);
        out.putObject("metadata");
        var array = out.putArray("items");
        items.forEach(array::add);
        return out;
    }

    /** Name, namespace and labels of the measured object; created now, as metrics-server's are. */
    private static void metadata(ObjectNode out, ObjectNode source, Instant now) {
        ObjectNode metadata = out.putObject("metadata");
        metadata.put("name", Json.text(source, "metadata", "name"));
        String namespace = Json.text(source, "metadata", "namespace");
        if (namespace != null) {
            metadata.put("namespace", namespace);
        }
        metadata.put("creationTimestamp", now.truncatedTo(ChronoUnit.SECONDS).toString());
        JsonNode labels = source.path("metadata").path("labels");
        if (labels.isObject() && !labels.isEmpty()) {
            metadata.set("labels", labels.deepCopy());
        }
    }

    private static void stamp(ObjectNode out, Usage usage) {
        out.put("timestamp", usage.timestamp().truncatedTo(ChronoUnit.SECONDS).toString());
        out.put("window", GoDuration.format(usage.window()));
    }

    private static void usage(ObjectNode out, Usage usage) {
        out.put("cpu", usage.cpu().toString());
        out.put("memory", usage.memory().toString());
    }
}
