package io.kube4j.kubelet.eviction;

import java.util.Map;

/** What one pod's containers use, by container name, in bytes: memory working set and writable-layer disk. */
public record PodUsage(Map<String, Long> memoryByContainer, Map<String, Long> diskByContainer) {
    public static final PodUsage NONE = new PodUsage(Map.of(), Map.of());

    public PodUsage {
        memoryByContainer = Map.copyOf(memoryByContainer);
        diskByContainer = Map.copyOf(diskByContainer);
    }

    public long memory() {
        return memoryByContainer.values().stream().mapToLong(Long::longValue).sum();
    }

    public long disk() {
        return diskByContainer.values().stream().mapToLong(Long::longValue).sum();
    }
}
