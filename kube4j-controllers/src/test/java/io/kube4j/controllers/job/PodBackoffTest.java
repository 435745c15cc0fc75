package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.TestManagers;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A Job's retry delay without backoffLimitPerIndex, as upstream's backoffRecord. */
@EnableKubernetesMockClient(crud = true)
class PodBackoffTest {
    static KubernetesClient client;
    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    static final Duration BASE = Duration.ofSeconds(10);
    static final Duration MAX = Duration.ofMinutes(6);

    private static Pod finishedAt(Instant t) {
        return new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().addNewContainerStatus()
                .withName("main").withNewState().withNewTerminated().withFinishedAt(Times.format(t)).endTerminated()
                .endState().endContainerStatus().endStatus().build();
    }

    @Test
    void failuresAddUpAndTheDelayDoublesFromTheLastOne() {
        PodBackoff one = PodBackoff.NONE.next(List.of(), List.of(finishedAt(T0)));
        assertThat(one.remaining(BASE, MAX, T0)).isEqualTo(BASE);
        assertThat(one.remaining(BASE, MAX, T0.plusSeconds(4))).isEqualTo(Duration.ofSeconds(6));
        assertThat(one.remaining(BASE, MAX, T0.plusSeconds(11))).isZero();
        PodBackoff three = one.next(List.of(), List.of(finishedAt(T0.plusSeconds(30)), finishedAt(T0.plusSeconds(20))));
        assertThat(three).isEqualTo(new PodBackoff(3, T0.plusSeconds(30)));
        assertThat(three.remaining(BASE, MAX, T0.plusSeconds(30))).isEqualTo(Duration.ofSeconds(40));
        assertThat(new PodBackoff(9, T0).remaining(BASE, MAX, T0)).isEqualTo(MAX);
        assertThat(three.next(List.of(), List.of())).isSameAs(three);
    }

    @Test
    void aSuccessResetsTheCountToTheFailuresAfterIt() {
        PodBackoff two = new PodBackoff(2, T0);
        assertThat(two.next(List.of(finishedAt(T0.plusSeconds(5))), List.of())).isEqualTo(PodBackoff.NONE);
        assertThat(two.next(List.of(finishedAt(T0.plusSeconds(5))),
                List.of(finishedAt(T0.plusSeconds(3)), finishedAt(T0.plusSeconds(8))))).isEqualTo(new PodBackoff(1, T0.plusSeconds(8)));
        assertThat(PodBackoff.NONE.remaining(BASE, MAX, T0)).isZero();
    }

    /**
     * The pass that notes a failure does not re-create the pod at once: it waits the first delay (here an hour).
     * Before, the delay was counted only from failures already counted, so the first retry was immediate.
     */
    @Test
    void theFirstFailureIsNotRetriedBeforeTheDelay() throws Exception {
        try (ControllerManager manager = TestManagers.start(client,
                new ControllerManagerOptions().jobBackoffBase(Duration.ofHours(1)), "job")) {
            client.batch().v1().jobs().inNamespace("ns").resource(JobControllerTest.job("slow-retry").build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> pods("slow-retry").size() == 1);
            Pod p = pods("slow-retry").get(0);
            client.pods().inNamespace("ns").resource(new PodBuilder(p).withNewStatus().withPhase("Failed")
                    .addNewContainerStatus().withName("main").withNewState().withNewTerminated().withExitCode(1)
                    .withFinishedAt(Times.format(Instant.now())).endTerminated().endState().endContainerStatus()
                    .endStatus().build()).updateStatus();
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                    .until(() -> get("slow-retry").getStatus().getFailed() == 1);
            // the replacement would have been created in the pass that counted the failure, before its status write
            assertThat(pods("slow-retry")).hasSize(1);
            assertThat(pods("slow-retry").stream().filter(Pods::isActive)).isEmpty();
        }
    }

    private static List<Pod> pods(String job) {
        return client.pods().inNamespace("ns").withLabel("job", job).list().getItems();
    }

    private static Job get(String name) {
        return client.batch().v1().jobs().inNamespace("ns").withName(name).get();
    }
}
