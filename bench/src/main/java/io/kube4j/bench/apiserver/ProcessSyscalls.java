package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Read and write system calls a process has made so far (/proc/PID/io: syscr, syscw), 0 if unreadable. Unlike
 * wall or CPU time these counts do not depend on what else the machine runs, so they show how well a fan-out
 * batches (a watch event per write call, or many) even on a loaded machine.
 */
final class ProcessSyscalls {
    private ProcessSyscalls() {
    }

    /** {read calls, write calls} of the process. */
    static long[] of(long pid) {
        long[] counts = new long[2];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "io"))) {
                if (line.startsWith("syscr:")) {
                    counts[0] = Long.parseLong(line.substring(6).trim());
                } else if (line.startsWith("syscw:")) {
                    counts[1] = Long.parseLong(line.substring(6).trim());
                }
            }
        } catch (IOException | RuntimeException e) {
            // a process that is gone, or a system without /proc: no counts
        }
        return counts;
    }
}
