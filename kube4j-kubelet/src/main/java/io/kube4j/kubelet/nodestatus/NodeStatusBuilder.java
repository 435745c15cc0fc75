package io.kube4j.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.cri.v1.Image;
import io.kube4j.kubelet.status.PodStatusGenerator;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The Node's status (upstream's pkg/kubelet/nodestatus setters). */
public final class NodeStatusBuilder {
    public static final int MAX_IMAGES = 50;

    /** Observations the status is computed from. */
    public record Observed(String hostname, String internalIp, int cores, long memoryBytes, long memoryAvailableBytes,
                           long diskBytes, long diskAvailableBytes, long pidMax, long processes, boolean runtimeReady,
                           String runtimeMessage, String runtimeVersion, List<Image> images, long evictionMemoryBytes,
                           long evictionDiskBytes) {
    }

    /** What the eviction manager observed: a signal under its threshold puts the node under pressure. */
    public record Pressure(boolean memory, boolean disk) {
        public static Pressure none() {
            return new Pressure(false, false);
        }
    }

    private NodeStatusBuilder() {
    }

    public static Map<String, Quantity> capacity(Observed o) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        m.put("cpu", new Quantity(Integer.toString(o.cores())));
        m.put("memory", new Quantity(o.memoryBytes() / 1024 + "Ki"));
        m.put("ephemeral-storage", new Quantity(o.diskBytes() / 1024 + "Ki"));
        m.put("pods", new Quantity("110"));
        return m;
    }

    /** Capacity minus the hard eviction thresholds (memory.available, nodefs.available), as upstream computes it. */
    public static Map<String, Quantity> allocatable(Observed o) {
        Map<String, Quantity> m = new LinkedHashMap<>();
        m.put("cpu", new Quantity(Integer.toString(o.cores())));
        m.put("memory", new Quantity(Math.max(0, o.memoryBytes() - o.evictionMemoryBytes()) / 1024 + "Ki"));
        m.put("ephemeral-storage", new Quantity(Long.toString(Math.max(0, o.diskBytes() - o.evictionDiskBytes()))));
        m.put("pods", new Quantity("110"));
        return m;
    }

    public static NodeStatus build(Observed o, NodeStatus previous, Instant now, Pressure pressure) {
        NodeStatus s = new NodeStatus();
        s.setAddresses(List.of(new NodeAddress(o.internalIp(), "InternalIP"), new NodeAddress(o.hostname(), "Hostname")));
        s.setCapacity(capacity(o));
        s.setAllocatable(allocatable(o));
        NodeSystemInfo info = new NodeSystemInfo();
        info.setMachineID(MachineInfo.read("/etc/machine-id"));
        info.setSystemUUID(MachineInfo.read("/sys/class/dmi/id/product_uuid"));
        info.setBootID(MachineInfo.read("/proc/sys/kernel/random/boot_id"));
        info.setKernelVersion(MachineInfo.read("/proc/sys/kernel/osrelease"));
        info.setOsImage(MachineInfo.osImage());
        info.setContainerRuntimeVersion(o.runtimeVersion());
        info.setKubeletVersion(KubeletVersion.VERSION);
        info.setKubeProxyVersion("");
        info.setOperatingSystem("linux");
        info.setArchitecture(MachineInfo.arch());
        s.setNodeInfo(info);
        List<NodeCondition> conditions = new ArrayList<>();
        boolean memoryPressure = pressure.memory();
        boolean diskPressure = pressure.disk();
        boolean pidPressure = o.pidMax() > 0 && o.processes() > o.pidMax() * 9 / 10;
        conditions.add(condition(previous, "MemoryPressure", memoryPressure,
                memoryPressure ? "KubeletHasInsufficientMemory" : "KubeletHasSufficientMemory",
                memoryPressure ? "kubelet has insufficient memory available" : "kubelet has sufficient memory available", now));
        conditions.add(condition(previous, "DiskPressure", diskPressure,
                diskPressure ? "KubeletHasDiskPressure" : "KubeletHasNoDiskPressure",
                diskPressure ? "kubelet has disk pressure" : "kubelet has no disk pressure", now));
        conditions.add(condition(previous, "PIDPressure", pidPressure,
                pidPressure ? "KubeletHasInsufficientPID" : "KubeletHasSufficientPID",
                pidPressure ? "kubelet has insufficient PID available" : "kubelet has sufficient PID available", now));
        conditions.add(condition(previous, "Ready", o.runtimeReady(), o.runtimeReady() ? "KubeletReady" : "KubeletNotReady",
                o.runtimeReady() ? "kubelet is posting ready status" : o.runtimeMessage(), now));
        s.setConditions(conditions);
        List<ContainerImage> images = new ArrayList<>();
        o.images().stream().sorted(Comparator.comparingLong(Image::getSize).reversed()).limit(MAX_IMAGES).forEach(i -> {
            List<String> names = new ArrayList<>(i.getRepoDigestsList());
            names.addAll(i.getRepoTagsList());
            if (!names.isEmpty()) {
                images.add(new ContainerImage(names, i.getSize()));
            }
        });
        s.setImages(images);
        s.setDaemonEndpoints(previous == null ? null : previous.getDaemonEndpoints());
        return s;
    }

    private static NodeCondition condition(NodeStatus previous, String type, boolean value, String reason, String message, Instant now) {
        String status = value ? "True" : "False";
        String transition = PodStatusGenerator.time(now);
        if (previous != null && previous.getConditions() != null) {
            for (NodeCondition p : previous.getConditions()) {
                if (type.equals(p.getType()) && status.equals(p.getStatus()) && p.getLastTransitionTime() != null) {
                    transition = p.getLastTransitionTime();
                }
            }
        }
        NodeCondition c = new NodeCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(transition);
        c.setLastHeartbeatTime(PodStatusGenerator.time(now));
        return c;
    }
}
