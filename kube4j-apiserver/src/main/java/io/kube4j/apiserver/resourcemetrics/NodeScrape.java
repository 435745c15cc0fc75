package io.kube4j.apiserver.resourcemetrics;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scrape of a kubelet's {@code /metrics/resource}, sorted into the node's point and each pod's containers'
 * points. A sample without its own timestamp takes the scrape's time.
 *
 * @param node null when the kubelet reported no node figures
 * @param pods keyed by {@code namespace/name}, then by container name
 */
public record NodeScrape(CumulativePoint node, Map<String, Map<String, CumulativePoint>> pods) {

    private static final String NODE_CPU = "node_cpu_usage_seconds_total";
    private static final String NODE_MEMORY = "node_memory_working_set_bytes";
    private static final String CONTAINER_CPU = "container_cpu_usage_seconds_total";
    private static final String CONTAINER_MEMORY = "container_memory_working_set_bytes";

    public static NodeScrape from(List<PrometheusText.Sample> samples, Instant scrapedAt) {
        Partial node = null;
        Map<String, Map<String, Partial>> pods = new LinkedHashMap<>();
        for (PrometheusText.Sample s : samples) {
            switch (s.name()) {
                case NODE_CPU, NODE_MEMORY -> {
                    if (node == null) {
                        node = new Partial();
                    }
                    node.add(s, scrapedAt);
                }
                case CONTAINER_CPU, CONTAINER_MEMORY -> {
                    String pod = s.label("pod");
                    String container = s.label("container");
                    if (pod.isEmpty() || container.isEmpty()) {
                        continue;
                    }
                    pods.computeIfAbsent(s.label("namespace") + "/" + pod, k -> new LinkedHashMap<>())
                            .computeIfAbsent(container, k -> new Partial()).add(s, scrapedAt);
                }
                default -> {
                    // pod_* sums and scrape_error: the containers carry the same figures
                }
            }
        }
        Map<String, Map<String, CumulativePoint>> complete = new LinkedHashMap<>();
        pods.forEach((pod, containers) -> {
            Map<String, CumulativePoint> points = new LinkedHashMap<>();
            containers.forEach((name, partial) -> {
                if (partial.complete()) {
                    points.put(name, partial.point());
                }
            });
            if (!points.isEmpty()) {
                complete.put(pod, java.util.Collections.unmodifiableMap(points));
            }
        });
        return new NodeScrape(node != null && node.complete() ? node.point() : null, complete);
    }

    /** CPU and memory of one thing, as they come on separate lines. */
    private static final class Partial {
        private Double cpuSeconds;
        private Double memoryBytes;
        private Instant timestamp;

        void add(PrometheusText.Sample s, Instant scrapedAt) {
            if (!Double.isFinite(s.value()) || s.value() < 0) {
                return;
            }
            if (s.name().endsWith("_cpu_usage_seconds_total")) {
                cpuSeconds = s.value();
                // the CPU counter's own time is what the rate is taken over
                timestamp = s.timestampMillis() > 0 ? Instant.ofEpochMilli(s.timestampMillis()) : scrapedAt;
            } else {
                memoryBytes = s.value();
            }
        }

        boolean complete() {
            return cpuSeconds != null && memoryBytes != null;
        }

        CumulativePoint point() {
            return new CumulativePoint(Math.round(cpuSeconds * 1e9), Math.round(memoryBytes), timestamp);
        }
    }
}
