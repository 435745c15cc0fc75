package io.kube4j.controllers.podautoscaler;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controllers.podautoscaler.PodSample.State;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodSamplesTest {
    private final Instant now = Instant.parse("2026-01-01T12:00:00Z");

    private Pod pod(String phase, String ready, Instant started, Instant readySince) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withNewResources().addToRequests("cpu", new Quantity("250m")).endResources().endContainer()
                .endSpec().withNewStatus().withPhase(phase).withStartTime(started == null ? null : started.toString())
                .endStatus();
        if (ready != null) {
            b.editStatus().addNewCondition().withType("Ready").withStatus(ready)
                    .withLastTransitionTime(readySince.toString()).endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void sortsPodsAsUpstreamGroupPods() {
        Instant old = now.minusSeconds(3600);
        assertThat(PodSamples.state(pod("Failed", "False", old, old), "cpu", now)).isEqualTo(State.IGNORED);
        assertThat(PodSamples.state(pod("Pending", null, null, null), "memory", now)).isEqualTo(State.UNREADY);
        assertThat(PodSamples.state(pod("Running", "False", old, old), "memory", now)).isEqualTo(State.READY);
        assertThat(PodSamples.state(pod("Running", null, old, null), "cpu", now)).isEqualTo(State.UNREADY);
        // Within the CPU initialization period only a ready pod counts.
        Instant recent = now.minusSeconds(60);
        assertThat(PodSamples.state(pod("Running", "True", recent, recent), "cpu", now)).isEqualTo(State.READY);
        assertThat(PodSamples.state(pod("Running", "False", recent, recent), "cpu", now)).isEqualTo(State.UNREADY);
        // Later, an unready pod that has never been ready is unready; one that was ready before counts.
        assertThat(PodSamples.state(pod("Running", "False", old, old.plusSeconds(10)), "cpu", now)).isEqualTo(State.UNREADY);
        assertThat(PodSamples.state(pod("Running", "False", old, old.plusSeconds(600)), "cpu", now)).isEqualTo(State.READY);
    }

    @Test
    void sampleCarriesUsageAndRequest() {
        PodSample s = PodSamples.of(pod("Running", "True", now.minusSeconds(60), now.minusSeconds(60)), "cpu", null,
                Map.of("p", 120L), now);
        assertThat(s).isEqualTo(new PodSample("p", State.READY, 120L, 250L));
        PodSample memory = PodSamples.of(pod("Running", "True", now, now), "memory", null, Map.of(), now);
        assertThat(memory.request()).isNull();
        // upstream names the container without the request
        assertThat(memory.unrequestedIn()).isEqualTo("c");
    }

    /** A pod with an app container, a sidecar (restartable init container) and a plain init container. */
    private Pod podWithSidecar() {
        return new PodBuilder(pod("Running", "True", now, now)).editSpec()
                .addNewContainer().withName("app").withNewResources().addToRequests("cpu", new Quantity("100m"))
                .endResources().endContainer()
                .addNewInitContainer().withName("proxy").withRestartPolicy("Always").withNewResources()
                .addToRequests("cpu", new Quantity("50m")).endResources().endInitContainer()
                .addNewInitContainer().withName("setup").endInitContainer()
                .endSpec().build();
    }

    @Test
    void podRequestsCountSidecarsAndAContainerMetricCountsOnlyItsContainer() {
        Pod pod = podWithSidecar();
        // 250m (c) + 100m (app) + 50m (the sidecar); the plain init container, without a request, is not counted
        assertThat(PodSamples.of(pod, "cpu", null, Map.of(), now).request()).isEqualTo(400L);
        assertThat(PodSamples.of(pod, "cpu", "app", Map.of(), now).request()).isEqualTo(100L);
        assertThat(PodSamples.of(pod, "cpu", "proxy", Map.of(), now).request()).isEqualTo(50L);
        PodSample missing = PodSamples.of(pod, "cpu", "setup", Map.of(), now);
        assertThat(missing.request()).isNull();
        assertThat(missing.unrequestedIn()).isEqualTo("setup");
        assertThat(PodSamples.of(pod, "cpu", "absent", Map.of(), now).unrequestedIn()).isEqualTo("absent");
    }
}
