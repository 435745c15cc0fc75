package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kubelet's Pulled events against a fake runtime whose ImageStatus reports a size. */
class ImagePullEventsTest {
    @RegisterExtension
    final KubeletHarness harness = KubeletHarness.create().withNamespace("ns").withRuntime(r -> r.imageSize = 4_194_304)
            .startingKubelet(o -> o.withSyncFrequency(Duration.ofMillis(500)));
    KubernetesClient client;
    FakeRuntime runtime;

    @BeforeEach
    void start() {
        client = harness.client;
        runtime = harness.runtime;
    }

    private List<String> messages(String pod, String reason) {
        return client.v1().events().inNamespace("ns").list().getItems().stream()
                .filter(e -> pod.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason()))
                .map(Event::getMessage).toList();
    }

    @Test
    void aPulledImageReportsItsDurationsAndSizeAndAPresentOneIsNotPulled() {
        // :latest means imagePullPolicy Always: pulled although present
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("pulled").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("busybox:latest")
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages("pulled", "Pulled")).isNotEmpty());
        assertThat(messages("pulled", "Pulled").get(0)).matches("Successfully pulled image \"busybox:latest\" in "
                + "(0s|\\d+(\\.\\d+)?m?s) \\((0s|\\d+(\\.\\d+)?m?s) including waiting\\)\\. Image size: 4194304 bytes\\.");
        assertThat(messages("pulled", "Pulling")).containsExactly("Pulling image \"busybox:latest\"");

        // IfNotPresent with the image on the node: no pull, upstream's "already present" instead
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("present").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("busybox")
                .withImagePullPolicy("IfNotPresent").endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(messages("present", "Pulled"))
                .containsExactly("Container image \"busybox\" already present on machine"));
        assertThat(messages("present", "Pulling")).isEmpty();
        assertThat(runtime.calls).doesNotContain("PullImage busybox");
    }

    /**
     * imagePullPolicy Always asks the runtime on every start, so an unreachable registry stops the container although
     * the image is on the node (upstream's image manager); IfNotPresent starts from the node's copy without a pull.
     */
    @Test
    void alwaysWithTheRegistryUnreachableIsErrImagePullEvenWithTheImagePresent() {
        runtime.registryUnreachable = true;
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("always").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("busybox")
                .withImagePullPolicy("Always").endContainer().endSpec().build()).create();
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("local").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("busybox")
                .withImagePullPolicy("IfNotPresent").endContainer().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(messages("always", "Failed")).contains("Error: ErrImagePull", "Error: ImagePullBackOff")
                    .anyMatch(m -> m.startsWith("Failed to pull image \"busybox\": ") && m.contains("no such host"));
            assertThat(client.pods().inNamespace("ns").withName("always").get().getStatus().getContainerStatuses())
                    .singleElement().satisfies(s -> {
                        assertThat(s.getState().getWaiting().getReason()).isIn("ErrImagePull", "ImagePullBackOff");
                        assertThat(s.getState().getRunning()).isNull();
                    });
            assertThat(client.pods().inNamespace("ns").withName("local").get().getStatus().getPhase()).isEqualTo("Running");
        });
        assertThat(messages("always", "Pulling")).contains("Pulling image \"busybox\"");
        assertThat(messages("local", "Pulling")).isEmpty();
        // the one container created is the IfNotPresent pod's
        assertThat(runtime.containers).hasSize(1);
    }

    /** Upstream's events for an image that cannot be pulled, which `kubectl describe pod` shows. */
    @Test
    void aFailedPullSaysErrImagePullThenImagePullBackOff() {
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("nopull").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("app").withImage("missing/image:1")
                .endContainer().endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(messages("nopull", "Failed")).contains("Error: ErrImagePull", "Error: ImagePullBackOff")
                    .anyMatch(m -> m.startsWith("Failed to pull image \"missing/image:1\": "));
            assertThat(messages("nopull", "BackOff")).contains("Back-off pulling image \"missing/image:1\"");
        });
    }
}
