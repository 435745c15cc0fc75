package io.kube4j.kubelet.eviction;

import io.kube4j.cri.v1.ContainerStats;
import io.kube4j.kubelet.cm.MachineMemory;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.nodestatus.MachineInfo;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The signals from this machine: memory from /proc/meminfo (MemAvailable, the kernel's own estimate of what can be
 * had without swapping), node and image filesystems from statvfs of the kubelet's root directory (kube4j keeps its
 * images on the same filesystem), and pod usage from the runtime's container stats (CRI ListContainerStats).
 */
public final class MachineSignals implements SignalSource {
    private final Path rootDir;
    private final RuntimeClient cri;

    public MachineSignals(Path rootDir, RuntimeClient cri) {
        this.rootDir = rootDir;
        this.cri = cri;
    }

    @Override
    public NodeObservations node() {
        long disk = MachineInfo.diskBytes(rootDir);
        long diskAvailable = MachineInfo.diskAvailableBytes(rootDir);
        return new NodeObservations(MachineMemory.availableBytes(), MachineMemory.totalBytes(), diskAvailable, disk, diskAvailable, disk);
    }

    @Override
    public Map<String, PodUsage> pods() {
        Map<String, Map<String, Long>> memory = new HashMap<>();
        Map<String, Map<String, Long>> disk = new HashMap<>();
        for (ContainerStats s : cri.listContainerStats()) {
            Map<String, String> labels = s.getAttributes().getLabelsMap();
            String uid = labels.getOrDefault(Labels.POD_UID, "");
            if (uid.isEmpty()) {
                continue;
            }
            String container = labels.getOrDefault(Labels.CONTAINER_NAME, s.getAttributes().getMetadata().getName());
            memory.computeIfAbsent(uid, k -> new HashMap<>()).merge(container, s.getMemory().getWorkingSetBytes().getValue(), Long::sum);
            disk.computeIfAbsent(uid, k -> new HashMap<>()).merge(container, s.getWritableLayer().getUsedBytes().getValue(), Long::sum);
        }
        Map<String, PodUsage> pods = new HashMap<>();
        memory.forEach((uid, m) -> pods.put(uid, new PodUsage(m, disk.getOrDefault(uid, Map.of()))));
        return pods;
    }
}
