package io.kube4j.kubelet.metrics;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kubelet's own {@code /metrics} in the Prometheus text format, with upstream's names and stability markers:
 * node name, running pods and containers (as read from the runtime at scrape time), pod start and pod worker
 * durations, CRI operations, and the process and JVM basics every Prometheus client exports.
 */
public final class MetricsPage {

    /** What the runtime runs right now. */
    public record RuntimeCounts(int runningPods, Map<String, Integer> containersByState) {
    }

    private MetricsPage() {
    }

    public static String render(KubeletMetrics metrics, RuntimeCounts counts) {
        StringBuilder out = new StringBuilder();
        header(out, "kubelet_node_name", "[ALPHA] The node's name. The count is always 1.", "gauge");
        out.append("kubelet_node_name{node=\"").append(escape(metrics.nodeName())).append("\"} 1\n");
        if (counts != null) {
            header(out, "kubelet_running_pods", "[ALPHA] Number of pods that have a running pod sandbox", "gauge");
            out.append("kubelet_running_pods ").append(counts.runningPods()).append('\n');
            header(out, "kubelet_running_containers", "[ALPHA] Number of containers currently running", "gauge");
            new TreeMap<>(counts.containersByState()).forEach((state, n) -> out.append(
                    "kubelet_running_containers{container_state=\"").append(state).append("\"} ").append(n).append('\n'));
        }
        header(out, "kubelet_pod_start_duration_seconds", "[ALPHA] Duration in seconds from kubelet seeing a pod for the "
                + "first time to the pod starting to run", "histogram");
        metrics.podStartDuration().render(out, "kubelet_pod_start_duration_seconds", "");
        header(out, "kubelet_pod_worker_duration_seconds", "[ALPHA] Duration in seconds to sync a single pod. Broken down "
                + "by operation type: create, update, or sync", "histogram");
        metrics.podWorkerDurations().forEach((type, h) -> h.render(out, "kubelet_pod_worker_duration_seconds",
                "operation_type=\"" + type + "\""));
        Map<String, RuntimeOperations.Operation> ops = metrics.runtime() == null ? Map.of() : metrics.runtime().snapshot();
        header(out, "kubelet_runtime_operations_duration_seconds", "[ALPHA] Duration in seconds of runtime operations. "
                + "Broken down by operation type.", "histogram");
        ops.forEach((type, op) -> op.duration.render(out, "kubelet_runtime_operations_duration_seconds",
                "operation_type=\"" + type + "\""));
        header(out, "kubelet_runtime_operations_errors_total", "[ALPHA] Cumulative number of runtime operation errors "
                + "by operation type.", "counter");
        ops.forEach((type, op) -> {
            if (op.errors() > 0) {
                out.append("kubelet_runtime_operations_errors_total{operation_type=\"").append(type).append("\"} ")
                        .append(op.errors()).append('\n');
            }
        });
        header(out, "kubelet_runtime_operations_total", "[ALPHA] Cumulative number of runtime operations by operation "
                + "type.", "counter");
        ops.forEach((type, op) -> out.append("kubelet_runtime_operations_total{operation_type=\"").append(type)
                .append("\"} ").append(op.calls()).append('\n'));
        process(out);
        jvm(out);
        return out.toString();
    }

    private static void process(StringBuilder out) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        header(out, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", "counter");
        out.append("process_cpu_seconds_total ").append(Histogram.format(
                info.totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(0.0))).append('\n');
        Map<String, Long> status = procStatus();
        header(out, "process_resident_memory_bytes", "Resident memory size in bytes.", "gauge");
        out.append("process_resident_memory_bytes ").append(status.getOrDefault("VmRSS", 0L)).append('\n');
        header(out, "process_virtual_memory_bytes", "Virtual memory size in bytes.", "gauge");
        out.append("process_virtual_memory_bytes ").append(status.getOrDefault("VmSize", 0L)).append('\n');
        header(out, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", "gauge");
        out.append("process_start_time_seconds ").append(info.startInstant().map(i -> i.getEpochSecond()).orElse(0L))
                .append('\n');
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            header(out, "process_open_fds", "Number of open file descriptors.", "gauge");
            out.append("process_open_fds ").append(unix.getOpenFileDescriptorCount()).append('\n');
            header(out, "process_max_fds", "Maximum number of open file descriptors.", "gauge");
            out.append("process_max_fds ").append(unix.getMaxFileDescriptorCount()).append('\n');
        }
    }

    private static void jvm(StringBuilder out) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        header(out, "jvm_memory_used_bytes", "Used bytes of a given JVM memory area.", "gauge");
        out.append("jvm_memory_used_bytes{area=\"heap\"} ").append(memory.getHeapMemoryUsage().getUsed()).append('\n');
        out.append("jvm_memory_used_bytes{area=\"nonheap\"} ").append(memory.getNonHeapMemoryUsage().getUsed())
                .append('\n');
        header(out, "jvm_threads_current", "Current thread count of a JVM", "gauge");
        out.append("jvm_threads_current ").append(ManagementFactory.getThreadMXBean().getThreadCount()).append('\n');
        header(out, "jvm_gc_collection_seconds_total", "Time spent in a given JVM garbage collector in seconds.",
                "counter");
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            out.append("jvm_gc_collection_seconds_total{gc=\"").append(escape(gc.getName())).append("\"} ")
                    .append(Histogram.format(Math.max(0, gc.getCollectionTime()) / 1000.0)).append('\n');
        }
    }

    private static Map<String, Long> procStatus() {
        Map<String, Long> values = new java.util.HashMap<>();
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                String[] f = line.split("\\s+");
                if (f.length >= 3 && f[2].equals("kB")) {
                    values.put(f[0].replace(":", ""), Long.parseLong(f[1]) * 1024);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux: the figures read 0
        }
        return values;
    }

    static void header(StringBuilder out, String name, String help, String type) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
