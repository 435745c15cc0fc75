package io.kube4j.cli;

import io.kube4j.api.protobuf.GoTime;
import picocli.CommandLine.Option;

import java.time.Duration;

/**
 * The resource-metrics flag of the API server ({@code kube4j server} and {@code kube4j apiserver}): how often it
 * scrapes every Ready node's kubelet for {@code metrics.k8s.io}. The API server does the scraping metrics-server would
 * do, so the flag is metrics-server's {@code --metric-resolution}. The kubelets have nothing to set: they serve their
 * cumulative counters live whenever they are scraped, so {@code kube4j agent} has no such flag.
 */
final class MetricsOptions {
    /**
     * metrics-server refuses less than 10s; 1s is kube4j's floor: a short resolution is what tests need for a first
     * CPU rate (two scrapes after a container started), and each scrape is one small request per node.
     */
    static final Duration MINIMUM = Duration.ofSeconds(1);

    @Option(names = "--metric-resolution", paramLabel = "DURATION", defaultValue = "15s",
            description = "how often the kubelets are scraped for kubectl top and the HPA's resource metrics, as "
                    + "metrics-server's flag, e.g. 15s, 1m; at least 1s (default: ${DEFAULT-VALUE})")
    String metricResolution;

    /** The flag as a duration; a malformed or too short value is refused before anything starts. */
    Duration resolution() {
        Duration resolution;
        try {
            resolution = Duration.ofNanos(GoTime.parseDuration(metricResolution));
        } catch (IllegalArgumentException e) {
            resolution = null;
        }
        if (resolution == null || resolution.compareTo(MINIMUM) < 0) {
            throw new IllegalArgumentException("--metric-resolution " + metricResolution
                    + " is not a duration of at least 1s, such as 15s or 1m");
        }
        return resolution;
    }
}
