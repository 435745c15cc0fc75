package io.kube4j.kubelet.e2e;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Deleted pods leave nothing in the runtime, and a long grace period of one pod holds up no other pod. */
class PodDeletionTest {
    private static final String NODE = "deletion-node";
    static RealStack stack;

    @BeforeAll
    static void start() throws Exception {
        org.awaitility.Awaitility.ignoreExceptionsByDefault();
        stack = RealStack.start(NODE, o -> o);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static Pod create(String name, String restartPolicy, long grace, String... cmd) {
        return stack.client.pods().inNamespace("default").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName(NODE).withRestartPolicy(restartPolicy).withTerminationGracePeriodSeconds(grace)
                .addNewContainer().withName("app").withImage("busybox").withImagePullPolicy("IfNotPresent")
                .withCommand(cmd).endContainer().endSpec().build()).create();
    }

    private static Pod get(String name) {
        return stack.client.pods().inNamespace("default").withName(name).get();
    }

    private static void awaitPhase(String name, String phase) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(get(name).getStatus().getPhase()).isEqualTo(phase));
    }

    private static void awaitGoneEverywhere(Pod pod) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(get(pod.getMetadata().getName())).isNull();
            assertThat(stack.containersOf(pod.getMetadata().getUid())).isEmpty();
            assertThat(stack.sandboxesOf(pod.getMetadata().getUid())).isEmpty();
        });
    }

    @Test
    void aDeletedPodIsRemovedFromTheRuntimeWhileOtherPodsWaitOutLongGracePeriods() {
        // sleep as PID 1 ignores SIGTERM: each of these pods takes its whole grace period to stop; there are more of
        // them than the kubelet has sync threads
        List<Pod> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            slow.add(create("slow-" + i, "Always", 300, "sleep", "3600"));
        }
        Pod quick = create("quick", "Always", 1, "sleep", "3600");
        slow.forEach(p -> awaitPhase(p.getMetadata().getName(), "Running"));
        awaitPhase("quick", "Running");

        slow.forEach(p -> stack.client.pods().inNamespace("default").withName(p.getMetadata().getName()).delete());
        stack.client.pods().inNamespace("default").withName("quick").delete();
        awaitGoneEverywhere(quick);
        assertThat(slow).allSatisfy(p -> assertThat(get(p.getMetadata().getName()).getMetadata().getDeletionTimestamp()).isNotNull());

        // a second delete with a shorter grace period cuts the running stop short
        slow.forEach(p -> stack.client.pods().inNamespace("default").withName(p.getMetadata().getName()).withGracePeriod(1).delete());
        slow.forEach(PodDeletionTest::awaitGoneEverywhere);
    }

    @Test
    void terminatedPodsAreRemovedFromTheRuntimeOnDeletion() {
        Pod done = create("done", "Never", 30, "true");
        Pod failed = create("failed", "Never", 30, "sh", "-c", "exit 3");
        Pod crashing = create("crashing", "Always", 30, "sh", "-c", "exit 1");
        awaitPhase("done", "Succeeded");
        awaitPhase("failed", "Failed");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(get("crashing").getStatus().getContainerStatuses().get(0).getRestartCount()).isPositive());
        for (Pod p : List.of(done, failed, crashing)) {
            stack.client.pods().inNamespace("default").withName(p.getMetadata().getName()).delete();
        }
        for (Pod p : List.of(done, failed, crashing)) {
            awaitGoneEverywhere(p);
        }
    }
}
