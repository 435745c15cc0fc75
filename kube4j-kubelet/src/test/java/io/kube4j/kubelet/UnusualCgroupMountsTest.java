package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.grpc.ManagedChannel;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kube4j.host.cgroup.CgroupLayout;
import io.kube4j.host.cgroup.Cgroups;
import io.kube4j.kubelet.cm.PodCgroups;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.server.stats.MachineStatsSource;
import io.kube4j.kubelet.server.stats.StatsSource.SystemContainerSample;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kubelet's pod cgroups and its "pods" system container follow the host's cgroup layout: here memory is mounted
 * at {@code DIR/v1/mem}, cpu and cpuacct together at {@code DIR/other/cpu,cpuacct}, and nothing at
 * {@code DIR/<controller>} where a walker that hard-codes the cgroupfs layout would look.
 */
class UnusualCgroupMountsTest {

    @TempDir
    Path dir;

    private Cgroups cgroups() throws Exception {
        Files.createDirectories(dir.resolve("v1/mem"));
        Files.createDirectories(dir.resolve("other/cpu,cpuacct"));
        return new Cgroups(CgroupLayout.parse("""
                40 1 0:40 / %1$s/v1/mem rw,relatime shared:7 - cgroup cgroup rw,memory
                41 1 0:41 / %1$s/other/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
                """.formatted(dir)));
    }

    @Test
    void podCgroupLimitsAreWrittenWhereEachControllerIsMounted() throws Exception {
        PodCgroups podCgroups = new PodCgroups(cgroups(), "kubepods");
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withUid("u1").endMetadata().withNewSpec()
                .addNewContainer().withName("app").withNewResources()
                .addToLimits(Map.of("cpu", new Quantity("500m"), "memory", new Quantity("64Mi")))
                .endResources().endContainer().endSpec().build();
        String parent = podCgroups.parentOf(pod).substring(1);

        podCgroups.ensure(pod);

        assertThat(dir.resolve("v1/mem").resolve(parent).resolve("memory.limit_in_bytes"))
                .hasContent(Long.toString(64L << 20));
        assertThat(dir.resolve("other/cpu,cpuacct").resolve(parent).resolve("cpu.cfs_quota_us")).hasContent("50000");
        assertThat(dir.resolve("memory")).doesNotExist();
        assertThat(dir.resolve("cpu")).doesNotExist();

        // a temp dir is no cgroupfs: its control files must go before its directories can
        try (var files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.delete(file);
            }
        }
        podCgroups.remove(pod);

        assertThat(dir.resolve("v1/mem").resolve(parent)).doesNotExist();
        assertThat(dir.resolve("other/cpu,cpuacct").resolve(parent)).doesNotExist();
    }

    @Test
    void thePodsSystemContainerIsReadWhereEachControllerIsMounted() throws Exception {
        Cgroups cgroups = cgroups();
        Files.createDirectories(dir.resolve("v1/mem/kubepods"));
        Files.createDirectories(dir.resolve("other/cpu,cpuacct/kubepods"));
        Files.writeString(dir.resolve("other/cpu,cpuacct/kubepods/cpuacct.usage"), "987654321\n");
        Files.writeString(dir.resolve("v1/mem/kubepods/memory.usage_in_bytes"), "1000000\n");
        Files.writeString(dir.resolve("v1/mem/kubepods/memory.stat"), "total_inactive_file 300000\ntotal_rss 500000\n");
        ManagedChannel nowhere = InProcessChannelBuilder.forName("no-runtime-" + dir.getFileName()).build();
        try (RuntimeClient cri = new RuntimeClient(nowhere)) {
            MachineStatsSource stats = new MachineStatsSource(cri, List::of, new ConfigFactory(dir.resolve("logs")),
                    dir, cgroups, "kubepods");

            SystemContainerSample pods = stats.node().systemContainers().stream()
                    .filter(c -> c.name().equals("pods")).findFirst().orElseThrow();

            assertThat(pods.startTime()).isNotNull();
            assertThat(pods.cpu().usageCoreNanoSeconds()).isEqualTo(987654321L);
            assertThat(pods.memory().usageBytes()).isEqualTo(1000000L);
            assertThat(pods.memory().workingSetBytes()).isEqualTo(700000L);
            assertThat(pods.memory().rssBytes()).isEqualTo(500000L);
        }
    }
}
