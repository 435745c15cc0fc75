package io.kube4j.kubelet.server;

import io.kube4j.cri.v1.ContainerStats;
import io.kube4j.kubelet.cm.MachineMemory;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.Labels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code /metrics/resource} in upstream's format (what metrics-server scrapes for {@code kubectl top}): cumulative
 * CPU seconds and working-set memory for the node, each pod and each container, from CRI stats and /proc.
 */
final class ResourceMetrics {
    private static final long USER_HZ = 100;

    private final RuntimeClient cri;

    ResourceMetrics(RuntimeClient cri) {
        this.cri = cri;
    }

    String render() {
        long nowMs = System.currentTimeMillis();
        StringBuilder out = new StringBuilder();
        Map<String, double[]> pods = new LinkedHashMap<>();
        StringBuilder cpu = new StringBuilder();
        StringBuilder mem = new StringBuilder();
        boolean error = false;
        try {
            List<ContainerStats> stats = cri.listContainerStats();
            for (ContainerStats s : stats) {
                Map<String, String> labels = s.getAttributes().getLabelsMap();
                String ns = labels.getOrDefault(Labels.POD_NAMESPACE, "");
                String pod = labels.getOrDefault(Labels.POD_NAME, "");
                String container = labels.getOrDefault(Labels.CONTAINER_NAME, s.getAttributes().getMetadata().getName());
                if (pod.isEmpty()) {
                    continue;
                }
                double seconds = s.getCpu().getUsageCoreNanoSeconds().getValue() / 1e9;
                long workingSet = s.getMemory().getWorkingSetBytes().getValue();
                String l = "{container=\"" + container + "\",namespace=\"" + ns + "\",pod=\"" + pod + "\"}";
                cpu.append("container_cpu_usage_seconds_total").append(l).append(' ').append(fmt(seconds)).append(' ').append(nowMs).append('\n');
                mem.append("container_memory_working_set_bytes").append(l).append(' ').append(workingSet).append(' ').append(nowMs).append('\n');
                double[] sum = pods.computeIfAbsent(ns + "/" + pod, k -> new double[2]);
                sum[0] += seconds;
                sum[1] += workingSet;
            }
        } catch (RuntimeException e) {
            error = true;
        }
        out.append("# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the container in core-seconds\n")
                .append("# TYPE container_cpu_usage_seconds_total counter\n").append(cpu)
                .append("# HELP container_memory_working_set_bytes [STABLE] Current working set of the container in bytes\n")
                .append("# TYPE container_memory_working_set_bytes gauge\n").append(mem)
                .append("# HELP node_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the node in core-seconds\n")
                .append("# TYPE node_cpu_usage_seconds_total counter\n")
                .append("node_cpu_usage_seconds_total ").append(fmt(nodeCpuSeconds())).append(' ').append(nowMs).append('\n')
                .append("# HELP node_memory_working_set_bytes [STABLE] Current working set of the node in bytes\n")
                .append("# TYPE node_memory_working_set_bytes gauge\n")
                .append("node_memory_working_set_bytes ").append(Math.max(0, MachineMemory.totalBytes() - MachineMemory.availableBytes()))
                .append(' ').append(nowMs).append('\n')
                .append("# HELP pod_cpu_usage_seconds_total [STABLE] Cumulative cpu time consumed by the pod in core-seconds\n")
                .append("# TYPE pod_cpu_usage_seconds_total counter\n");
        pods.forEach((k, v) -> out.append("pod_cpu_usage_seconds_total").append(podLabels(k)).append(' ').append(fmt(v[0])).append(' ').append(nowMs).append('\n'));
        out.append("# HELP pod_memory_working_set_bytes [STABLE] Current working set of the pod in bytes\n")
                .append("# TYPE pod_memory_working_set_bytes gauge\n");
        pods.forEach((k, v) -> out.append("pod_memory_working_set_bytes").append(podLabels(k)).append(' ').append((long) v[1]).append(' ').append(nowMs).append('\n'));
        out.append("# HELP scrape_error [ALPHA] 1 if there was an error while getting container metrics, 0 otherwise\n")
                .append("# TYPE scrape_error gauge\n").append("scrape_error ").append(error ? 1 : 0).append('\n');
        return out.toString();
    }

    private static String podLabels(String key) {
        String[] p = key.split("/", 2);
        return "{namespace=\"" + p[0] + "\",pod=\"" + p[1] + "\"}";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.9f", v);
    }

    /** user + nice + system + irq + softirq + steal from the first line of /proc/stat. */
    static double nodeCpuSeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
                if (i < f.length) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return (double) busy / USER_HZ;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
