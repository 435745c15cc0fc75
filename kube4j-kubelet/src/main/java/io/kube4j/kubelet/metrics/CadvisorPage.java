package io.kube4j.kubelet.metrics;

import java.util.List;
import java.util.function.Function;

/**
 * The kubelet's {@code /metrics/cadvisor} in the Prometheus text format: the core series of upstream's embedded
 * cAdvisor, one per running container and one per pod cgroup (container=""), with the labels the kubelet gives them
 * (container, id = the cgroup, image, name = the runtime's container id, namespace, pod), and the machine's size.
 * Families come in name order, as the Prometheus client writes them.
 */
public final class CadvisorPage {
    private CadvisorPage() {
    }

    /**
     * One cgroup's reading.
     *
     * @param container the container's name; "" for the pod's own cgroup
     * @param id        the cgroup path, as cAdvisor names containers
     * @param rss       null when the runtime does not report it
     */
    public record Series(String container, String id, String image, String name, String namespace, String pod,
                         double cpuSeconds, long memoryUsageBytes, long workingSetBytes, Long rss, double startSeconds,
                         long timestampMs) {
    }

    /** The machine's figures (cAdvisor's MachineInfo) and what labels them. */
    public record Machine(int cpuCores, long memoryBytes, String bootId, String machineId, String systemUuid) {
    }

    public static String render(List<Series> series, Machine machine, boolean scrapeError, long nowMs) {
        // each series' labels are escaped and joined once, not once per family: a page holds seven lines per series
        List<Labelled> rows = series.stream().map(Labelled::of).toList();
        StringBuilder out = new StringBuilder(2048 + rows.size() * 1400);
        MetricsPage.header(out, "container_cpu_usage_seconds_total", "Cumulative cpu time consumed in seconds.", "counter");
        for (Labelled r : rows) {
            // per-CPU figures are not collected (as the kubelet's cAdvisor): the one series is cpu="total"
            out.append("container_cpu_usage_seconds_total").append(r.container()).append("cpu=\"total\",")
                    .append(r.identity()).append(' ').append(Histogram.format(r.series().cpuSeconds())).append(' ')
                    .append(r.series().timestampMs()).append('\n');
        }
        MetricsPage.header(out, "container_last_seen", "Last time a container was seen by the exporter", "gauge");
        String lastSeen = Long.toString(Math.floorDiv(nowMs, 1000));
        for (Labelled r : rows) {
            line(out, "container_last_seen", r, lastSeen, nowMs);
        }
        MetricsPage.header(out, "container_memory_rss", "Size of RSS in bytes.", "gauge");
        family(out, "container_memory_rss", rows, s -> s.rss() == null ? null : Long.toString(s.rss()));
        MetricsPage.header(out, "container_memory_usage_bytes",
                "Current memory usage in bytes, including all memory regardless of when it was accessed", "gauge");
        family(out, "container_memory_usage_bytes", rows, s -> Long.toString(s.memoryUsageBytes()));
        MetricsPage.header(out, "container_memory_working_set_bytes", "Current working set in bytes.", "gauge");
        family(out, "container_memory_working_set_bytes", rows, s -> Long.toString(s.workingSetBytes()));
        MetricsPage.header(out, "container_scrape_error", "1 if there was an error while getting container metrics, 0 otherwise",
                "gauge");
        out.append("container_scrape_error ").append(scrapeError ? 1 : 0).append('\n');
        MetricsPage.header(out, "container_start_time_seconds", "Start time of the container since unix epoch in seconds.",
                "gauge");
        family(out, "container_start_time_seconds", rows, s -> Histogram.format(s.startSeconds()));
        String machineLabels = "{boot_id=\"" + MetricsPage.escape(machine.bootId()) + "\",machine_id=\""
                + MetricsPage.escape(machine.machineId()) + "\",system_uuid=\"" + MetricsPage.escape(machine.systemUuid())
                + "\"} ";
        MetricsPage.header(out, "machine_cpu_cores", "Number of logical CPU cores.", "gauge");
        out.append("machine_cpu_cores").append(machineLabels).append(machine.cpuCores()).append(' ').append(nowMs).append('\n');
        MetricsPage.header(out, "machine_memory_bytes", "Amount of memory installed on the machine.", "gauge");
        out.append("machine_memory_bytes").append(machineLabels).append(machine.memoryBytes()).append(' ').append(nowMs)
                .append('\n');
        return out.toString();
    }

    private static void family(StringBuilder out, String name, List<Labelled> rows, Function<Series, String> value) {
        for (Labelled r : rows) {
            String v = value.apply(r.series());
            if (v != null) {
                line(out, name, r, v, r.series().timestampMs());
            }
        }
    }

    private static void line(StringBuilder out, String name, Labelled r, String value, long timestampMs) {
        out.append(name).append(r.container()).append(r.identity()).append(' ').append(value).append(' ')
                .append(timestampMs).append('\n');
    }

    /**
     * A series with its labels written out: {@code container} opens the set (a family may add its own label after
     * it, as cpu="total" sorts there) and {@code identity} is the rest, in name order, closing the set.
     */
    private record Labelled(Series series, String container, String identity) {
        static Labelled of(Series s) {
            return new Labelled(s, "{container=\"" + MetricsPage.escape(s.container()) + "\",",
                    "id=\"" + MetricsPage.escape(s.id()) + "\",image=\"" + MetricsPage.escape(s.image()) + "\",name=\""
                            + MetricsPage.escape(s.name()) + "\",namespace=\"" + MetricsPage.escape(s.namespace())
                            + "\",pod=\"" + MetricsPage.escape(s.pod()) + "\"}");
        }
    }
}
