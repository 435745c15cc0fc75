package io.kube4j.runtime;

import io.kube4j.cri.v1.ContainerAttributes;
import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.ContainerStats;
import io.kube4j.cri.v1.CpuUsage;
import io.kube4j.cri.v1.FilesystemIdentifier;
import io.kube4j.cri.v1.FilesystemUsage;
import io.kube4j.cri.v1.LinuxPodSandboxStats;
import io.kube4j.cri.v1.MemoryUsage;
import io.kube4j.cri.v1.PodSandboxAttributes;
import io.kube4j.cri.v1.PodSandboxStats;
import io.kube4j.cri.v1.ProcessUsage;
import io.kube4j.cri.v1.UInt64Value;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.runtime.container.Container;
import io.kube4j.runtime.container.ContainerManager;
import io.kube4j.runtime.sandbox.Sandbox;
import io.kube4j.runtime.util.FileTrees;

import java.util.Map;

/** CPU, memory and process counts from cgroup v1 files, as cAdvisor computes them. */
final class Stats {
    private final ContainerManager containers;

    Stats(ContainerManager containers) {
        this.containers = containers;
    }

    ContainerStats container(Container container) {
        long now = System.currentTimeMillis() * 1_000_000L;
        String cgroup = container.record().cgroupPath();
        long[] writable = FileTrees.usage(container.dir().resolve("upper"));
        return ContainerStats.newBuilder()
                .setAttributes(ContainerAttributes.newBuilder().setId(container.id())
                        .setMetadata(ContainerMetadata.newBuilder().setName(container.record().name()).setAttempt(container.record().attempt()))
                        .putAllLabels(container.config().getLabelsMap())
                        .putAllAnnotations(container.config().getAnnotationsMap()))
                .setCpu(cpu(cgroup, now))
                .setMemory(memory(cgroup, now))
                .setWritableLayer(FilesystemUsage.newBuilder().setTimestamp(now)
                        .setFsId(FilesystemIdentifier.newBuilder().setMountpoint(container.dir().toString()))
                        .setUsedBytes(u64(writable[0])).setInodesUsed(u64(writable[1])))
                .build();
    }

    PodSandboxStats sandbox(Sandbox sandbox) {
        long now = System.currentTimeMillis() * 1_000_000L;
        String cgroup = sandbox.record().cgroupParent();
        LinuxPodSandboxStats.Builder linux = LinuxPodSandboxStats.newBuilder()
                .setCpu(cpu(cgroup, now))
                .setMemory(memory(cgroup, now))
                .setProcess(ProcessUsage.newBuilder().setTimestamp(now)
                        .setProcessCount(u64(Cgroups.ofThisHost().readLong("pids", cgroup, "pids.current").orElse(0))));
        for (Container c : containers.inSandbox(sandbox.id())) {
            if (containers.observe(c).state() == io.kube4j.cri.v1.ContainerState.CONTAINER_RUNNING) {
                linux.addContainers(container(c));
            }
        }
        return PodSandboxStats.newBuilder()
                .setAttributes(PodSandboxAttributes.newBuilder().setId(sandbox.id()).setMetadata(sandbox.config().getMetadata())
                        .putAllLabels(sandbox.config().getLabelsMap()).putAllAnnotations(sandbox.config().getAnnotationsMap()))
                .setLinux(linux)
                .build();
    }

    private static CpuUsage cpu(String cgroup, long now) {
        return CpuUsage.newBuilder().setTimestamp(now)
                .setUsageCoreNanoSeconds(u64(Cgroups.ofThisHost().readLong("cpuacct", cgroup, "cpuacct.usage").orElse(0)))
                .build();
    }

    private static MemoryUsage memory(String cgroup, long now) {
        long usage = Cgroups.ofThisHost().readLong("memory", cgroup, "memory.usage_in_bytes").orElse(0);
        long limit = Cgroups.ofThisHost().readLong("memory", cgroup, "memory.limit_in_bytes").orElse(0);
        Map<String, Long> stat = Cgroups.ofThisHost().readMap("memory", cgroup, "memory.stat");
        long inactiveFile = stat.getOrDefault("total_inactive_file", 0L);
        long workingSet = Math.max(0, usage - inactiveFile);
        MemoryUsage.Builder memory = MemoryUsage.newBuilder().setTimestamp(now)
                .setUsageBytes(u64(usage))
                .setWorkingSetBytes(u64(workingSet))
                .setRssBytes(u64(stat.getOrDefault("total_rss", 0L)))
                .setPageFaults(u64(stat.getOrDefault("total_pgfault", 0L)))
                .setMajorPageFaults(u64(stat.getOrDefault("total_pgmajfault", 0L)));
        // The unlimited value is a huge page-aligned number: only report a real limit.
        if (limit > 0 && limit < (1L << 62)) {
            memory.setAvailableBytes(u64(Math.max(0, limit - workingSet)));
        }
        return memory.build();
    }

    private static UInt64Value u64(long value) {
        return UInt64Value.newBuilder().setValue(value).build();
    }
}
