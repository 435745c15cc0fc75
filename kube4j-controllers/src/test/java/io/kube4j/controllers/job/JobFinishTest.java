package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The job controller's verdicts (upstream 1.32's syncJob) and its condition bookkeeping, without a server. */
class JobFinishTest {
    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static JobBuilder job() {
        return new JobBuilder().withNewMetadata().withName("j").withNamespace("ns").endMetadata()
                .withNewSpec().endSpec().withNewStatus().endStatus();
    }

    private static JobFinish.Counts counts(int succeeded, int failed, int active) {
        return new JobFinish.Counts(succeeded, failed, active, null, false);
    }

    private static JobCondition cond(String type, String reason, String message) {
        return new JobConditionBuilder().withType(type).withStatus("True").withReason(reason).withMessage(message)
                .withLastProbeTime(Times.format(NOW)).withLastTransitionTime(Times.format(NOW)).build();
    }

    @Test
    void completionsReachedIsASuccessWithUpstreamsReasonAndMessage() {
        Job j = job().editSpec().withCompletions(3).endSpec().build();
        assertThat(JobFinish.decide(j, counts(2, 0, 1), NOW)).isNull();
        JobFinish finish = JobFinish.decide(j, counts(3, 0, 0), NOW);
        assertThat(finish).isEqualTo(new JobFinish(true, "CompletionsReached", "Reached expected number of succeeded pods"));
        assertThat(finish.interimType()).isEqualTo("SuccessCriteriaMet");
        assertThat(finish.terminalType()).isEqualTo("Complete");
    }

    @Test
    void withoutCompletionsOneSuccessEndsTheJobOnlyOnceNoPodIsActive() {
        Job j = job().build();
        assertThat(JobFinish.decide(j, counts(1, 0, 1), NOW)).isNull();
        assertThat(JobFinish.decide(j, counts(1, 0, 0), NOW).success()).isTrue();
        assertThat(JobFinish.decide(j, counts(0, 0, 0), NOW)).isNull();
    }

    @Test
    void theBackoffLimitIsExceededByTheFailuresCountedOrStillUncounted() {
        Job j = job().editSpec().withBackoffLimit(2).endSpec().build();
        assertThat(JobFinish.decide(j, counts(0, 2, 1), NOW)).isNull();
        JobFinish finish = JobFinish.decide(j, counts(0, 3, 0), NOW);
        assertThat(finish).isEqualTo(new JobFinish(false, "BackoffLimitExceeded", "Job has reached the specified backoff limit"));
        assertThat(finish.interimType()).isEqualTo("FailureTarget");
        assertThat(finish.terminalType()).isEqualTo("Failed");
        // upstream's default backoffLimit is 6
        assertThat(JobFinish.decide(job().build(), counts(0, 6, 1), NOW)).isNull();
        assertThat(JobFinish.decide(job().build(), counts(0, 7, 1), NOW).reason()).isEqualTo("BackoffLimitExceeded");
        assertThat(JobFinish.decide(job().build(), new JobFinish.Counts(0, 0, 1, null, true), NOW).reason())
                .isEqualTo("BackoffLimitExceeded");
    }

    @Test
    void theActiveDeadlineCountsFromTheStartTimeAndNotWhileSuspended() {
        Job j = job().editSpec().withActiveDeadlineSeconds(10L).endSpec()
                .editStatus().withStartTime(Times.format(NOW.minusSeconds(10))).endStatus().build();
        assertThat(JobFinish.decide(j, counts(0, 0, 1), NOW))
                .isEqualTo(new JobFinish(false, "DeadlineExceeded", "Job was active longer than specified deadline"));
        assertThat(JobFinish.decide(j, counts(0, 0, 1), NOW.minusSeconds(1))).isNull();
        Job suspended = new JobBuilder(j).editSpec().withSuspend(true).endSpec().build();
        assertThat(JobFinish.decide(suspended, counts(0, 0, 0), NOW)).isNull();
    }

    @Test
    void aFailJobRuleWinsOverEverythingElseNotYetRecorded() {
        Job j = job().editSpec().withCompletions(1).endSpec().build();
        JobFinish finish = JobFinish.decide(j, new JobFinish.Counts(1, 1, 0, "Container main failed", false), NOW);
        assertThat(finish).isEqualTo(new JobFinish(false, "PodFailurePolicy", "Container main failed"));
    }

