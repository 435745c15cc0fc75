package io.kube4j.kubelet.server.stats;

import java.time.Instant;
import java.util.List;

/**
 * Where {@code /stats/summary} gets its figures: one reading of the node and of every pod this kubelet runs.
 * Cumulative CPU time only; rates are the summary's business. A figure a source cannot read is null and left out
 * of the JSON, as upstream's omitempty pointers are.
 */
public interface StatsSource {

    NodeSample node();

    List<PodSample> pods();

    record CpuSample(Instant time, long usageCoreNanoSeconds) {
    }

    record MemorySample(Instant time, Long availableBytes, Long usageBytes, Long workingSetBytes, Long rssBytes,
                        Long pageFaults, Long majorPageFaults) {
    }

    record FsSample(Instant time, Long availableBytes, Long capacityBytes, Long usedBytes, Long inodesFree,
                    Long inodes, Long inodesUsed) {
    }

    record InterfaceSample(String name, long rxBytes, long rxErrors, long txBytes, long txErrors) {
    }

    /** @param defaultInterface the interface the top-level figures are of (the default route's, eth0 in a pod) */
    record NetworkSample(Instant time, String defaultInterface, List<InterfaceSample> interfaces) {
    }

    record SystemContainerSample(String name, Instant startTime, CpuSample cpu, MemorySample memory) {
    }

    record NodeSample(Instant startTime, CpuSample cpu, MemorySample memory, NetworkSample network, FsSample fs,
                      FsSample imageFs, List<SystemContainerSample> systemContainers, Instant rlimitTime, Long maxPid,
                      Long curProc) {
    }

    record ContainerSample(String name, Instant startTime, CpuSample cpu, MemorySample memory, FsSample rootfs,
                           FsSample logs) {
    }

    /** @param ephemeral whether it counts towards the pod's ephemeral storage (emptyDir on disk, configMap, ...) */
    record VolumeSample(String name, boolean ephemeral, FsSample fs) {
    }

    record PodSample(String namespace, String name, String uid, Instant startTime, List<ContainerSample> containers,
                     CpuSample cpu, MemorySample memory, NetworkSample network, List<VolumeSample> volumes,
                     Long processCount) {
    }
}
