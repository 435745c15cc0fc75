package io.kube4j.kubelet.cm;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.kubelet.TestCgroups;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class QosAndResourcesTest {
    private static Pod pod(String reqCpu, String limCpu, String reqMem, String limMem) {
        var rb = new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder();
        if (reqCpu != null) rb.addToRequests("cpu", new Quantity(reqCpu));
        if (limCpu != null) rb.addToLimits("cpu", new Quantity(limCpu));
        if (reqMem != null) rb.addToRequests("memory", new Quantity(reqMem));
        if (limMem != null) rb.addToLimits("memory", new Quantity(limMem));
        return new PodBuilder().withNewMetadata().withName("p").withUid("u1").endMetadata().withNewSpec()
                .addNewContainer().withName("c").withResources(rb.build()).endContainer().endSpec().build();
    }

    @Test
    void classifiesPodsAsUpstream() {
        assertThat(QosClasses.of(pod(null, null, null, null))).isEqualTo("BestEffort");
        assertThat(QosClasses.of(pod(null, "1", null, "1Gi"))).isEqualTo("Guaranteed");
        assertThat(QosClasses.of(pod("1", "1", "1Gi", "1Gi"))).isEqualTo("Guaranteed");
        assertThat(QosClasses.of(pod("500m", "1", "1Gi", "1Gi"))).isEqualTo("Burstable");
        assertThat(QosClasses.of(pod("100m", null, null, null))).isEqualTo("Burstable");
    }

    @Test
    void convertsRequestsAndLimitsToCriResources() {
        var r = ContainerResources.toCri(pod("250m", "500m", null, "128Mi").getSpec().getContainers().get(0), "Burstable");
        assertThat(r.getCpuShares()).isEqualTo(256);
        assertThat(r.getCpuQuota()).isEqualTo(50_000);
        assertThat(r.getCpuPeriod()).isEqualTo(100_000);
        assertThat(r.getMemoryLimitInBytes()).isEqualTo(128L * 1024 * 1024);
        var best = ContainerResources.toCri(pod(null, null, null, null).getSpec().getContainers().get(0), "BestEffort");
        assertThat(best.getCpuShares()).isEqualTo(2);
        assertThat(best.getOomScoreAdj()).isEqualTo(1000);
    }

    @Test
    void podCgroupParentFollowsTheQosClass() {
        PodCgroups cg = new PodCgroups(TestCgroups.under(Path.of("/nonexistent")), "kubepods");
        assertThat(cg.parentOf(pod(null, "1", null, "1Gi"))).isEqualTo("/kubepods/podu1");
        assertThat(cg.parentOf(pod("1", null, null, null))).isEqualTo("/kubepods/burstable/podu1");
        assertThat(cg.parentOf(pod(null, null, null, null))).isEqualTo("/kubepods/besteffort/podu1");
    }
}
