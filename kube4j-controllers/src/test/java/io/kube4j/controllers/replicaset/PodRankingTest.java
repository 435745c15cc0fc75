package io.kube4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PodRankingTest {
    static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");

    static Pod pod(String name, String node, String phase, boolean ready, String created, String readySince) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withUid("uid-" + name).withNamespace("ns")
                .withCreationTimestamp(created).endMetadata()
                .withNewSpec().withNodeName(node).endSpec()
                .withNewStatus().withPhase(phase).endStatus();
        if (ready) {
            b.editStatus().addNewCondition().withType("Ready").withStatus("True").withLastTransitionTime(readySince)
                    .endCondition().endStatus();
        }
        return b.build();
    }

    @Test
    void unassignedThenPendingThenNotReadyThenNewest() {
        Pod unassigned = pod("unassigned", null, "Pending", false, "2025-01-01T11:00:00Z", null);
        Pod pending = pod("pending", "n1", "Pending", false, "2025-01-01T11:00:00Z", null);
        Pod notReady = pod("notready", "n1", "Running", false, "2025-01-01T11:00:00Z", null);
        Pod oldReady = pod("old", "n2", "Running", true, "2025-01-01T00:00:00Z", "2025-01-01T00:00:10Z");
        Pod newReady = pod("new", "n3", "Running", true, "2025-01-01T11:59:00Z", "2025-01-01T11:59:30Z");
        List<Pod> all = List.of(oldReady, newReady, notReady, pending, unassigned);
        assertThat(PodRanking.podsToDelete(all, all, 4, NOW)).extracting(p -> p.getMetadata().getName())
                .containsExactly("unassigned", "pending", "notready", "new");
    }

    @Test
    void podsDoubledUpOnANodeGoFirst() {
        Pod a = pod("a", "n1", "Running", true, "2025-01-01T11:00:00Z", "2025-01-01T11:00:00Z");
        Pod b = pod("b", "n1", "Running", true, "2025-01-01T11:00:00Z", "2025-01-01T11:00:00Z");
        Pod c = pod("c", "n2", "Running", true, "2025-01-01T11:00:00Z", "2025-01-01T11:00:00Z");
        List<Pod> victims = PodRanking.podsToDelete(List.of(c, a, b), List.of(a, b, c), 1, NOW);
        assertThat(victims.get(0).getMetadata().getName()).isIn("a", "b");
    }

    @Test
    void lowerDeletionCostFirst() {
        Pod cheap = pod("cheap", "n1", "Running", true, "2025-01-01T00:00:00Z", "2025-01-01T00:00:00Z");
        cheap.getMetadata().setAnnotations(java.util.Map.of(PodRanking.DELETION_COST, "-10"));
        Pod fresh = pod("fresh", "n2", "Running", true, "2025-01-01T11:59:00Z", "2025-01-01T11:59:00Z");
        assertThat(PodRanking.podsToDelete(List.of(fresh, cheap), List.of(), 1, NOW).get(0).getMetadata().getName())
                .isEqualTo("cheap");
    }
}
