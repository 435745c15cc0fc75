package io.kube4j.kubelet.server.stats;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.cri.v1.Container;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.ContainerStats;
import io.kube4j.cri.v1.CpuUsage;
import io.kube4j.cri.v1.FilesystemUsage;
import io.kube4j.cri.v1.MemoryUsage;
import io.kube4j.cri.v1.PodSandboxStats;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.kuberuntime.Labels;
import io.kube4j.kubelet.nodestatus.MachineInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The machine's figures for {@code /stats/summary}: containers and pod sandboxes from CRI stats (the runtime reads
 * their cgroups), the node from /proc and statvfs, the "pods" system container from the kubepods cgroup, the
 * "kubelet" one from this process, pod networks from /proc/PID/net/dev of a container in the pod's network
 * namespace (as cAdvisor reads them) when the runtime does not report them, and volumes and logs by walking their
 * directories.
 */
public final class MachineStatsSource implements StatsSource {
    private static final Logger LOG = LoggerFactory.getLogger(MachineStatsSource.class);
    private static final Pattern PID = Pattern.compile("\"pid\"\\s*:\\s*(\\d+)");
    /** Volume plugins whose data lives on the node's disk and so in the pod's ephemeral storage. */
    private static final Set<String> EPHEMERAL_PLUGINS = Set.of("kubernetes.io~empty-dir", "kubernetes.io~configmap",
            "kubernetes.io~secret", "kubernetes.io~downward-api", "kubernetes.io~projected");

    private final RuntimeClient cri;
    private final Supplier<List<Pod>> pods;
    private final ConfigFactory configs;
    private final Path rootDir;
    private final Cgroups cgroups;
    private final String kubepods;
    private final Path proc;

    public MachineStatsSource(RuntimeClient cri, Supplier<List<Pod>> pods, ConfigFactory configs, Path rootDir,
                              Cgroups cgroups, String kubepods) {
        this.cri = cri;
        this.pods = pods;
        this.configs = configs;
        this.rootDir = rootDir;
        this.cgroups = cgroups;
        this.kubepods = kubepods;
        this.proc = Path.of("/proc");
    }

    @Override
    public NodeSample node() {
        Instant now = Instant.now();
        Long cpuNanos = ProcFiles.nodeCpuNanos(proc);
        Map<String, Long> meminfo = ProcFiles.keyValues(proc.resolve("meminfo"));
        Map<String, Long> vmstat = ProcFiles.keyValues(proc.resolve("vmstat"));
        MemorySample memory = null;
        if (meminfo.containsKey("MemTotal")) {
            long total = meminfo.get("MemTotal");
            long available = meminfo.getOrDefault("MemAvailable", 0L);
            memory = new MemorySample(now, available, total - meminfo.getOrDefault("MemFree", 0L),
                    Math.max(0, total - available), null, vmstat.get("pgfault"), vmstat.get("pgmajfault"));
        }
        String defaultInterface = ProcFiles.defaultInterface(proc);
        List<InterfaceSample> interfaces = ProcFiles.netDev(proc.resolve("net").resolve("dev"));
        NetworkSample network = interfaces.isEmpty() ? null : new NetworkSample(now,
                defaultInterface != null ? defaultInterface : interfaces.get(0).name(), interfaces);
        return new NodeSample(ProcFiles.bootTime(proc), cpuNanos == null ? null : new CpuSample(now, cpuNanos), memory,
                network, fileSystem(rootDir, null, null, now), imageFs(now),
                List.of(kubeletContainer(now), podsContainer(now)), now, MachineInfo.pidMax(),
                MachineInfo.processCount());
    }

    private FsSample imageFs(Instant now) {
        try {
            for (FilesystemUsage fs : cri.imageFsInfo()) {
                Path mount = Path.of(fs.getFsId().getMountpoint());
                return fileSystem(Files.exists(mount) ? mount : rootDir, fs.getUsedBytes().getValue(),
                        fs.getInodesUsed().getValue(), now);
            }
        } catch (RuntimeException e) {
            LOG.debug("no image filesystem figures from the runtime: {}", e.getMessage());
        }
        return null;
    }

