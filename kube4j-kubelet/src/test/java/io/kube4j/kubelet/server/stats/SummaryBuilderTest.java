package io.kube4j.kubelet.server.stats;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SummaryBuilderTest {

    final FakeStatsSource source = new FakeStatsSource();
    final SummaryBuilder builder = new SummaryBuilder("node-a", source);

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o) {
        return (List<Object>) o;
    }

    @Test
    void theNodeHasUpstreamsFieldsAndValues() {
        Map<String, Object> node = map(builder.build(false).get("node"));
        assertThat(node).containsKeys("nodeName", "systemContainers", "startTime", "cpu", "memory", "network", "fs",
                "runtime", "rlimit");
        assertThat(node.get("nodeName")).isEqualTo("node-a");
        assertThat(node.get("startTime")).isEqualTo("2026-01-01T00:00:00Z");
        assertThat(map(node.get("cpu"))).containsEntry("time", "2026-01-01T02:00:00Z")
                .containsEntry("usageCoreNanoSeconds", 1_000_000_000_000L).doesNotContainKey("usageNanoCores");
        assertThat(map(node.get("memory"))).containsEntry("availableBytes", 3_000L).containsEntry("usageBytes", 7_000L)
                .containsEntry("workingSetBytes", 5_000L).containsEntry("rssBytes", 2_000L)
                .containsEntry("pageFaults", 11L).containsEntry("majorPageFaults", 1L);
        Map<String, Object> network = map(node.get("network"));
        // the default interface's figures inline, as upstream's embedded InterfaceStats, then every interface
        assertThat(network).containsEntry("name", "eth0").containsEntry("rxBytes", 100L).containsEntry("rxErrors", 1L)
                .containsEntry("txBytes", 200L).containsEntry("txErrors", 2L);
        assertThat(list(network.get("interfaces"))).hasSize(2);
        assertThat(map(node.get("fs"))).containsEntry("availableBytes", 60_000L).containsEntry("capacityBytes", 100_000L)
                .containsEntry("usedBytes", 40_000L).containsEntry("inodesFree", 900L).containsEntry("inodes", 1000L)
                .containsEntry("inodesUsed", 100L);
        assertThat(map(map(node.get("runtime")).get("imageFs"))).containsEntry("usedBytes", 10_000L)
                .containsEntry("inodesUsed", 50L).doesNotContainKey("inodes");
        assertThat(map(node.get("rlimit"))).containsEntry("maxpid", 4_194_304L).containsEntry("curproc", 321L);
        Map<String, Object> kubelet = map(list(node.get("systemContainers")).get(0));
        assertThat(kubelet).containsEntry("name", "kubelet").containsEntry("startTime", "2026-01-01T00:01:00Z");
        assertThat(map(kubelet.get("memory"))).containsEntry("workingSetBytes", 800L);
    }

    @Test
    void aPodHasItsRefContainersVolumesAndEphemeralStorage() {
        List<Object> pods = list(builder.build(false).get("pods"));
        assertThat(pods).hasSize(1);
        Map<String, Object> pod = map(pods.get(0));
        assertThat(pod).containsKeys("podRef", "startTime", "containers", "cpu", "memory", "network", "volume",
                "ephemeral-storage", "process_stats");
        assertThat(map(pod.get("podRef"))).isEqualTo(Map.of("name", "web", "namespace", "default",
                "uid", "uid-1"));
        assertThat(pod.get("startTime")).isEqualTo("2026-01-01T01:00:00Z");
        Map<String, Object> app = map(list(pod.get("containers")).get(0));
        assertThat(app).containsEntry("name", "app").containsEntry("startTime", "2026-01-01T01:00:01Z")
                .containsKeys("cpu", "memory", "rootfs", "logs");
        assertThat(map(app.get("rootfs"))).containsEntry("usedBytes", 12L).containsEntry("inodesUsed", 2L);
        assertThat(map(app.get("logs"))).containsEntry("usedBytes", 30L);
        // a container without filesystem figures has none, rather than zeros
        assertThat(map(list(pod.get("containers")).get(1))).doesNotContainKeys("rootfs", "logs");
        assertThat(list(pod.get("volume"))).extracting(v -> map(v).get("name")).containsExactly("cache", "shm");
        // rootfs 12 + logs 30 + the ephemeral volume 1000; the memory-backed one does not count
        assertThat(map(pod.get("ephemeral-storage"))).containsEntry("usedBytes", 1_042L)
                .containsEntry("inodesUsed", 9L).containsEntry("capacityBytes", 100_000L)
                .containsEntry("availableBytes", 60_000L);
        assertThat(map(pod.get("process_stats"))).containsEntry("process_count", 5L);
        assertThat(map(pod.get("network"))).containsEntry("name", "eth0").containsEntry("rxBytes", 10L);
    }

    @Test
    void usageNanoCoresIsTheRateSinceThePreviousReading() {
        builder.build(false);
        source.now = source.now.plusSeconds(10);
        source.nodeCpu += 15_000_000_000L; // 1.5 cores over 10 s
        source.appCpu += 2_500_000_000L;   // 0.25 cores
        Map<String, Object> summary = builder.build(false);
        assertThat(map(map(summary.get("node")).get("cpu"))).containsEntry("usageNanoCores", 1_500_000_000L);
        Map<String, Object> app = map(list(map(list(summary.get("pods")).get(0)).get("containers")).get(0));
        assertThat(map(app.get("cpu"))).containsEntry("usageNanoCores", 250_000_000L)
                .containsEntry("usageCoreNanoSeconds", 7_500_000_000L);
    }

    @Test
    void onlyCpuAndMemoryLeavesTheRestOut() {
        Map<String, Object> summary = builder.build(true);
        assertThat(map(summary.get("node"))).containsKeys("cpu", "memory").doesNotContainKeys("fs", "network", "runtime");
        Map<String, Object> pod = map(list(summary.get("pods")).get(0));
        assertThat(pod).containsKeys("podRef", "cpu", "memory").doesNotContainKeys("volume", "ephemeral-storage", "network");
        assertThat(map(list(pod.get("containers")).get(0))).doesNotContainKeys("rootfs", "logs");
    }
}
