package io.kube4j.controllers.podautoscaler;

import java.util.List;
import java.util.Map;

/** Where the autoscaler reads pod resource usage from; the API's metrics.k8s.io in production, a fake in tests. */
public interface PodMetricsSource {
    /**
     * The containers of every pod in the namespace that the metrics API reports, keyed by pod name, each with its
     * usage of {@code resource} (cpu, memory) in milli-units, or null when the container reports no such usage.
     */
    Map<String, List<ContainerUsage>> podUsage(String namespace, String resource) throws MetricsUnavailableException;

    /** One container's usage of the resource asked for, in milli-units; null when it reports none. */
    record ContainerUsage(String container, Long milli) {
    }
}
