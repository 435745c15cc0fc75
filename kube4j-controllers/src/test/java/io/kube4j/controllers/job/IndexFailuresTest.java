package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The per-index retry bookkeeping (backoffLimitPerIndex), without a server. */
class IndexFailuresTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static JobBuilder job() {
        return new JobBuilder().withNewMetadata().withName("j").withNamespace("ns").endMetadata().withNewSpec()
                .withCompletionMode("Indexed").withCompletions(4).withBackoffLimitPerIndex(1).endSpec().withNewStatus().endStatus();
    }

    private static Pod failed(String uid, int index, String failureCount, int exitCode, Instant finishedAt) {
        return new PodBuilder().withNewMetadata().withName("p-" + uid).withNamespace("ns").withUid(uid)
                .addToAnnotations(JobController.INDEX_ANNOTATION, "" + index)
                .addToAnnotations(IndexFailures.FAILURE_COUNT, failureCount)
                .addToFinalizers(JobController.TRACKING_FINALIZER).endMetadata()
                .withNewStatus().withPhase("Failed").addNewContainerStatus().withName("main").withNewState()
                .withNewTerminated().withExitCode(exitCode).withFinishedAt(Times.format(finishedAt)).endTerminated()
                .endState().endContainerStatus().endStatus().build();
    }

    @Test
    void anIndexFailsOnceItsPodFailedWithTheCountAtTheLimitOrMatchedFailIndex() {
        Job j = job().editStatus().withFailedIndexes("3").endStatus().build();
        Pod firstTry = failed("a", 0, "0", 1, NOW);
        Pod lastTry = failed("b", 1, "1", 1, NOW);
        // a malformed or negative count reads as 0: a user cannot skip the retries by editing it
        Pod edited = failed("c", 2, "-5", 1, NOW);
        assertThat(IndexFailures.indexFailed(j, firstTry)).isFalse();
        assertThat(IndexFailures.indexFailed(j, lastTry)).isTrue();
        assertThat(IndexFailures.indexFailed(j, edited)).isFalse();
        assertThat(IndexFailures.failedIndexes(j, List.of(firstTry, lastTry, edited), 4)).containsExactly(1, 3);

        Job withRule = job().editSpec().withNewPodFailurePolicy().addNewRule().withAction("FailIndex").withNewOnExitCodes()
                .withOperator("In").withValues(42).endOnExitCodes().endRule().endPodFailurePolicy().endSpec().build();
        assertThat(IndexFailures.indexFailed(withRule, failed("d", 0, "0", 42, NOW))).isTrue();
    }

    @Test
    void theLatestFailedPodOfAnIndexToBeRetriedIsKeptForItsReplacement() {
        Job j = job().build();
        Pod older = failed("a", 0, "0", 1, NOW.minusSeconds(60));
        Pod newer = failed("b", 0, "1", 1, NOW);
        Pod ofActiveIndex = failed("c", 1, "0", 1, NOW);
        Pod ofFailedIndex = failed("d", 2, "0", 1, NOW);
        Map<Integer, Pod> kept = IndexFailures.delayedDeletions(j, List.of(older, newer, ofActiveIndex, ofFailedIndex), 4,
                new TreeSet<>(), new TreeSet<>(Set.of(2)), Set.of(1));
        assertThat(kept).containsOnlyKeys(0);
        assertThat(kept.get(0).getMetadata().getUid()).isEqualTo("b");
    }

    @Test
    void theReplacementCarriesTheCountsOfItsIndex() {
        Job j = job().editSpec().withNewPodFailurePolicy().addNewRule().withAction("Ignore").withNewOnExitCodes()
                .withOperator("In").withValues(7).endOnExitCodes().endRule().endPodFailurePolicy().endSpec().build();
        assertThat(IndexFailures.replacementAnnotations(j, null)).containsExactly(Map.entry(IndexFailures.FAILURE_COUNT, "0"));
        assertThat(IndexFailures.replacementAnnotations(j, failed("a", 0, "2", 1, NOW)))
                .containsExactly(Map.entry(IndexFailures.FAILURE_COUNT, "3"));
        assertThat(IndexFailures.replacementAnnotations(j, failed("b", 0, "2", 7, NOW)))
                .containsEntry(IndexFailures.FAILURE_COUNT, "2").containsEntry(IndexFailures.IGNORED_FAILURE_COUNT, "1");
    }

    @Test
    void anIndexWaitsItsOwnDoublingDelayFromItsLastFailure() {
        Duration base = Duration.ofSeconds(10);
        Duration max = Duration.ofSeconds(60);
        assertThat(IndexFailures.remainingBackoff(null, base, max, NOW)).isZero();
        // first failure: the base delay, counted from the pod's finish
        assertThat(IndexFailures.remainingBackoff(failed("a", 0, "0", 1, NOW.minusSeconds(4)), base, max, NOW))
                .isEqualTo(Duration.ofSeconds(6));
        // third failure of the index: 10s doubled twice
        assertThat(IndexFailures.remainingBackoff(failed("b", 0, "2", 1, NOW), base, max, NOW)).isEqualTo(Duration.ofSeconds(40));
        assertThat(IndexFailures.remainingBackoff(failed("c", 0, "9", 1, NOW), base, max, NOW)).isEqualTo(max);
        assertThat(IndexFailures.remainingBackoff(failed("d", 0, "0", 1, NOW.minusSeconds(11)), base, max, NOW)).isZero();
    }
}
