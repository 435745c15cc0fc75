package io.kube4j.controllers.podautoscaler;

import java.util.Map;

/** Where the autoscaler reads pod resource usage from; the API's metrics.k8s.io in production, a fake in tests. */
public interface PodMetricsSource {
    /**
     * The usage of {@code resource} (cpu, memory) of every pod in the namespace that reports it, summed over
     * its containers, in milli-units, keyed by pod name.
     */
    Map<String, Long> podUsage(String namespace, String resource) throws MetricsUnavailableException;
}
