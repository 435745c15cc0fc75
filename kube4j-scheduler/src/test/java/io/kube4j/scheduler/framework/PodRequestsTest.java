package io.kube4j.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A pod's requests in the scheduler's units, from upstream's PodRequests. */
class PodRequestsTest {

    private static Pod pod(Map<String, Quantity> first, Map<String, Quantity> second) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata().withNewSpec()
                .addNewContainer().withName("a").withNewResources().withRequests(first).endResources().endContainer()
                .addNewContainer().withName("b").withNewResources().withRequests(second).endResources().endContainer()
                .endSpec().build();
    }

    @Test
    void theExactTotalIsRoundedUpOnceNotEachContainer() {
        Map<String, Quantity> tiny = Map.of("cpu", new Quantity("500u"), "memory", new Quantity("1500m"));

        Resource requests = PodRequests.of(pod(tiny, tiny));

        // upstream rounds the pod's total: 1000u is 1m, 3000m is 3 bytes
        assertThat(requests.milliCpu).isEqualTo(1);
        assertThat(requests.memory).isEqualTo(3);
    }

    @Test
    void spreadingDefaultsFillOnlyRequestsAContainerDoesNotSet() {
        Pod pod = pod(Map.of("cpu", new Quantity("0")), Map.of());

        Resource nonZero = PodRequests.nonZero(pod);

        // an explicit 0 is kept; each missing request counts 100m cpu and 200Mi memory
        assertThat(nonZero.milliCpu).isEqualTo(PodRequests.DEFAULT_MILLI_CPU);
        assertThat(nonZero.memory).isEqualTo(2 * PodRequests.DEFAULT_MEMORY);
        assertThat(PodRequests.of(pod).isZero()).isTrue();
    }
}
