package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.cri.v1.ContainerConfig;
import io.kube4j.cri.v1.ContainerState;
import io.kube4j.cri.v1.NamespaceMode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Ephemeral containers on the kubelet, against a fake CRI runtime and the real API server: added through
 * {@code pods/ephemeralcontainers} (fabric8's client), started in the running pod's sandbox in the target's PID
 * namespace, reported in status.ephemeralContainerStatuses, never restarted, stopped with the pod.
 */
class KubeletEphemeralContainersTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create().withNamespace("ns")
            .startingKubelet(o -> o.withSyncFrequency(Duration.ofMillis(500)));
    KubernetesClient client;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        client = harness.client;
        runtime = harness.runtime;
    }

    private void runPod(String name) {
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .endMetadata().withNewSpec().withNodeName("node-a").withTerminationGracePeriodSeconds(3L)
                .addNewInitContainer().withName("setup").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand("exit", "0").endInitContainer()
                .addNewContainer().withName("main").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(name).getStatus().getPhase()).isEqualTo("Running"));
    }

    private void debug(String pod, String container, String target) {
        // as kubectl debug --profile=general makes it
        client.pods().inNamespace("ns").withName(pod).ephemeralContainers().edit(p -> new PodBuilder(p).editSpec()
                .addNewEphemeralContainer().withName(container).withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withTargetContainerName(target).withStdin(true).withTty(true)
                .withNewSecurityContext().withNewCapabilities().withAdd("SYS_PTRACE").endCapabilities().endSecurityContext()
                .endEphemeralContainer().endSpec().build());
    }

    /** The fieldPath of the kubelet's events with this reason about the pod's container of this name. */
    private java.util.List<String> eventFieldPaths(String pod, String reason, String container) {
        return client.v1().events().inNamespace("ns").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
                        && e.getMessage().endsWith(" " + container))
                .map(e -> e.getInvolvedObject().getFieldPath()).toList();
    }

    private Pod get(String name) {
        return client.pods().inNamespace("ns").withName(name).get();
    }

    private static ContainerStatus ephemeralStatus(Pod pod, String name) {
        return pod.getStatus().getEphemeralContainerStatuses().stream().filter(s -> s.getName().equals(name))
                .findFirst().orElseThrow();
    }

    private String idOf(String name) {
        return runtime.containersNamed(name).get(0).getId();
    }

    private ContainerConfig configOf(String name) {
        return runtime.configs.get(idOf(name));
    }

    @Test
    void aDebugContainerJoinsTheTargetsPidNamespaceAndIsNeverRestarted() {
        runPod("target");
        debug("target", "debugger", "main");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            ContainerStatus status = ephemeralStatus(get("target"), "debugger");
            assertThat(status.getState().getRunning()).isNotNull();
            assertThat(status.getReady()).isFalse();
            assertThat(status.getStarted()).isNull();
            assertThat(status.getContainerID()).isEqualTo("fake://" + idOf("debugger"));
        });
        ContainerConfig config = configOf("debugger");
        var namespaces = config.getLinux().getSecurityContext().getNamespaceOptions();
        assertThat(namespaces.getPid()).isEqualTo(NamespaceMode.TARGET);
        assertThat(namespaces.getTargetId()).isEqualTo(idOf("main"));
        assertThat(namespaces.getNetwork()).isEqualTo(NamespaceMode.POD);
        assertThat(namespaces.getIpc()).isEqualTo(NamespaceMode.POD);
        assertThat(config.getStdin()).isTrue();
        assertThat(config.getTty()).isTrue();
        assertThat(runtime.containerSandbox.get(idOf("debugger"))).isEqualTo(runtime.containerSandbox.get(idOf("main")));
        assertThat(config.getLinux().getSecurityContext().getCapabilities().getAddCapabilitiesList()).containsExactly("SYS_PTRACE");
        // upstream's event references: by the list the container is in
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(eventFieldPaths("target", "Started", "debugger")).containsExactly("spec.ephemeralContainers{debugger}");
            assertThat(eventFieldPaths("target", "Started", "setup")).containsExactly("spec.initContainers{setup}");
            assertThat(eventFieldPaths("target", "Started", "main")).containsExactly("spec.containers{main}");
        });
        // it does not count towards the pod's readiness or its container statuses
        Pod pod = get("target");
        assertThat(pod.getStatus().getContainerStatuses()).extracting("name").containsExactly("main");
        assertThat(pod.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Ready")
                && c.getStatus().equals("True"));

        // exited, it stays exited although the pod's restartPolicy is Always
        runtime.exit(idOf("debugger"), 0);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(ephemeralStatus(get("target"),
                "debugger").getState().getTerminated().getReason()).isEqualTo("Completed"));
        // a second debugger started proves the pod synced since; the first was not started again
        debug("target", "debugger2", null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ephemeralStatus(get("target"), "debugger2").getState().getRunning()).isNotNull());
        assertThat(runtime.containersNamed("debugger")).hasSize(1);
        assertThat(ephemeralStatus(get("target"), "debugger").getState().getTerminated()).isNotNull();
        assertThat(get("target").getStatus().getPhase()).isEqualTo("Running");
    }

    @Test
    void aTargetThatIsNotRunningIsAConfigErrorUntilItIs() {
        runPod("waits");
        debug("waits", "debugger", "setup");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var waiting = ephemeralStatus(get("waits"), "debugger").getState().getWaiting();
            assertThat(waiting.getReason()).isEqualTo("CreateContainerConfigError");
            assertThat(waiting.getMessage()).isEqualTo("unable to find target container setup");
        });
        assertThat(runtime.containersNamed("debugger")).isEmpty();
    }

    @Test
    void deletingThePodStopsItsDebugContainerToo() {
        runPod("gone");
        debug("gone", "debugger", null);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(ephemeralStatus(get("gone"), "debugger").getState().getRunning()).isNotNull());
        // no target: the container's own PID namespace, as the pod's other containers
        assertThat(configOf("debugger").getLinux().getSecurityContext().getNamespaceOptions().getPid())
                .isNotEqualTo(NamespaceMode.TARGET);
        String debugger = idOf("debugger");
        client.pods().inNamespace("ns").withName("gone").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            var c = runtime.containers.get(debugger);
            assertThat(c == null || c.getState() == ContainerState.CONTAINER_EXITED).isTrue();
            assertThat(get("gone")).isNull();
        });
    }
}
