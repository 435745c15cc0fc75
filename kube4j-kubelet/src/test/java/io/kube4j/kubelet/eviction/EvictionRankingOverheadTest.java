package io.kube4j.kubelet.eviction;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Eviction counts a pod's memory overhead in its request, as upstream's GetResourceRequestQuantity. */
class EvictionRankingOverheadTest {
    private static final long MI = 1024L * 1024;

    private static Pod pod(String uid, String memoryRequest) {
        return pod(uid, memoryRequest, Map.of("memory", new Quantity("100Mi")));
    }

    private static Pod pod(String uid, String memoryRequest, Map<String, Quantity> overhead) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(uid).withUid(uid).endMetadata().withNewSpec()
                .withOverhead(overhead).addNewContainer().withName("app")
                .withNewResources().endResources().endContainer().endSpec();
        Pod pod = b.build();
        if (memoryRequest != null) {
            pod.getSpec().getContainers().get(0).getResources().setRequests(Map.of("memory", new Quantity(memoryRequest)));
        }
        return pod;
    }

    @Test
    void theOverheadIsPartOfASetMemoryRequestOnly() {
        assertThat(EvictionRanking.requests(pod("a", "200Mi"), "memory")).isEqualTo(300 * MI);
        assertThat(EvictionRanking.requests(pod("b", null), "memory")).isZero();
    }

    /** Without the overhead "within" would be the pod furthest over its request, and go first. */
    @Test
    void aPodUsingLessThanItsRequestPlusItsOverheadDoesNotExceedItsRequest() {
        Pod withinOverhead = pod("within", "200Mi");
        Pod over = pod("over", "200Mi", null);
        Map<String, PodUsage> usage = Map.of(
                "within", new PodUsage(Map.of("app", 290 * MI), Map.of()),
                "over", new PodUsage(Map.of("app", 260 * MI), Map.of()));

        assertThat(java.util.stream.Stream.of(withinOverhead, over).sorted(EvictionRanking.forSignal(Signal.MEMORY_AVAILABLE, usage))
                .map(p -> p.getMetadata().getUid()).toList()).containsExactly("over", "within");
    }
}
