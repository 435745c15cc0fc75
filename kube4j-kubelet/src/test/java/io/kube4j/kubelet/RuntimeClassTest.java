package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet runs a pod's sandbox under the handler of the pod's RuntimeClass, and never under the default one when
 * the class is gone or the runtime refuses its handler (upstream's createPodSandbox). The kubelet starts after the
 * objects are in place, so a pod whose class was deleted reaches it without ever having run.
 */
class RuntimeClassTest {
    ControlPlane controlPlane;
    KubernetesClient client;
    @TempDir
    Path dir;
    FakeRuntime runtime;
    Kubelet kubelet;

    @BeforeEach
    void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        runtime = new FakeRuntime();
        controlPlane = ControlPlane.start(dir);
        client = controlPlane.client;
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        runtime.close();
        controlPlane.close();
    }

    private void startKubelet() {
        kubelet = Kubelet.start(client, ControlPlane.fastNode("node-a", dir).withSyncFrequency(Duration.ofMillis(500)),
                runtime.channel());
    }

    private void runtimeClass(String name, String handler) {
        client.resource(new RuntimeClassBuilder().withNewMetadata().withName(name).endMetadata().withHandler(handler).build())
                .create();
    }

    private void pod(String name, String runtimeClassName) {
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-a").withRuntimeClassName(runtimeClassName).addNewContainer().withName("app")
                .withImage("busybox").withImagePullPolicy("IfNotPresent").endContainer().endSpec().build()).create();
    }

    private Pod get(String name) {
        return client.pods().inNamespace("ns").withName(name).get();
    }

    private List<String> messages(String pod, String reason) {
        return client.v1().events().inNamespace("ns").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).toList();
    }

    /** Pending, its container waiting in ContainerCreating, and nothing in the runtime. */
    private void assertNotStarted(String name) {
        Pod p = get(name);
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(p.getStatus().getContainerStatuses()).singleElement()
                .satisfies(s -> assertThat(s.getState().getWaiting().getReason()).isEqualTo("ContainerCreating"));
        assertThat(runtime.sandboxes).isEmpty();
        assertThat(runtime.containers).isEmpty();
    }

    @Test
    void theHandlerOfThePodsRuntimeClassReachesTheRuntime() {
        runtimeClass("native", "runc");
        pod("classed", "native");
        pod("plain", null);
        startKubelet();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(get("classed").getStatus().getPhase()).isEqualTo("Running");
            assertThat(get("plain").getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(runtime.sandboxes.values()).hasSize(2).allSatisfy(s -> {
            String expected = s.getMetadata().getName().equals("classed") ? "runc" : "";
            assertThat(runtime.sandboxHandlers.get(s.getId())).isEqualTo(expected);
        });
        assertThat(messages("classed", "FailedCreatePodSandBox")).isEmpty();
    }

    /** The admission plugin refuses such a pod, but the class can go after the pod was admitted. */
    @Test
    void aDeletedRuntimeClassFailsTheSandboxUntilTheClassIsBack() {
        runtimeClass("sandboxed", "runc");
        pod("orphan", "sandboxed");
        client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class).withName("sandboxed").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(io.fabric8.kubernetes.api.model.node.v1.RuntimeClass.class)
                .withName("sandboxed").get() == null);
        startKubelet();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages("orphan", "FailedCreatePodSandBox"))
                .containsExactly("Failed to create pod sandbox: runtimeclass.node.k8s.io \"sandboxed\" not found"));
        assertNotStarted("orphan");
        assertThat(client.v1().events().inNamespace("ns").list().getItems()).filteredOn(e -> "orphan".equals(e.getInvolvedObject().getName())
                && "FailedCreatePodSandBox".equals(e.getReason())).singleElement().satisfies(e -> assertThat(e.getType()).isEqualTo("Warning"));
        assertThat(runtime.calls).doesNotContain("RunPodSandbox");

        // retried: once the class exists again, the pod starts under its handler
        runtimeClass("sandboxed", "runc");
        await().atMost(Duration.ofSeconds(40)).untilAsserted(() -> assertThat(get("orphan").getStatus().getPhase()).isEqualTo("Running"));
        assertThat(runtime.sandboxHandlers.values()).containsExactly("runc");
    }

    @Test
    void aHandlerTheRuntimeRefusesIsAFailedSandboxNotTheDefaultRuntime() {
        runtimeClass("kata", "kata");
        pod("isolated", "kata");
        startKubelet();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages("isolated", "FailedCreatePodSandBox"))
                .containsExactly("Failed to create pod sandbox: rpc error: code = InvalidArgument desc = unknown runtime handler "
                        + "\"kata\" (only runc is available)"));
        assertNotStarted("isolated");
        assertThat(runtime.calls).contains("RunPodSandbox").noneMatch(c -> c.startsWith("CreateContainer"));
    }
}
