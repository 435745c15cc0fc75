package io.kube4j.bench.apiserver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * CPU time a JVM's JIT compiler threads (C1 and C2) have used so far, from /proc/PID/task/TID/stat: how the bench
 * tells that a server's warm-up has converged, which the process's total CPU cannot (it counts the load too).
 */
final class JitCompilerCpu {
    /** USER_HZ: the unit of utime and stime in /proc stat files on Linux. */
    private static final double TICKS_PER_SECOND = 100.0;

    private JitCompilerCpu() {
    }

    static double seconds(long pid) {
        Path tasks = Path.of("/proc", Long.toString(pid), "task");
        long ticks = 0;
        try (Stream<Path> threads = Files.list(tasks)) {
            for (Path thread : (Iterable<Path>) threads::iterator) {
                ticks += compilerTicks(thread);
            }
        } catch (IOException e) {
            return 0; // the process has gone
        }
        return ticks / TICKS_PER_SECOND;
    }

    private static long compilerTicks(Path thread) {
        try {
            String name = Files.readString(thread.resolve("comm")).trim();
            if (!name.startsWith("C1 Compiler") && !name.startsWith("C2 Compiler")) {
                return 0;
            }
            String stat = Files.readString(thread.resolve("stat"));
            // fields after the command, which is in parentheses and may hold spaces: state is field 3, utime 14
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (IOException | RuntimeException e) {
            return 0; // the thread ended between the listing and the read
        }
    }
}
