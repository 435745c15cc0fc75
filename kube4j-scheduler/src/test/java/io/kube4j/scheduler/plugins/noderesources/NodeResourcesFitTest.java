package io.kube4j.scheduler.plugins.noderesources;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NodeResourcesFitTest {
    private final NodeResourcesFit fit = new NodeResourcesFit();

    @Test
    void insufficientCpuAndMemoryAreBothReported() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").cpu("2").memory("2Gi").build(), Pods.pod("e").cpu("1500m").memory("1Gi").info());
        Status s = fit.filter(new CycleState(), Pods.pod("p").cpu("1").memory("2Gi").info(), node);
        assertThat(s.code()).isEqualTo(Code.UNSCHEDULABLE);
        assertThat(s.reasons()).containsExactly("Insufficient cpu", "Insufficient memory");
        assertThat(fit.filter(new CycleState(), Pods.pod("p").cpu("500m").memory("1Gi").info(), node).isSuccess()).isTrue();
    }

    @Test
    void podCountLimitAppliesEvenToBestEffortPods() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").pods(1).build(), Pods.pod("e").info());
        assertThat(fit.filter(new CycleState(), Pods.pod("p").info(), node).reasons()).containsExactly("Too many pods");
    }

    @Test
    void initContainersCountAsTheirPeakAndSidecarsAdd() {
        // app 1 cpu; init 3 cpu (runs alone) -> effective 3 cpu
        PodInfo withInit = Pods.pod("p").cpu("1").initContainer(Pods.containerWith("init", "3", null)).info();
        assertThat(withInit.requests().milliCpu).isEqualTo(3000);
        // sidecar 1 cpu runs beside the app (1+1) and beside a later init (2+1=3): effective 3
        Container sidecar = Pods.containerWith("sidecar", "1", null);
        sidecar.setRestartPolicy("Always");
        PodInfo withSidecar = Pods.pod("p").cpu("1").initContainer(sidecar).initContainer(Pods.containerWith("late-init", "2", null)).info();
        assertThat(withSidecar.requests().milliCpu).isEqualTo(3000);
        PodInfo sidecarOnly = Pods.pod("p").cpu("1").initContainer(sidecar).info();
        assertThat(sidecarOnly.requests().milliCpu).isEqualTo(2000);
    }

    @Test
    void overheadIsAdded() {
        PodInfo pod = Pods.pod("p").cpu("1").memory("1Gi")
                .edit(b -> b.editSpec().withOverhead(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("64Mi"))).endSpec()).info();
        assertThat(pod.requests().milliCpu).isEqualTo(1250);
        assertThat(pod.requests().memory).isEqualTo((1024L + 64) * 1024 * 1024);
        NodeInfo node = NodeInfo.of(Nodes.node("n").cpu("1").build());
        assertThat(fit.filter(new CycleState(), pod, node).reasons()).containsExactly("Insufficient cpu");
    }

    @Test
    void extendedResources() {
        NodeInfo gpuNode = NodeInfo.of(Nodes.node("g").resource("example.com/gpu", "2").build());
        NodeInfo plain = NodeInfo.of(Nodes.node("p").build());
        PodInfo pod = Pods.pod("p").request("example.com/gpu", "2").info();
        assertThat(fit.filter(new CycleState(), pod, gpuNode).isSuccess()).isTrue();
        assertThat(fit.filter(new CycleState(), pod, plain).reasons()).containsExactly("Insufficient example.com/gpu");
        gpuNode.addPod(Pods.pod("other").request("example.com/gpu", "1").info());
        assertThat(fit.filter(new CycleState(), pod, gpuNode).reasons()).containsExactly("Insufficient example.com/gpu");
    }

    @Test
    void leastAllocatedPrefersEmptierNodesMostAllocatedFuller() {
        NodeInfo empty = NodeInfo.of(Nodes.node("e").cpu("4").memory("8Gi").build());
        NodeInfo busy = NodeInfo.of(Nodes.node("b").cpu("4").memory("8Gi").build(), Pods.pod("x").cpu("2").memory("4Gi").info());
        PodInfo pod = Pods.pod("p").cpu("1").memory("2Gi").info();
        assertThat(fit.score(null, pod, empty)).isEqualTo(75);
        assertThat(fit.score(null, pod, busy)).isEqualTo(25);
        NodeResourcesFit most = new NodeResourcesFit(ScoringStrategy.mostAllocated());
        assertThat(most.score(null, pod, empty)).isEqualTo(25);
        assertThat(most.score(null, pod, busy)).isEqualTo(75);
    }

    @Test
    void scoringCountsDefaultsForPodsWithoutRequests() {
        NodeInfo node = NodeInfo.of(Nodes.node("n").cpu("1").memory("1000Mi").build());
        // 100m of 1000m and 200Mi of 1000Mi used -> (90 + 80) / 2
        assertThat(fit.score(null, Pods.pod("p").info(), node)).isEqualTo(85);
    }

    @Test
    void balancedAllocationPrefersEvenUsage() {
        NodeResourcesBalancedAllocation ba = new NodeResourcesBalancedAllocation();
        NodeInfo node = NodeInfo.of(Nodes.node("n").cpu("4").memory("8Gi").build());
        assertThat(ba.score(null, Pods.pod("p").cpu("1").memory("4Gi").info(), node)).isEqualTo(87);
        assertThat(ba.score(null, Pods.pod("p").cpu("2").memory("4Gi").info(), node)).isEqualTo(100);
    }
}
