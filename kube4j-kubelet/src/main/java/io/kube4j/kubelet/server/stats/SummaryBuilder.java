package io.kube4j.kubelet.server.stats;

import io.kube4j.kubelet.server.stats.StatsSource.ContainerSample;
import io.kube4j.kubelet.server.stats.StatsSource.CpuSample;
import io.kube4j.kubelet.server.stats.StatsSource.FsSample;
import io.kube4j.kubelet.server.stats.StatsSource.InterfaceSample;
import io.kube4j.kubelet.server.stats.StatsSource.MemorySample;
import io.kube4j.kubelet.server.stats.StatsSource.NetworkSample;
import io.kube4j.kubelet.server.stats.StatsSource.NodeSample;
import io.kube4j.kubelet.server.stats.StatsSource.PodSample;
import io.kube4j.kubelet.server.stats.StatsSource.SystemContainerSample;
import io.kube4j.kubelet.server.stats.StatsSource.VolumeSample;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's {@code stats/v1alpha1} Summary ({@code /stats/summary}) from a {@link StatsSource}: field names and
 * nesting as the kubelet's JSON. {@code usageNanoCores} is the rate between this reading and the previous one of the
 * same node, pod or container (upstream takes it from cAdvisor's samples), so it is absent on a first reading.
 */
public final class SummaryBuilder {
    /** Readings older than this are not used for a rate: a container gone and back is a new one. */
    private static final Duration RATE_WINDOW = Duration.ofMinutes(10);

    private final String nodeName;
    private final StatsSource source;
    private final Map<String, CpuSample> previous = new HashMap<>();

    public SummaryBuilder(String nodeName, StatsSource source) {
        this.nodeName = nodeName;
        this.source = source;
    }

    /** One summary; {@code onlyCpuAndMemory} is upstream's {@code ?only_cpu_and_memory=true}. */
    public synchronized Map<String, Object> build(boolean onlyCpuAndMemory) {
        NodeSample node = source.node();
        List<PodSample> pods = source.pods();
        Map<String, CpuSample> seen = new HashMap<>();
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("node", node(node, onlyCpuAndMemory, seen));
        List<Object> podList = new ArrayList<>();
        for (PodSample p : pods) {
            podList.add(pod(p, node, onlyCpuAndMemory, seen));
        }
        summary.put("pods", podList);
        previous.clear();
        previous.putAll(seen);
        return summary;
    }

    private Map<String, Object> node(NodeSample n, boolean onlyCpuAndMemory, Map<String, CpuSample> seen) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodeName", nodeName);
        List<Object> system = new ArrayList<>();
        for (SystemContainerSample c : n.systemContainers()) {
            Map<String, Object> sc = new LinkedHashMap<>();
            sc.put("name", c.name());
            putTime(sc, "startTime", c.startTime());
            putIfPresent(sc, "cpu", cpu("system/" + c.name(), c.cpu(), seen));
            putIfPresent(sc, "memory", memory(c.memory()));
            system.add(sc);
        }
        out.put("systemContainers", system);
        putTime(out, "startTime", n.startTime());
        putIfPresent(out, "cpu", cpu("node", n.cpu(), seen));
        putIfPresent(out, "memory", memory(n.memory()));
        if (onlyCpuAndMemory) {
            return out;
        }
        putIfPresent(out, "network", network(n.network()));
        putIfPresent(out, "fs", fs(n.fs()));
        if (n.imageFs() != null) {
            // kube4j keeps container writable layers beside the images: one filesystem for both, as upstream says
            // when containerFs is not split out
            Map<String, Object> runtime = new LinkedHashMap<>();
            runtime.put("imageFs", fs(n.imageFs()));
            runtime.put("containerFs", fs(n.imageFs()));
            out.put("runtime", runtime);
        }
        if (n.maxPid() != null || n.curProc() != null) {
            Map<String, Object> rlimit = new LinkedHashMap<>();
            putTime(rlimit, "time", n.rlimitTime());
            putIfPresent(rlimit, "maxpid", n.maxPid());
            putIfPresent(rlimit, "curproc", n.curProc());
            out.put("rlimit", rlimit);
        }
        return out;
    }

    private Map<String, Object> pod(PodSample p, NodeSample node, boolean onlyCpuAndMemory,
                                    Map<String, CpuSample> seen) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("name", p.name());
        ref.put("namespace", p.namespace());
        ref.put("uid", p.uid());
        out.put("podRef", ref);
        putTime(out, "startTime", p.startTime());
        List<Object> containers = new ArrayList<>();
        for (ContainerSample c : p.containers()) {
            Map<String, Object> co = new LinkedHashMap<>();
            co.put("name", c.name());
            putTime(co, "startTime", c.startTime());
            putIfPresent(co, "cpu", cpu("container/" + p.uid() + "/" + c.name(), c.cpu(), seen));
            putIfPresent(co, "memory", memory(c.memory()));
            if (!onlyCpuAndMemory) {
                putIfPresent(co, "rootfs", fs(c.rootfs()));
                putIfPresent(co, "logs", fs(c.logs()));
            }
            containers.add(co);
        }
        out.put("containers", containers);
        putIfPresent(out, "cpu", cpu("pod/" + p.uid(), p.cpu(), seen));
        putIfPresent(out, "memory", memory(p.memory()));
        if (onlyCpuAndMemory) {
            return out;
        }
        putIfPresent(out, "network", network(p.network()));
        List<Object> volumes = new ArrayList<>();
        for (VolumeSample v : p.volumes()) {
            Map<String, Object> vo = fs(v.fs());
            vo.put("name", v.name());
            volumes.add(vo);
        }
        if (!volumes.isEmpty()) {
            out.put("volume", volumes);
        }
        out.put("ephemeral-storage", ephemeralStorage(p, node));
        if (p.processCount() != null) {
            out.put("process_stats", Map.of("process_count", p.processCount()));
        }
        return out;
    }

    /**
     * Upstream's pod ephemeral storage: the containers' writable layers and logs plus the pod's ephemeral volumes,
     * on the node's filesystem (its capacity and what is available on it).
     */
    static Map<String, Object> ephemeralStorage(PodSample p, NodeSample node) {
        long used = 0;
        long inodesUsed = 0;
        Instant time = null;
        for (ContainerSample c : p.containers()) {
            for (FsSample fs : new FsSample[]{c.rootfs(), c.logs()}) {
                if (fs != null) {
                    used += orZero(fs.usedBytes());
                    inodesUsed += orZero(fs.inodesUsed());
                    time = latest(time, fs.time());
                }
            }
        }
        for (VolumeSample v : p.volumes()) {
            if (v.ephemeral() && v.fs() != null) {
                used += orZero(v.fs().usedBytes());
                inodesUsed += orZero(v.fs().inodesUsed());
                time = latest(time, v.fs().time());
            }
        }
        FsSample nodeFs = node.fs();
        return fs(new FsSample(time != null ? time : nodeFs == null ? null : nodeFs.time(),
                nodeFs == null ? null : nodeFs.availableBytes(), nodeFs == null ? null : nodeFs.capacityBytes(), used,
                nodeFs == null ? null : nodeFs.inodesFree(), nodeFs == null ? null : nodeFs.inodes(), inodesUsed));
    }

    private Map<String, Object> cpu(String key, CpuSample sample, Map<String, CpuSample> seen) {
        if (sample == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putTime(out, "time", sample.time());
        CpuSample before = previous.get(key);
        if (before != null && sample.time().isAfter(before.time())
                && Duration.between(before.time(), sample.time()).compareTo(RATE_WINDOW) <= 0
                && sample.usageCoreNanoSeconds() >= before.usageCoreNanoSeconds()) {
            long nanos = Duration.between(before.time(), sample.time()).toNanos();
            double rate = (double) (sample.usageCoreNanoSeconds() - before.usageCoreNanoSeconds()) / nanos * 1e9;
            out.put("usageNanoCores", Math.round(rate));
        }
        out.put("usageCoreNanoSeconds", sample.usageCoreNanoSeconds());
        seen.put(key, sample);
        return out;
    }

    static Map<String, Object> memory(MemorySample m) {
        if (m == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putTime(out, "time", m.time());
        putIfPresent(out, "availableBytes", m.availableBytes());
        putIfPresent(out, "usageBytes", m.usageBytes());
        putIfPresent(out, "workingSetBytes", m.workingSetBytes());
        putIfPresent(out, "rssBytes", m.rssBytes());
        putIfPresent(out, "pageFaults", m.pageFaults());
        putIfPresent(out, "majorPageFaults", m.majorPageFaults());
        return out;
    }

    static Map<String, Object> fs(FsSample f) {
        if (f == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putTime(out, "time", f.time());
        putIfPresent(out, "availableBytes", f.availableBytes());
        putIfPresent(out, "capacityBytes", f.capacityBytes());
        putIfPresent(out, "usedBytes", f.usedBytes());
        putIfPresent(out, "inodesFree", f.inodesFree());
        putIfPresent(out, "inodes", f.inodes());
        putIfPresent(out, "inodesUsed", f.inodesUsed());
        return out;
    }

    /** The default interface's figures at the top, inlined as upstream's embedded InterfaceStats, and all of them. */
    static Map<String, Object> network(NetworkSample n) {
        if (n == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        putTime(out, "time", n.time());
        for (InterfaceSample i : n.interfaces()) {
            if (i.name().equals(n.defaultInterface())) {
                out.putAll(iface(i));
            }
        }
        List<Object> all = new ArrayList<>();
        n.interfaces().forEach(i -> all.add(iface(i)));
        out.put("interfaces", all);
        return out;
    }

    private static Map<String, Object> iface(InterfaceSample i) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", i.name());
        out.put("rxBytes", i.rxBytes());
        out.put("rxErrors", i.rxErrors());
        out.put("txBytes", i.txBytes());
        out.put("txErrors", i.txErrors());
        return out;
    }

    private static void putTime(Map<String, Object> out, String key, Instant time) {
        if (time != null) {
            out.put(key, time.truncatedTo(ChronoUnit.SECONDS).toString());
        }
    }

    private static void putIfPresent(Map<String, Object> out, String key, Object value) {
        if (value != null) {
            out.put(key, value);
        }
    }

    private static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    private static Instant latest(Instant a, Instant b) {
        return a == null || (b != null && b.isAfter(a)) ? b : a;
    }
}