    /** This JVM: the kubelet (and, in kube4j, the runtime and proxy beside it). */
    private SystemContainerSample kubeletContainer(Instant now) {
        ProcessHandle.Info info = ProcessHandle.current().info();
        Long rss = ProcFiles.keyValues(proc.resolve("self").resolve("status")).get("VmRSS");
        return new SystemContainerSample("kubelet", info.startInstant().orElse(null),
                info.totalCpuDuration().map(d -> new CpuSample(now, d.toNanos())).orElse(null),
                rss == null ? null : new MemorySample(now, null, rss, rss, rss, null, null));
    }

    /** Every pod together: the kubepods cgroup, as upstream's "pods" system container. */
    private SystemContainerSample podsContainer(Instant now) {
        OptionalLong usage = cgroups.readLong("cpuacct", kubepods, "cpuacct.usage");
        OptionalLong memUsage = cgroups.readLong("memory", kubepods, "memory.usage_in_bytes");
        MemorySample memory = null;
        if (memUsage.isPresent()) {
            Map<String, Long> stat = cgroups.readMap("memory", kubepods, "memory.stat");
            long workingSet = Math.max(0, memUsage.getAsLong() - stat.getOrDefault("total_inactive_file", 0L));
            memory = new MemorySample(now, null, memUsage.getAsLong(), workingSet, stat.get("total_rss"),
                    stat.get("total_pgfault"), stat.get("total_pgmajfault"));
        }
        Instant start = null;
        Optional<Path> cpu = cgroups.dir("cpuacct", kubepods);
        try {
            start = cpu.isPresent() ? Files.getLastModifiedTime(cpu.get()).toInstant() : null;
        } catch (IOException e) {
            // no kubepods cgroup (yet)
        }
        return new SystemContainerSample("pods", start, usage.isPresent() ? new CpuSample(now, usage.getAsLong()) : null,
                memory);
    }

    @Override
    public List<PodSample> pods() {
        Instant now = Instant.now();
        Map<String, List<ContainerStats>> statsByPod = new HashMap<>();
        for (ContainerStats s : cri.listContainerStats()) {
            statsByPod.computeIfAbsent(s.getAttributes().getLabelsOrDefault(Labels.POD_UID, ""), k -> new ArrayList<>())
                    .add(s);
        }
        Map<String, PodSandboxStats> sandboxByPod = new HashMap<>();
        try {
            for (PodSandboxStats s : cri.listPodSandboxStats()) {
                sandboxByPod.put(s.getAttributes().getLabelsOrDefault(Labels.POD_UID, ""), s);
            }
        } catch (RuntimeException e) {
            LOG.debug("no pod sandbox stats from the runtime: {}", e.getMessage());
        }
        Map<String, Container> containers = new HashMap<>();
        for (Container c : cri.listContainers(Map.of())) {
            containers.put(c.getId(), c);
        }
        FsSample imageFs = imageFs(now);
        List<PodSample> result = new ArrayList<>();
        for (Pod pod : pods.get()) {
            String uid = pod.getMetadata().getUid();
            List<ContainerStats> podStats = latestAttempts(statsByPod.getOrDefault(uid, List.of()), containers);
            List<ContainerSample> samples = new ArrayList<>();
            String runningId = null;
            for (ContainerStats s : podStats) {
                Container c = containers.get(s.getAttributes().getId());
                if (c != null && c.getState() == ContainerState.CONTAINER_RUNNING) {
                    runningId = c.getId();
                }
                String name = s.getAttributes().getMetadata().getName();
                samples.add(new ContainerSample(name, c == null ? null : nanosToInstant(c.getCreatedAt()),
                        cpu(s.getCpu()), memory(s.getMemory()), rootfs(s.getWritableLayer(), imageFs),
                        directory(configs.podLogDirectory(pod).resolve(name), now)));
            }
            PodSandboxStats sandbox = sandboxByPod.get(uid);
            CpuSample cpu = sandbox != null && sandbox.getLinux().hasCpu() ? cpu(sandbox.getLinux().getCpu())
                    : sum(samples, now);
            MemorySample memory = sandbox != null && sandbox.getLinux().hasMemory()
                    ? memory(sandbox.getLinux().getMemory()) : sumMemory(samples, now);
            Long processes = sandbox != null && sandbox.getLinux().hasProcess()
                    ? sandbox.getLinux().getProcess().getProcessCount().getValue() : null;
            result.add(new PodSample(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid,
                    startTime(pod), samples, cpu, memory, network(pod, sandbox, runningId, now), volumes(uid, now),
                    processes));
        }
        return result;
    }

