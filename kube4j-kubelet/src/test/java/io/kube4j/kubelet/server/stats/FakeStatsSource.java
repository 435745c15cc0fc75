package io.kube4j.kubelet.server.stats;

import java.time.Instant;
import java.util.List;

/** A node with one pod of two containers and two volumes, whose CPU counters the test moves forward. */
public final class FakeStatsSource implements StatsSource {
    public static final Instant BOOT = Instant.parse("2026-01-01T00:00:00Z");
    public static final Instant POD_START = Instant.parse("2026-01-01T01:00:00Z");

    public Instant now = Instant.parse("2026-01-01T02:00:00Z");
    public long nodeCpu = 1_000_000_000_000L;
    public long appCpu = 5_000_000_000L;

    @Override
    public NodeSample node() {
        FsSample fs = new FsSample(now, 60_000L, 100_000L, 40_000L, 900L, 1000L, 100L);
        return new NodeSample(BOOT, new CpuSample(now, nodeCpu),
                new MemorySample(now, 3_000L, 7_000L, 5_000L, 2_000L, 11L, 1L),
                new NetworkSample(now, "eth0", List.of(new InterfaceSample("eth0", 100, 1, 200, 2),
                        new InterfaceSample("kube4j0", 300, 0, 400, 0))),
                fs, new FsSample(now, 60_000L, 100_000L, 10_000L, null, null, 50L),
                List.of(new SystemContainerSample("kubelet", BOOT.plusSeconds(60), new CpuSample(now, 42L),
                        new MemorySample(now, null, 900L, 800L, 700L, null, null))),
                now, 4_194_304L, 321L);
    }

    @Override
    public List<PodSample> pods() {
        ContainerSample app = new ContainerSample("app", POD_START.plusSeconds(1), new CpuSample(now, appCpu),
                new MemorySample(now, null, 1_000L, 600L, 500L, 3L, 0L),
                new FsSample(now, 60_000L, 100_000L, 12L, null, null, 2L),
                new FsSample(now, 60_000L, 100_000L, 30L, null, null, 3L));
        ContainerSample sidecar = new ContainerSample("sidecar", POD_START.plusSeconds(2), new CpuSample(now, 1_000L),
                new MemorySample(now, null, 100L, 60L, 50L, 0L, 0L), null, null);
        return List.of(new PodSample("default", "web", "uid-1", POD_START, List.of(app, sidecar),
                new CpuSample(now, appCpu + 1_000L), new MemorySample(now, null, 1_200L, 700L, 550L, 3L, 0L),
                new NetworkSample(now, "eth0", List.of(new InterfaceSample("eth0", 10, 0, 20, 0))),
                List.of(new VolumeSample("cache", true, new FsSample(now, 60_000L, 100_000L, 1_000L, null, null, 4L)),
                        new VolumeSample("shm", false, new FsSample(now, 500L, 500L, 7L, null, null, 1L))),
                5L));
    }
}
