package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class PodStatusGeneratorTest {
    private static ContainerStatus running() {
        return new ContainerStatusBuilder().withState(new ContainerStateBuilder().withNewRunning().endRunning().build()).build();
    }

    private static ContainerStatus exited(int code) {
        return new ContainerStatusBuilder().withState(new ContainerStateBuilder().withNewTerminated().withExitCode(code).endTerminated().build()).build();
    }

    @Test
    void phaseFollowsUpstreamGetPhase() {
        Pod pod = new PodBuilder().withNewSpec().endSpec().build();
        assertThat(PodStatusGenerator.phase(pod, false, false, List.of(), "Always")).isEqualTo("Pending");
        assertThat(PodStatusGenerator.phase(pod, true, false, List.of(running(), exited(0)), "Never")).isEqualTo("Running");
        assertThat(PodStatusGenerator.phase(pod, true, false, List.of(exited(0), exited(0)), "Never")).isEqualTo("Succeeded");
        assertThat(PodStatusGenerator.phase(pod, true, false, List.of(exited(0), exited(1)), "Never")).isEqualTo("Failed");
        assertThat(PodStatusGenerator.phase(pod, true, false, List.of(exited(1)), "OnFailure")).isEqualTo("Running");
        assertThat(PodStatusGenerator.phase(pod, true, false, List.of(exited(0)), "Always")).isEqualTo("Running");
        assertThat(PodStatusGenerator.phase(pod, true, true, List.of(), "Never")).isEqualTo("Failed");
    }

    @Test
    void aPodWithoutSandboxIsPendingWithWaitingContainersAndUnreadyConditions() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        var status = PodStatusGenerator.generate(new StatusInput(pod, PodRuntimeState.EMPTY,
                Map.of("app", new Waiting("ErrImagePull", "no such image")), ContainerHealth.ALWAYS, "192.168.0.1", "fake",
                Instant.parse("2025-01-01T00:00:00Z"), null, Map.of()));
        assertThat(status.getPhase()).isEqualTo("Pending");
        assertThat(status.getHostIP()).isEqualTo("192.168.0.1");
        assertThat(status.getQosClass()).isEqualTo("BestEffort");
        assertThat(status.getContainerStatuses().get(0).getState().getWaiting().getReason()).isEqualTo("ErrImagePull");
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getMessage()).isEqualTo("containers with unready status: [app]");
        });
        assertThat(status.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("PodReadyToStartContainers");
            assertThat(c.getStatus()).isEqualTo("False");
        });
    }
}
