package io.kube4j.bench.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Memory of a process from /proc/PID/status, in kilobytes. */
final class ProcessStats {
    private ProcessStats() {
    }

    /** The resident set now. */
    static long rssKb(long pid) {
        return field(pid, "VmRSS:");
    }

    /** The peak resident set ("high water mark"). */
    static long peakRssKb(long pid) {
        return field(pid, "VmHWM:");
    }

    private static long field(long pid, String name) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(name)) {
                    return Long.parseLong(line.substring(name.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
