package io.kube4j.bench.apiserver;

import java.time.Duration;

/** CPU time of a process (user + system, all its threads) as the OS reports it; 0 once it has gone. */
final class ProcessCpu {
    private ProcessCpu() {
    }

    static double seconds(ProcessHandle process) {
        return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L) / 1e9;
    }
}