    /** A restarted container has several attempts: the summary shows the newest of each name. */
    private static List<ContainerStats> latestAttempts(List<ContainerStats> stats, Map<String, Container> containers) {
        Map<String, ContainerStats> byName = new java.util.LinkedHashMap<>();
        for (ContainerStats s : stats) {
            String name = s.getAttributes().getMetadata().getName();
            ContainerStats other = byName.get(name);
            if (other == null || created(s, containers) > created(other, containers)) {
                byName.put(name, s);
            }
        }
        return new ArrayList<>(byName.values());
    }

    private static long created(ContainerStats s, Map<String, Container> containers) {
        Container c = containers.get(s.getAttributes().getId());
        return c == null ? s.getAttributes().getMetadata().getAttempt() : c.getCreatedAt();
    }

    private NetworkSample network(Pod pod, PodSandboxStats sandbox, String runningContainer, Instant now) {
        if (pod.getSpec() != null && Boolean.TRUE.equals(pod.getSpec().getHostNetwork())) {
            return null;
        }
        if (sandbox != null && sandbox.getLinux().hasNetwork()
                && sandbox.getLinux().getNetwork().getInterfacesCount() > 0) {
            var n = sandbox.getLinux().getNetwork();
            List<InterfaceSample> interfaces = new ArrayList<>();
            n.getInterfacesList().forEach(i -> interfaces.add(new InterfaceSample(i.getName(),
                    i.getRxBytes().getValue(), i.getRxErrors().getValue(), i.getTxBytes().getValue(),
                    i.getTxErrors().getValue())));
            return new NetworkSample(nanosToInstant(n.getTimestamp()), n.getDefaultInterface().getName(), interfaces);
        }
        if (runningContainer == null) {
            return null;
        }
        try {
            Matcher m = PID.matcher(cri.containerInfo(runningContainer));
            if (!m.find()) {
                return null;
            }
            List<InterfaceSample> interfaces = ProcFiles.netDev(proc.resolve(m.group(1)).resolve("net").resolve("dev"));
            return interfaces.isEmpty() ? null : new NetworkSample(now, "eth0", interfaces);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private List<VolumeSample> volumes(String uid, Instant now) {
        Path base = rootDir.resolve("pods").resolve(uid).resolve("volumes");
        List<VolumeSample> result = new ArrayList<>();
        if (!Files.isDirectory(base)) {
            return result;
        }
        try (var plugins = Files.list(base)) {
            for (Path plugin : plugins.sorted().toList()) {
                try (var volumes = Files.list(plugin)) {
                    for (Path volume : volumes.sorted().toList()) {
                        FsSample fs = directory(volume, now);
                        boolean ephemeral = EPHEMERAL_PLUGINS.contains(plugin.getFileName().toString())
                                && !isTmpfs(volume);
                        if (fs != null) {
                            result.add(new VolumeSample(volume.getFileName().toString(), ephemeral, fs));
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot read the volumes of pod {}: {}", uid, e.getMessage());
        }
        return result;
    }

    private static boolean isTmpfs(Path dir) {
        try {
            return "tmpfs".equals(Files.getFileStore(dir).type());
        } catch (IOException e) {
            return false;
        }
    }

    /** What a directory holds (bytes on disk, inodes; links not followed) on its filesystem. */
    private static FsSample directory(Path dir, Instant now) {
        if (!Files.isDirectory(dir)) {
            return null;
        }
        long[] usage = new long[2];
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    usage[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    usage[0] += attrs.isRegularFile() ? attrs.size() : 0;
                    usage[1]++;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return null;
        }
        return fileSystem(dir, usage[0], usage[1], now);
    }

    /** statvfs of {@code path}'s filesystem; {@code used} null means the filesystem's own used bytes. */
    private static FsSample fileSystem(Path path, Long used, Long inodesUsed, Instant now) {
        try {
            FileStore store = Files.getFileStore(path);
            long capacity = store.getTotalSpace();
            long available = store.getUsableSpace();
            return new FsSample(now, available, capacity, used != null ? used : capacity - store.getUnallocatedSpace(),
                    null, null, inodesUsed);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static FsSample rootfs(FilesystemUsage layer, FsSample imageFs) {
        if (layer == null || !layer.hasUsedBytes()) {
            return null;
        }
        return new FsSample(nanosToInstant(layer.getTimestamp()), imageFs == null ? null : imageFs.availableBytes(),
                imageFs == null ? null : imageFs.capacityBytes(), layer.getUsedBytes().getValue(), null, null,
                layer.hasInodesUsed() ? layer.getInodesUsed().getValue() : null);
    }

    private static CpuSample cpu(CpuUsage u) {
        return u == null || !u.hasUsageCoreNanoSeconds() ? null
                : new CpuSample(nanosToInstant(u.getTimestamp()), u.getUsageCoreNanoSeconds().getValue());
    }

    private static MemorySample memory(MemoryUsage m) {
        if (m == null || !m.hasWorkingSetBytes()) {
            return null;
        }
        return new MemorySample(nanosToInstant(m.getTimestamp()),
                m.hasAvailableBytes() ? m.getAvailableBytes().getValue() : null,
                m.hasUsageBytes() ? m.getUsageBytes().getValue() : null, m.getWorkingSetBytes().getValue(),
                m.hasRssBytes() ? m.getRssBytes().getValue() : null,
                m.hasPageFaults() ? m.getPageFaults().getValue() : null,
                m.hasMajorPageFaults() ? m.getMajorPageFaults().getValue() : null);
    }

    /** A runtime without pod sandbox stats: the pod is the sum of its containers. */
    private static CpuSample sum(List<ContainerSample> samples, Instant now) {
        long total = 0;
        boolean any = false;
        for (ContainerSample c : samples) {
            if (c.cpu() != null) {
                total += c.cpu().usageCoreNanoSeconds();
                any = true;
            }
        }
        return any ? new CpuSample(now, total) : null;
    }

    private static MemorySample sumMemory(List<ContainerSample> samples, Instant now) {
        long workingSet = 0;
        long usage = 0;
        boolean any = false;
        for (ContainerSample c : samples) {
            if (c.memory() != null) {
                workingSet += c.memory().workingSetBytes() == null ? 0 : c.memory().workingSetBytes();
                usage += c.memory().usageBytes() == null ? 0 : c.memory().usageBytes();
                any = true;
            }
        }
        return any ? new MemorySample(now, null, usage, workingSet, null, null, null) : null;
    }

    private static Instant startTime(Pod pod) {
        try {
            return pod.getStatus() == null || pod.getStatus().getStartTime() == null ? null
                    : Instant.parse(pod.getStatus().getStartTime());
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static Instant nanosToInstant(long nanos) {
        return nanos <= 0 ? Instant.now() : Instant.ofEpochSecond(nanos / 1_000_000_000L, nanos % 1_000_000_000L);
    }
}
