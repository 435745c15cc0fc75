package io.kube4j.bench.scheduler;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where this JVM's CPU went between two points: the process total and the per-thread CPU time summed by
 * thread name with its numbers dropped (apiserver-worker, scheduler-loop, bench-creator, ...). On a shared
 * machine wall-clock rates depend on the neighbours; CPU seconds per pod do much less.
 */
final class CpuAccount {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private final long processStart;
    private final long wallStart;
    private final Map<Long, Long> threadStart = new HashMap<>();

    private final Map<String, long[]> gcStart = new HashMap<>();
    private final long compilationStart;

    private CpuAccount() {
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcStart.put(gc.getName(), new long[] {gc.getCollectionCount(), gc.getCollectionTime()});
        }
        this.compilationStart = compilationMillis();
        for (long id : THREADS.getAllThreadIds()) threadStart.put(id, Math.max(0, THREADS.getThreadCpuTime(id)));
        this.processStart = processCpuNanos();
        this.wallStart = System.nanoTime();
    }

    static CpuAccount start() {
        return new CpuAccount();
    }

    /** CPU seconds used by the process since start. */
    double processSeconds() {
        return (processCpuNanos() - processStart) / 1e9;
    }

    double wallSeconds() {
        return (System.nanoTime() - wallStart) / 1e9;
    }

    /** CPU seconds per thread group since start, largest first (threads that ended meanwhile are missing). */
    Map<String, Double> byThreadGroup() {
        Map<String, Double> sums = new HashMap<>();
        for (ThreadInfo t : THREADS.getThreadInfo(THREADS.getAllThreadIds())) {
            if (t == null) continue;
            long now = THREADS.getThreadCpuTime(t.getThreadId());
            if (now < 0) continue;
            long delta = now - threadStart.getOrDefault(t.getThreadId(), 0L);
            sums.merge(group(t.getThreadName()), delta / 1e9, Double::sum);
        }
        Map<String, Double> sorted = new LinkedHashMap<>();
        sums.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return sorted;
    }

    /** Collections and their accumulated (wall) time since start, per collector. */
    String gcSummary() {
        StringBuilder sb = new StringBuilder();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            long[] s = gcStart.getOrDefault(gc.getName(), new long[2]);
            if (sb.length() > 0) sb.append(", ");
            sb.append(gc.getName()).append(' ').append(gc.getCollectionCount() - s[0]).append(" collections ")
                    .append(String.format(java.util.Locale.ROOT, "%.1f s", (gc.getCollectionTime() - s[1]) / 1e3));
        }
        return sb.toString();
    }

    double compilationSeconds() {
        return (compilationMillis() - compilationStart) / 1e3;
    }

    private static long compilationMillis() {
        var c = ManagementFactory.getCompilationMXBean();
        return c != null && c.isCompilationTimeMonitoringSupported() ? c.getTotalCompilationTime() : 0;
    }

    private static String group(String threadName) {
        return threadName.replaceAll("[-#]?\\d+", "").replaceAll("-+$", "");
    }

    private static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
