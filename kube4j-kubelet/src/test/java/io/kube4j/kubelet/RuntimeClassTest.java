package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.kubelet.env.ApiObjectSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet runs a pod's sandbox under the handler of the pod's RuntimeClass, and never under the default one when
 * the class is gone or the runtime refuses its handler (upstream's createPodSandbox). The kubelet starts after the
 * objects are in place, so a pod whose class was deleted reaches it without ever having run. Classes come from an
 * informer, with a GET only for one it has not seen.
 */
class RuntimeClassTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create().withNamespace("ns");
    KubernetesClient client;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        client = harness.client;
        runtime = harness.runtime;
    }

    private void startKubelet() {
        harness.startKubelet(harness.fastNode("node-a").withSyncFrequency(Duration.ofMillis(500)));
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
        client.resources(RuntimeClass.class).withName("sandboxed").delete();
        await().atMost(Duration.ofSeconds(10)).until(() -> client.resources(RuntimeClass.class)
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

    private static final String CLASSES = "/apis/node.k8s.io/v1/runtimeclasses";

    /** The kubelet's RuntimeClass informer has listed and is watching: its cache holds what existed before. */
    private void awaitRuntimeClassWatch() {
        await().atMost(Duration.ofSeconds(20)).until(() -> harness.requests().stream()
                .anyMatch(r -> r.startsWith("GET " + CLASSES + "?") && r.contains("watch=true")));
    }

    private long gets(String runtimeClass) {
        return harness.requests().stream().filter(r -> r.equals("GET " + CLASSES + "/" + runtimeClass)).count();
    }

    /** Upstream's runtimeclass manager reads classes from an informer: pods of one class cost no GET each. */
    @Test
    void podsOfOneClassAreStartedFromTheInformersCacheNotAGetEach() {
        runtimeClass("native", "runc");
        startKubelet();
        awaitRuntimeClassWatch();

        for (int i = 0; i < 8; i++) {
            pod("p" + i, "native");
        }

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(runtime.sandboxHandlers.values())
                .hasSize(8).containsOnly("runc"));
        assertThat(gets("native")).isZero();
    }

    /** A class created just before its pod is found, from the cache or, if the watch has not brought it yet, a GET. */
    @Test
    void aClassCreatedJustBeforeItsPodIsFound() {
        startKubelet();
        awaitRuntimeClassWatch();

        runtimeClass("fresh", "runc");
        pod("new", "fresh");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(get("new").getStatus().getPhase())
                .isEqualTo("Running"));
        assertThat(runtime.sandboxHandlers.values()).containsExactly("runc");
        assertThat(messages("new", "FailedCreatePodSandBox")).isEmpty();
    }

    /** The miss path on its own: an informer that has not listed yet answers nothing, and the API is asked. */
    @Test
    void aClassTheInformerHasNotSeenIsReadWithAGetAndASeenOneIsNot() throws Exception {
        runtimeClass("seen", "runc");
        try (SharedIndexInformer<RuntimeClass> informer = client.runtimeClasses().runnableInformer(0)) {
            ApiObjectSource objects = new ApiObjectSource(client, null, informer);
            runtimeClass("unseen", "crun");

            assertThat(objects.runtimeClass("unseen").getHandler()).isEqualTo("crun");
            assertThat(gets("unseen")).isEqualTo(1);

            informer.start().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
            assertThat(objects.runtimeClass("seen").getHandler()).isEqualTo("runc");
            assertThat(gets("seen")).isZero();
            assertThat(objects.runtimeClass("missing")).isNull();
            assertThat(gets("missing")).isEqualTo(1);
        }
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
