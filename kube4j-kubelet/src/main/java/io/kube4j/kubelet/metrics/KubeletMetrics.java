package io.kube4j.kubelet.metrics;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the kubelet records about its own work for {@code /metrics}: pod start latency and pod worker sync
 * durations (the runtime's calls are counted by {@link RuntimeOperations} on the CRI channel). Gauges such as the
 * running pods are read from the runtime when scraped, so they cannot drift from it.
 */
public final class KubeletMetrics {

    /** Upstream's kubelet_pod_start_duration_seconds buckets. */
    static final double[] POD_START_BUCKETS = {0.5, 1, 2, 3, 4, 5, 6, 8, 10, 20, 30, 45, 60, 120, 180, 240, 300, 360,
            480, 600, 900, 1200, 1800, 2700, 3600};
    /** prometheus.DefBuckets, which upstream's kubelet_pod_worker_duration_seconds uses. */
    static final double[] WORKER_BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final String nodeName;
    private final RuntimeOperations runtime;
    private final Histogram podStart = new Histogram(POD_START_BUCKETS);
    private final Map<String, Histogram> workers = new ConcurrentHashMap<>();
    private final ProbeCounts probes = new ProbeCounts();

    public KubeletMetrics(String nodeName, RuntimeOperations runtime) {
        this.nodeName = nodeName;
        this.runtime = runtime;
    }

    public String nodeName() {
        return nodeName;
    }

    public RuntimeOperations runtime() {
        return runtime;
    }

    /** A pod went from Pending to Running, {@code sinceFirstSeen} after this kubelet first saw it. */
    public void podStarted(Duration sinceFirstSeen) {
        podStart.observe(sinceFirstSeen.toNanos() / 1e9);
    }

    /** One pod worker sync: {@code create} (first), {@code update} or {@code kill}, as upstream labels them. */
    public void podWorkerSync(String operationType, Duration took) {
        workers.computeIfAbsent(operationType, k -> new Histogram(WORKER_BUCKETS)).observe(took.toNanos() / 1e9);
    }

    /** What {@code /metrics/probes} serves. */
    public ProbeCounts probes() {
        return probes;
    }

    public Histogram podStartDuration() {
        return podStart;
    }

    public Map<String, Histogram> podWorkerDurations() {
        return new TreeMap<>(workers);
    }
}
