package io.kube4j.kubelet.cm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** /proc/meminfo, in bytes. */
public final class MachineMemory {
    private MachineMemory() {
    }

    public static Map<String, Long> meminfo() {
        Map<String, Long> values = new HashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                String[] parts = line.split("\\s+");
                if (parts.length >= 2) {
                    long v = Long.parseLong(parts[1]);
                    if (parts.length >= 3 && parts[2].equals("kB")) {
                        v *= 1024;
                    }
                    values.put(parts[0].replace(":", ""), v);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // not Linux: leave it empty
        }
        return values;
    }

    public static long totalBytes() {
        return meminfo().getOrDefault("MemTotal", 0L);
    }

    public static long availableBytes() {
        return meminfo().getOrDefault("MemAvailable", 0L);
    }
}
