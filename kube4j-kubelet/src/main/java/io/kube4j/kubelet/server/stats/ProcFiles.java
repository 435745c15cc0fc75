package io.kube4j.kubelet.server.stats;

import io.kube4j.kubelet.server.stats.StatsSource.InterfaceSample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Figures read from /proc and cgroup v1 files; null (or empty) where the file is missing or unreadable. */
final class ProcFiles {
    /** USER_HZ: /proc/stat and /proc/PID/stat count in these ticks on every Linux the kubelet runs on. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private ProcFiles() {
    }

    /** user + nice + system + irq + softirq + steal of the first line of /proc/stat, in nanoseconds. */
    static Long nodeCpuNanos(Path proc) {
        List<String> lines = lines(proc.resolve("stat"));
        if (lines.isEmpty()) {
            return null;
        }
        String[] f = lines.get(0).trim().split("\\s+");
        long busy = 0;
        for (int i : new int[]{1, 2, 3, 6, 7, 8}) {
            if (i < f.length) {
                busy += Long.parseLong(f[i]);
            }
        }
        return busy * NANOS_PER_TICK;
    }

    /** The boot time (btime of /proc/stat). */
    static Instant bootTime(Path proc) {
        for (String line : lines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                return Instant.ofEpochSecond(Long.parseLong(line.substring(6).trim()));
            }
        }
        return null;
    }

    /** "key value" files (/proc/vmstat, memory.stat) and /proc/meminfo ("Key: value kB", in bytes). */
    static Map<String, Long> keyValues(Path file) {
        Map<String, Long> values = new HashMap<>();
        for (String line : lines(file)) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length >= 2) {
                try {
                    long v = Long.parseLong(parts[1]);
                    if (parts.length >= 3 && parts[2].equals("kB")) {
                        v *= 1024;
                    }
                    values.put(parts[0].replace(":", ""), v);
                } catch (NumberFormatException ignored) {
                    // a header or a non-numeric line
                }
            }
        }
        return values;
    }

    /** /proc/.../net/dev without the loopback interface. */
    static List<InterfaceSample> netDev(Path file) {
        List<InterfaceSample> result = new ArrayList<>();
        for (String line : lines(file)) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (name.equals("lo") || f.length < 11) {
                continue;
            }
            try {
                result.add(new InterfaceSample(name, Long.parseLong(f[0]), Long.parseLong(f[2]), Long.parseLong(f[8]),
                        Long.parseLong(f[10])));
            } catch (NumberFormatException ignored) {
                // the header lines
            }
        }
        return result;
    }

    /** The interface of the default route (destination 00000000 in /proc/net/route). */
    static String defaultInterface(Path proc) {
        for (String line : lines(proc.resolve("net").resolve("route"))) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 2 && f[1].equals("00000000")) {
                return f[0];
            }
        }
        return null;
    }

    static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
