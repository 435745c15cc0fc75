package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.kube4j.cri.v1.LinuxPodSandboxConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A RuntimeClass's overhead on the pod reaches the pod cgroup the kubelet makes and the sandbox config it sends
 * (upstream: ResourceConfigForPod and applySandboxResources). The test's API server runs without admission, so the
 * pod carries the overhead RuntimeClass admission would have copied from its class. The kubelet's cgroup root here is
 * a plain directory with the controllers' subdirectories, so its writes can be read back.
 */
class PodOverheadKubeletTest {
    private static final long MI = 1024L * 1024;

    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create().withNamespace("ns");

    @Test
    void theOverheadOfThePodsRuntimeClassIsInItsCgroupAndItsSandboxConfig() throws Exception {
        Path cgroupRoot = harness.dir.resolve("cgroup");
        harness.client.resource(new RuntimeClassBuilder().withNewMetadata().withName("vm").endMetadata().withHandler("runc")
                .withNewOverhead().withPodFixed(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi")))
                .endOverhead().build()).create();
        harness.startKubelet(harness.fastNode("node-a").withSyncFrequency(Duration.ofMillis(500))
                .withCgroups(TestCgroups.under(cgroupRoot, "memory", "cpu"), "kubepods"));

        Pod pod = harness.client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("vm-pod")
                .endMetadata().withNewSpec().withNodeName("node-a").withRuntimeClassName("vm")
                .withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("120Mi"))).addNewContainer()
                .withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent").withNewResources()
                .addToLimits("cpu", new Quantity("500m")).addToLimits("memory", new Quantity("128Mi"))
                .endResources().endContainer().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(harness.runtime.sandboxConfigs).hasSize(1));
        LinuxPodSandboxConfig linux = harness.runtime.sandboxConfigs.values().iterator().next().getLinux();
        assertThat(linux.getResources().getMemoryLimitInBytes()).isEqualTo(128 * MI);
        assertThat(linux.getResources().getCpuQuota()).isEqualTo(50_000);
        assertThat(linux.getOverhead().getMemoryLimitInBytes()).isEqualTo(120 * MI);
        assertThat(linux.getOverhead().getCpuQuota()).isEqualTo(25_000);

        // Guaranteed: the pod cgroup sits right under kubepods
        String parent = "kubepods/pod" + pod.getMetadata().getUid();
        assertThat(linux.getCgroupParent()).isEqualTo("/" + parent);
        assertThat(Files.readString(cgroupRoot.resolve("memory").resolve(parent).resolve("memory.limit_in_bytes")))
                .isEqualTo(Long.toString(248 * MI));
        assertThat(Files.readString(cgroupRoot.resolve("cpu").resolve(parent).resolve("cpu.cfs_quota_us"))).isEqualTo("75000");
        assertThat(Files.readString(cgroupRoot.resolve("cpu").resolve(parent).resolve("cpu.shares"))).isEqualTo("768");
    }
}
