package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.kube4j.cri.v1.LinuxPodSandboxConfig;
import io.kube4j.kubelet.TestCgroups;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code spec.overhead} in the pod cgroup as upstream's ResourceConfigForPod puts it there: added to the requests
 * (CPU shares) always and to a limit only when every container sets that limit; the sandbox config carries the pod's
 * resources and the overhead apart, as upstream's applySandboxResources.
 */
class PodOverheadTest {
    private static final long MI = 1024L * 1024;

    private static Container container(String name, String reqCpu, String limCpu, String reqMem, String limMem) {
        ResourceRequirementsBuilder r = new ResourceRequirementsBuilder();
        if (reqCpu != null) r.addToRequests("cpu", new Quantity(reqCpu));
        if (limCpu != null) r.addToLimits("cpu", new Quantity(limCpu));
        if (reqMem != null) r.addToRequests("memory", new Quantity(reqMem));
        if (limMem != null) r.addToLimits("memory", new Quantity(limMem));
        return new ContainerBuilder().withName(name).withImage("busybox").withResources(r.build()).build();
    }

    private static Pod pod(Map<String, Quantity> overhead, List<Container> inits, Container... containers) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u1").endMetadata()
                .withNewSpec().withOverhead(overhead).withInitContainers(inits).withContainers(containers).endSpec().build();
    }

    private static Map<String, Quantity> overhead(String cpu, String memory) {
        return Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory));
    }

    @Test
    void limitsAndSharesOfALimitedPodIncludeTheOverhead() {
        Pod pod = pod(overhead("250m", "120Mi"), List.of(),
                container("a", "100m", "500m", "64Mi", "128Mi"), container("b", "200m", "1", "32Mi", "64Mi"));

        PodCgroupConfig config = PodCgroupConfig.forPod(pod);

        assertThat(config.memoryLimit()).isEqualTo((128 + 64 + 120) * MI);
        assertThat(config.cpuQuota()).isEqualTo(175_000); // 1.75 cores of a 100 ms period
        assertThat(config.cpuShares()).isEqualTo(563); // (300m + 250m) * 1024 / 1000
    }

    @Test
    void aContainerWithoutALimitLeavesThePodUnlimitedButItsSharesStillCountTheOverhead() {
        Pod pod = pod(overhead("250m", "120Mi"), List.of(),
                container("a", "100m", "500m", "64Mi", "128Mi"), container("b", "200m", null, "32Mi", null));

        PodCgroupConfig config = PodCgroupConfig.forPod(pod);

        assertThat(config.memoryLimit()).isNull();
        assertThat(config.cpuQuota()).isNull();
        assertThat(config.cpuShares()).isEqualTo(563);
        // upstream's PodLimits adds the overhead only to limits that are set
        assertThat(PodResources.limits(pod, true).get("memory")).isEqualByComparingTo(new BigDecimal(248 * MI));
        assertThat(PodResources.limits(pod, true).get("cpu")).isEqualByComparingTo("0.75");
    }

    @Test
    void aGuaranteedPodWithOverheadIsLimitedToItsLimitsPlusTheOverhead() {
        Pod pod = pod(overhead("100m", "50Mi"), List.of(), container("a", null, "1", null, "100Mi"));

        assertThat(QosClasses.of(pod)).isEqualTo(QosClasses.GUARANTEED);
        assertThat(PodCgroupConfig.forPod(pod)).isEqualTo(new PodCgroupConfig(1126, 110_000L, 150 * MI));
    }

    @Test
    void aBestEffortPodGetsTheMinimumSharesAndNoLimitsWhateverItsOverhead() {
        Pod pod = pod(overhead("1", "1Gi"), List.of(), container("a", null, null, null, null));

        assertThat(PodCgroupConfig.forPod(pod)).isEqualTo(new PodCgroupConfig(2, null, null));
    }

    @Test
    void initContainersAndSidecarsCountAsUpstreamsPodRequests() {
        Container sidecar = new ContainerBuilder(container("proxy", "100m", "100m", "10Mi", "10Mi"))
                .withRestartPolicy("Always").build();
        Container migrate = container("migrate", "2", "2", "500Mi", "500Mi");
        Pod pod = pod(overhead("50m", "5Mi"), List.of(sidecar, migrate), container("app", "300m", "300m", "100Mi", "100Mi"));

        // app + sidecar = 400m, the init container runs beside the sidecar: 2.1 cores; + overhead
        assertThat(PodResources.requests(pod, true).get("cpu")).isEqualByComparingTo("2.150");
        assertThat(PodResources.limits(pod, true).get("memory")).isEqualByComparingTo(new BigDecimal(515 * MI));
        assertThat(PodResources.requests(pod, false).get("memory")).isEqualByComparingTo(new BigDecimal(510 * MI));
    }

    @Test
    void thePodCgroupFilesCarryTheOverhead(@TempDir Path root) throws Exception {
        Pod pod = pod(overhead("250m", "120Mi"), List.of(), container("a", "100m", "500m", "64Mi", "128Mi"));
        PodCgroups cgroups = new PodCgroups(TestCgroups.under(root, "memory", "cpu"), "kubepods");

        cgroups.ensure(pod);

        Path memory = root.resolve("memory").resolve(cgroups.parentOf(pod).substring(1));
        Path cpu = root.resolve("cpu").resolve(cgroups.parentOf(pod).substring(1));
        assertThat(Files.readString(memory.resolve("memory.limit_in_bytes"))).isEqualTo(Long.toString(248 * MI));
        assertThat(Files.readString(cpu.resolve("cpu.cfs_quota_us"))).isEqualTo("75000");
        assertThat(Files.readString(cpu.resolve("cpu.shares"))).isEqualTo("358");
    }

    @Test
    void theSandboxConfigCarriesThePodsResourcesAndItsOverheadApart() {
        Pod pod = pod(overhead("250m", "120Mi"), List.of(),
                container("a", "100m", "500m", "64Mi", "128Mi"), container("b", "200m", "1", "32Mi", "64Mi"));

        LinuxPodSandboxConfig linux = new ConfigFactory(Path.of("/logs")).sandbox(pod, 0, "/kubepods/burstable/podu1")
                .getLinux();

        assertThat(linux.getResources().getMemoryLimitInBytes()).isEqualTo(192 * MI);
        assertThat(linux.getResources().getCpuQuota()).isEqualTo(150_000);
        assertThat(linux.getResources().getCpuShares()).isEqualTo(307);
        assertThat(linux.getOverhead().getMemoryLimitInBytes()).isEqualTo(120 * MI);
        assertThat(linux.getOverhead().getCpuQuota()).isEqualTo(25_000);
        assertThat(linux.getOverhead().getCpuShares()).isEqualTo(256);
        assertThat(new ConfigFactory(Path.of("/logs")).sandbox(pod(null, List.of(), container("a", null, null, null, null)),
                0, null).getLinux().hasOverhead()).isFalse();
    }
}
