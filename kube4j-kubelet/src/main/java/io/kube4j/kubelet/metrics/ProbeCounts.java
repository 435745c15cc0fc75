package io.kube4j.kubelet.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Upstream's {@code prober_probe_total}, which the kubelet serves on {@code /metrics/probes}: every run of a
 * container's liveness, readiness or startup probe counted by its result ({@code successful}, {@code failed},
 * {@code unknown}). A probe's series go with its container or pod, as upstream deletes them when its worker ends; a
 * restarted container keeps counting on the same series (upstream's worker outlives the restart).
 */
public final class ProbeCounts {

    /** One series; its fields in the order Prometheus prints labels (by name). */
    public record Series(String container, String namespace, String pod, String podUid, String probeType, String result)
            implements Comparable<Series> {
        @Override
        public int compareTo(Series o) {
            return key().compareTo(o.key());
        }

        private String key() {
            return String.join("\u0000", namespace, pod, podUid, container, probeType, result);
        }
    }

    private final Map<Series, LongAdder> counts = new ConcurrentSkipListMap<>();

    /** One probe run; {@code probeType} is Liveness, Readiness or Startup, {@code result} successful, failed or unknown. */
    public void record(String probeType, String result, String namespace, String pod, String podUid, String container) {
        counts.computeIfAbsent(new Series(container, namespace, pod, podUid, probeType, result), s -> new LongAdder())
                .increment();
    }

    /** A container's probe is gone (not merely restarted with the container): its series are dropped. */
    public void forget(String probeType, String podUid, String container) {
        counts.keySet().removeIf(s -> s.probeType().equals(probeType) && s.podUid().equals(podUid)
                && s.container().equals(container));
    }

    /** The pod is gone: all its series are dropped. */
    public void forgetPod(String podUid) {
        counts.keySet().removeIf(s -> s.podUid().equals(podUid));
    }

    /** The page in the Prometheus text format, as upstream's {@code /metrics/probes}. */
    public String render() {
        StringBuilder out = new StringBuilder();
        out.append("# HELP prober_probe_total [BETA] Cumulative number of a liveness, readiness or startup probe for a "
                + "container by result.\n");
        out.append("# TYPE prober_probe_total counter\n");
        counts.forEach((s, n) -> out.append("prober_probe_total{container=\"").append(MetricsPage.escape(s.container()))
                .append("\",namespace=\"").append(MetricsPage.escape(s.namespace()))
                .append("\",pod=\"").append(MetricsPage.escape(s.pod()))
                .append("\",pod_uid=\"").append(MetricsPage.escape(s.podUid()))
                .append("\",probe_type=\"").append(s.probeType())
                .append("\",result=\"").append(s.result()).append("\"} ").append(n.sum()).append('\n'));
        return out.toString();
    }
}
