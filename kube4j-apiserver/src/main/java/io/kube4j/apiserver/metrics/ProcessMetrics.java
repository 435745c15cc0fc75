package io.kube4j.apiserver.metrics;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The standard Prometheus process series every upstream component exposes (client_golang's process collector):
 * CPU seconds, resident and virtual memory, start time, open and maximum file descriptors - what dashboards and
 * alerts on an API server read first. Read at each scrape from the JVM and {@code /proc/self/status}.
 */
final class ProcessMetrics {
    private ProcessMetrics() {
    }

    static void render(StringBuilder out) {
        var os = ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) {
            gauge(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.",
                    sun.getProcessCpuTime() / 1e9);
        }
        long rss = statusKb("VmRSS:");
        if (rss >= 0) {
            gauge(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.", rss * 1024.0);
        }
        long virtual = statusKb("VmSize:");
        if (virtual >= 0) {
            gauge(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.", virtual * 1024.0);
        }
        gauge(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.",
                ManagementFactory.getRuntimeMXBean().getStartTime() / 1000.0);
        if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            gauge(out, "process_open_fds", "gauge", "Number of open file descriptors.",
                    unix.getOpenFileDescriptorCount());
            gauge(out, "process_max_fds", "gauge", "Maximum number of open file descriptors.",
                    unix.getMaxFileDescriptorCount());
        }
    }

    private static void gauge(StringBuilder out, String name, String type, String help, double value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        PrometheusNumbers.append(out.append(name).append(' '), value).append('\n');
    }

    /** A {@code kB} line of /proc/self/status, or -1 where there is none (not Linux). */
    private static long statusKb(String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).replace("kB", "").trim());
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
