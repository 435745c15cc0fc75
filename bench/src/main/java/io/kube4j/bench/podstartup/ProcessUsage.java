package io.kube4j.bench.podstartup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CPU time and resident memory of processes, from /proc. */
final class ProcessUsage {
    /** USER_HZ: /proc/PID/stat counts CPU time in clock ticks of 1/100 s on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private ProcessUsage() {
    }

    static long rssKb(long pid) {
        return statusField(pid, "VmRSS:");
    }

    /** The highest RSS the process has had (VmHWM). */
    static long peakKb(long pid) {
        return statusField(pid, "VmHWM:");
    }

    /** User plus system CPU seconds the process has used so far. */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // fields after the command: state(3) ... utime(14) stime(15), numbered from pid(1)
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Processes whose command line contains every given word (e.g. conmon monitors of one runtime root). */
    static List<Long> find(String executable, String contains) {
        List<Long> pids = new ArrayList<>();
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path dir : dirs.toList()) {
                String name = dir.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(dir.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
                    String argv0 = cmdline.split(" ", 2)[0];
                    if (argv0.endsWith(executable) && cmdline.contains(contains)) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // the process is gone
                }
            }
        } catch (IOException e) {
            return pids;
        }
        return pids;
    }

    private static long statusField(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