    @Test
    void anIndexedVerdictComesAfterTheJobWideFailuresAndBeforeTheCompletions() {
        Job j = job().editSpec().withCompletionMode("Indexed").withCompletions(3).withBackoffLimitPerIndex(0)
                .withMaxFailedIndexes(1).withNewSuccessPolicy().addNewRule().withSucceededCount(1).endRule()
                .endSuccessPolicy().endSpec().build();
        TreeSet<Integer> none = new TreeSet<>();
        assertThat(JobFinish.indexed(j, new TreeSet<>(List.of(0)), none, 3))
                .isEqualTo(new JobFinish(true, "SuccessPolicy", "Matched rules at index 0"));
        // failed indexes are checked before the success policy
        assertThat(JobFinish.indexed(j, new TreeSet<>(List.of(0)), new TreeSet<>(List.of(1, 2)), 3)).isEqualTo(new JobFinish(
                false, "MaxFailedIndexesExceeded", "Job has exceeded the specified maximal number of failed indexes"));
        Job noPolicy = job().editSpec().withCompletionMode("Indexed").withCompletions(3).withBackoffLimitPerIndex(0).endSpec().build();
        assertThat(JobFinish.indexed(noPolicy, new TreeSet<>(List.of(0, 2)), new TreeSet<>(List.of(1)), 3))
                .isEqualTo(new JobFinish(false, "FailedIndexes", "Job has failed indexes"));
        assertThat(JobFinish.indexed(noPolicy, new TreeSet<>(List.of(0)), new TreeSet<>(List.of(1)), 3)).as("index 2 runs").isNull();

        JobFinish byIndexes = new JobFinish(false, "FailedIndexes", "Job has failed indexes");
        Job limited = new JobBuilder(noPolicy).editSpec().withBackoffLimit(0).endSpec().build();
        assertThat(JobFinish.decide(limited, new JobFinish.Counts(2, 1, 0, null, false, byIndexes), NOW).reason())
                .isEqualTo("BackoffLimitExceeded");
        assertThat(JobFinish.decide(noPolicy, new JobFinish.Counts(3, 1, 0, null, false, byIndexes), NOW)).isEqualTo(byIndexes);
        // with backoffLimitPerIndex an unset backoffLimit means no Job-wide limit (upstream defaults it to MaxInt32)
        assertThat(JobFinish.decide(noPolicy, counts(0, 100, 1), NOW)).isNull();
    }

    @Test
    void aRecordedInterimConditionIsKeptWithItsReasonAndMessage() {
        Job target = job().editSpec().withCompletions(1).endSpec().editStatus()
                .withConditions(cond("FailureTarget", "DeadlineExceeded", "Job was active longer than specified deadline"))
                .endStatus().build();
        // even though the counts now say success: the failure was decided first
        assertThat(JobFinish.decide(target, counts(1, 0, 0), NOW))
                .isEqualTo(new JobFinish(false, "DeadlineExceeded", "Job was active longer than specified deadline"));

        Job met = job().editSpec().withCompletions(1).withBackoffLimit(0).withActiveDeadlineSeconds(1L).endSpec()
                .editStatus().withStartTime(Times.format(NOW.minusSeconds(60)))
                .withConditions(cond("SuccessCriteriaMet", "CompletionsReached", "Reached expected number of succeeded pods"))
                .endStatus().build();
        // once success criteria are met, failures (here the deadline and the backoff limit) are not evaluated
        assertThat(JobFinish.decide(met, counts(1, 5, 0), NOW))
                .isEqualTo(new JobFinish(true, "CompletionsReached", "Reached expected number of succeeded pods"));
    }

    @Test
    void ensureConditionAppendsReplacesInPlaceAndNeverAddsAFalseOne() {
        JobStatus s = new JobStatus();
        assertThat(JobController.ensureCondition(s, "Suspended", "False", "JobResumed", "Job resumed", NOW)).isFalse();
        assertThat(s.getConditions()).isNullOrEmpty();

        assertThat(JobController.ensureCondition(s, "Suspended", "True", "JobSuspended", "Job suspended", NOW)).isTrue();
        assertThat(JobController.ensureCondition(s, "SuccessCriteriaMet", "True", "CompletionsReached", "m", NOW)).isTrue();
        assertThat(JobController.ensureCondition(s, "SuccessCriteriaMet", "True", "CompletionsReached", "m",
                NOW.plusSeconds(5))).as("unchanged: the times stay").isFalse();
        assertThat(s.getConditions().get(1).getLastTransitionTime()).isEqualTo(Times.format(NOW));

        Instant later = NOW.plusSeconds(30);
        assertThat(JobController.ensureCondition(s, "Suspended", "False", "JobResumed", "Job resumed", later)).isTrue();
        List<String> types = new ArrayList<>();
        s.getConditions().forEach(c -> types.add(c.getType()));
        assertThat(types).containsExactly("Suspended", "SuccessCriteriaMet");
        assertThat(s.getConditions().get(0).getStatus()).isEqualTo("False");
        assertThat(s.getConditions().get(0).getLastTransitionTime()).isEqualTo(Times.format(later));
    }

    @Test
    void aJobNamingAnotherManagerIsLeftAlone() {
        assertThat(JobController.managedElsewhere(job().build())).isFalse();
        assertThat(JobController.managedElsewhere(job().editSpec().withManagedBy("kubernetes.io/job-controller")
                .endSpec().build())).isFalse();
        assertThat(JobController.managedElsewhere(job().editSpec().withManagedBy("example.com/batch").endSpec()
                .build())).isTrue();
    }
}
