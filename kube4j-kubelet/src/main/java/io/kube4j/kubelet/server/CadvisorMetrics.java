package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.cri.v1.Container;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.ContainerStats;
import io.kube4j.cri.v1.CpuUsage;
import io.kube4j.cri.v1.MemoryUsage;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.cri.v1.PodSandboxStats;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.metrics.CadvisorPage;
import io.kube4j.kubelet.metrics.CadvisorPage.Series;
import io.kube4j.kubelet.nodestatus.MachineInfo;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code /metrics/cadvisor}: upstream's kubelet serves its embedded cAdvisor's reading of every cgroup there; this
 * kubelet reads the same figures where {@code /stats/summary} and {@code /metrics/resource} do, from the runtime's
 * CRI stats (the runtime reads the containers' and the pod sandboxes' cgroups), for each running container and each
 * ready pod. A series' id is its cgroup as cAdvisor names it (the pod's cgroup, and the container's under it).
 */
public final class CadvisorMetrics {
    private final RuntimeClient cri;
    private final Supplier<List<Pod>> pods;
    private final Function<Pod, String> podCgroup;

    /** @param podCgroup the cgroup the kubelet made for a pod, e.g. {@code /kubepods/burstable/pod<uid>} */
    public CadvisorMetrics(RuntimeClient cri, Supplier<List<Pod>> pods, Function<Pod, String> podCgroup) {
        this.cri = cri;
        this.pods = pods;
        this.podCgroup = podCgroup;
    }

    String render() {
        long now = System.currentTimeMillis();
        List<Series> series;
        boolean error = false;
        try {
            series = read(now);
        } catch (RuntimeException e) {
            // the runtime did not answer: the machine's figures still go out, and the error says why the rest is missing
            series = List.of();
            error = true;
        }
        CadvisorPage.Machine machine = new CadvisorPage.Machine(MachineInfo.cores(), MachineInfo.memoryBytes(),
                MachineInfo.read("/proc/sys/kernel/random/boot_id"), MachineInfo.read("/etc/machine-id"),
                MachineInfo.read("/sys/class/dmi/id/product_uuid"));
        return CadvisorPage.render(series, machine, error, now);
    }

    private List<Series> read(long now) {
        Map<String, Pod> podsByUid = new HashMap<>();
        for (Pod p : pods.get()) {
            podsByUid.put(p.getMetadata().getUid(), p);
        }
        Map<String, Container> running = new HashMap<>();
        for (Container c : cri.listContainers(Map.of())) {
            if (c.getState() == ContainerState.CONTAINER_RUNNING) {
                running.put(c.getId(), c);
            }
        }
        List<Series> result = new ArrayList<>();
        Map<String, PodSandbox> readySandboxes = new HashMap<>();
        for (PodSandbox s : cri.listPodSandboxes(Map.of())) {
            if (s.getState() == PodSandboxState.SANDBOX_READY) {
                readySandboxes.put(s.getId(), s);
            }
        }
        for (PodSandboxStats stats : sandboxStats()) {
            PodSandbox sandbox = readySandboxes.get(stats.getAttributes().getId());
            Pod pod = podsByUid.get(stats.getAttributes().getLabelsOrDefault(Labels.POD_UID, ""));
            if (sandbox == null || pod == null || !stats.getLinux().hasCpu() || !stats.getLinux().hasMemory()) {
                continue;
            }
            result.add(series("", podCgroup.apply(pod), "", "", pod, stats.getLinux().getCpu(),
                    stats.getLinux().getMemory(), sandbox.getCreatedAt(), now));
        }
        for (ContainerStats stats : cri.listContainerStats()) {
            Container c = running.get(stats.getAttributes().getId());
            Pod pod = c == null ? null : podsByUid.get(c.getLabelsOrDefault(Labels.POD_UID, ""));
            if (pod == null) {
                continue;
            }
            String image = c.getImage().getUserSpecifiedImage().isEmpty() ? c.getImage().getImage()
                    : c.getImage().getUserSpecifiedImage();
            result.add(series(c.getLabelsOrDefault(Labels.CONTAINER_NAME, c.getMetadata().getName()),
                    podCgroup.apply(pod) + "/" + c.getId(), image, c.getId(), pod, stats.getCpu(), stats.getMemory(),
                    c.getCreatedAt(), now));
        }
        return result;
    }

    /** A runtime without pod sandbox stats (an older CRI) leaves the pod-level series out, not the containers'. */
    private List<PodSandboxStats> sandboxStats() {
        try {
            return cri.listPodSandboxStats();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static Series series(String container, String id, String image, String name, Pod pod, CpuUsage cpu,
                                 MemoryUsage memory, long createdAtNanos, long now) {
        long timestamp = cpu.getTimestamp() > 0 ? cpu.getTimestamp() / 1_000_000 : now;
        return new Series(container, id, image, name, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
                cpu.getUsageCoreNanoSeconds().getValue() / 1e9, memory.getUsageBytes().getValue(),
                memory.getWorkingSetBytes().getValue(), memory.hasRssBytes() ? memory.getRssBytes().getValue() : null,
                createdAtNanos / 1e9, timestamp);
    }
}
