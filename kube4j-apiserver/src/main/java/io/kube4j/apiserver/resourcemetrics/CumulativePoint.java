package io.kube4j.apiserver.resourcemetrics;

import java.time.Instant;

/**
 * What one scrape saw of a node, pod or container: the CPU time used since it started (a counter) and the
 * memory working set (a gauge), at the sample's time.
 */
public record CumulativePoint(long cpuNanoSeconds, long memoryWorkingSetBytes, Instant timestamp) {
}
