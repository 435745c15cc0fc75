package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.cri.v1.ContainerMetadata;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.PodSandbox;
import io.kube4j.cri.v1.PodSandboxState;
import io.kube4j.kubelet.kuberuntime.RuntimeContainer;
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

    private static PodStatus generate(Pod pod, PodRuntimeState rt, Instant now, PodStatus reported) {
        return PodStatusGenerator.generate(new StatusInput(pod, rt, Map.of(), ContainerHealth.ALWAYS, "192.168.0.1", "fake",
                now, null, Map.of(), reported));
    }

    private static PodSandbox readySandbox() {
        return PodSandbox.newBuilder().setId("sb").setState(PodSandboxState.SANDBOX_READY).setCreatedAt(1).build();
    }

    private static RuntimeContainer container(String name, ContainerState state, int exitCode) {
        return RuntimeContainer.of("sb", io.kube4j.cri.v1.ContainerStatus.newBuilder().setId("id-" + name)
                .setMetadata(ContainerMetadata.newBuilder().setName(name)).setState(state).setExitCode(exitCode)
                .setCreatedAt(1).setStartedAt(1_000_000_000L).setFinishedAt(state == ContainerState.CONTAINER_EXITED ? 2_000_000_000L : 0)
                .build());
    }

    private static String waitingReason(ContainerStatus status) {
        return status.getState().getWaiting() == null ? null : status.getState().getWaiting().getReason();
    }

    /** What kubectl prints as ContainerCreating, Init:0/1 and PodInitializing: upstream's default waiting reasons. */
    @Test
    void containersWaitInContainerCreatingOrWithInitContainersInPodInitializing() {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        Pod plain = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        PodStatus creating = generate(plain, PodRuntimeState.EMPTY, now, null);
        assertThat(creating.getPhase()).isEqualTo("Pending");
        assertThat(waitingReason(creating.getContainerStatuses().get(0))).isEqualTo("ContainerCreating");

        Pod withInit = new PodBuilder(plain).editSpec().addNewInitContainer().withName("init").withImage("busybox")
                .endInitContainer().endSpec().build();
        PodStatus initializing = generate(withInit, PodRuntimeState.EMPTY, now, null);
        assertThat(waitingReason(initializing.getInitContainerStatuses().get(0))).isEqualTo("PodInitializing");
        assertThat(waitingReason(initializing.getContainerStatuses().get(0))).isEqualTo("PodInitializing");

        // the init container done, the app container not started yet: still PodInitializing, as upstream
        PodRuntimeState initDone = new PodRuntimeState(List.of(readySandbox()),
                List.of(container("init", ContainerState.CONTAINER_EXITED, 0)), "10.0.0.5", List.of("10.0.0.5"));
        PodStatus afterInit = generate(withInit, initDone, now, null);
        assertThat(afterInit.getInitContainerStatuses().get(0).getState().getTerminated().getReason()).isEqualTo("Completed");
        assertThat(waitingReason(afterInit.getContainerStatuses().get(0))).isEqualTo("PodInitializing");
        assertThat(afterInit.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Initialized");
            assertThat(c.getStatus()).isEqualTo("True");
        });
    }

    /**
     * A sync can run on a pod the watch has not yet brought back with our own last write: the status computed then must
     * be the one already sent (same start and transition times), not a new one that only moves timestamps - which
     * kubectl get -w prints as a second, identical row.
     */
    @Test
    void aStalePodKeepsTheTimesOfTheStatusThisKubeletLastSent() {
        Instant first = Instant.parse("2025-01-01T00:00:00Z");
        Pod stale = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec()
                .withNewStatus().withPhase("Pending").endStatus().build();
        PodRuntimeState running = new PodRuntimeState(List.of(readySandbox()),
                List.of(container("app", ContainerState.CONTAINER_RUNNING, 0)), "10.0.0.5", List.of("10.0.0.5"));
        PodStatus sent = generate(stale, running, first, null);
        assertThat(sent.getPhase()).isEqualTo("Running");

        PodStatus again = generate(stale, running, first.plusSeconds(3), sent);
        assertThat(again).isEqualTo(sent);
        assertThat(again.getStartTime()).isEqualTo("2025-01-01T00:00:00Z");

        // a change still gets the time of the change
        PodRuntimeState exited = new PodRuntimeState(List.of(readySandbox()),
                List.of(container("app", ContainerState.CONTAINER_EXITED, 1)), "10.0.0.5", List.of("10.0.0.5"));
        PodStatus changed = generate(stale, exited, first.plusSeconds(5), sent);
        assertThat(changed.getStartTime()).isEqualTo("2025-01-01T00:00:00Z");
        assertThat(changed.getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("False");
            assertThat(c.getLastTransitionTime()).isEqualTo("2025-01-01T00:00:05Z");
        });
    }

    /**
     * Upstream's convertToAPIContainerStatuses: a container the runtime has is reported with the image the runtime
     * names (containerd's normalised tag) and its digested reference as imageID; one it has not yet, with the spec's.
     */
    @Test
    void aContainersImageAndImageIdAreTheRuntimes() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer()
                .addNewContainer().withName("later").withImage("busybox").endContainer().endSpec().build();
        String digested = "docker.io/library/busybox@sha256:" + "ab".repeat(32);
        RuntimeContainer app = RuntimeContainer.of("sb", io.kube4j.cri.v1.ContainerStatus.newBuilder().setId("id-app")
                .setMetadata(ContainerMetadata.newBuilder().setName("app")).setState(ContainerState.CONTAINER_RUNNING)
                .setCreatedAt(1).setStartedAt(1_000_000_000L)
                .setImage(io.kube4j.cri.v1.ImageSpec.newBuilder().setImage("docker.io/library/busybox:latest"))
                .setImageRef(digested).setImageId("sha256:" + "cd".repeat(32)).build());
        PodStatus status = generate(pod, new PodRuntimeState(List.of(readySandbox()), List.of(app), "10.0.0.5",
                List.of("10.0.0.5")), Instant.parse("2025-01-01T00:00:00Z"), null);

        assertThat(status.getContainerStatuses()).satisfiesExactly(
                running -> {
                    assertThat(running.getImage()).isEqualTo("docker.io/library/busybox:latest");
                    assertThat(running.getImageID()).isEqualTo(digested);
                },
                waiting -> {
                    assertThat(waiting.getImage()).isEqualTo("busybox");
                    assertThat(waiting.getImageID()).isEmpty();
                });
    }

    @Test
    void aPodWithoutSandboxIsPendingWithWaitingContainersAndUnreadyConditions() {
        Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox").endContainer().endSpec().build();
        var status = PodStatusGenerator.generate(new StatusInput(pod, PodRuntimeState.EMPTY,
                Map.of("app", new Waiting("ErrImagePull", "no such image")), ContainerHealth.ALWAYS, "192.168.0.1", "fake",
                Instant.parse("2025-01-01T00:00:00Z"), null, Map.of(), null));
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
