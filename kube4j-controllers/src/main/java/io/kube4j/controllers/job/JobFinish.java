package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.TreeSet;

/**
 * Whether a Job has reached its end, decided as upstream 1.32's syncJob does (JobSuccessPolicy, JobManagedBy and
 * JobPodReplacementPolicy on by default): a failure or success is first recorded as the interim condition
 * ({@code FailureTarget} or {@code SuccessCriteriaMet}), and only once no pod is uncounted or terminating is the
 * terminal one ({@code Failed} or {@code Complete}) added, with the same reason and message.
 *
 * @param success whether the Job succeeded (else it failed)
 * @param reason  the condition reason, shared by the interim and the terminal condition
 * @param message the condition message, shared likewise
 */
record JobFinish(boolean success, String reason, String message) {
    static final String SUCCESS_CRITERIA_MET = "SuccessCriteriaMet";
    static final String FAILURE_TARGET = "FailureTarget";
    static final String COMPLETE = "Complete";
    static final String FAILED = "Failed";
    static final String REASON_COMPLETIONS_REACHED = "CompletionsReached";
    static final String MESSAGE_COMPLETIONS_REACHED = "Reached expected number of succeeded pods";
    static final String REASON_BACKOFF_LIMIT = "BackoffLimitExceeded";
    static final String MESSAGE_BACKOFF_LIMIT = "Job has reached the specified backoff limit";
    static final String REASON_DEADLINE = "DeadlineExceeded";
    static final String MESSAGE_DEADLINE = "Job was active longer than specified deadline";
    static final String REASON_POD_FAILURE_POLICY = "PodFailurePolicy";
    /** Upstream's default spec.backoffLimit. */
    static final int DEFAULT_BACKOFF_LIMIT = 6;

    /**
     * What the pods say this sync, counted as upstream's syncJobCtx counts them: finished pods still carrying the
     * tracking finalizer (uncounted) are included, so the verdict does not wait for their finalizers to go.
     *
     * @param succeeded        succeeded pods (for Indexed Jobs: succeeded indexes)
     * @param failed           failed pods, those a pod failure policy ignores left out
     * @param active           active pods (not terminal, not being deleted)
     * @param failJobMessage   the message of a pod failure policy FailJob rule a failed pod matched, or null
     * @param restartsExceeded whether OnFailure restarts of active pods reached the backoff limit
     * @param indexVerdict     an Indexed Job's end by its failed indexes or its success policy ({@link #indexed}),
     *                         or null
     */
    record Counts(int succeeded, int failed, int active, String failJobMessage, boolean restartsExceeded,
                  JobFinish indexVerdict) {
        Counts(int succeeded, int failed, int active, String failJobMessage, boolean restartsExceeded) {
            this(succeeded, failed, active, failJobMessage, restartsExceeded, null);
        }
    }

    /** The condition recorded first: {@code SuccessCriteriaMet} or {@code FailureTarget}. */
    String interimType() {
        return success ? SUCCESS_CRITERIA_MET : FAILURE_TARGET;
    }

    /** The condition that finishes the Job: {@code Complete} or {@code Failed}. */
    String terminalType() {
        return success ? COMPLETE : FAILED;
    }

    /**
     * The Job's end, or null while it runs on. An interim condition already recorded is kept (SuccessCriteriaMet
     * wins: once met, failures are no longer evaluated, as upstream); otherwise failures are checked before
     * success: a FailJob rule, the backoff limit, the active deadline, an Indexed Job's failed indexes and its
     * success policy, then the completions.
     */
    static JobFinish decide(Job job, Counts counts, Instant now) {
        JobStatus status = job.getStatus();
        JobCondition met = trueCondition(status, SUCCESS_CRITERIA_MET);
        if (met != null) {
            return new JobFinish(true, met.getReason(), met.getMessage());
        }
        JobCondition target = trueCondition(status, FAILURE_TARGET);
        if (target != null) {
            return new JobFinish(false, target.getReason(), target.getMessage());
        }
        if (counts.failJobMessage() != null) {
            return new JobFinish(false, REASON_POD_FAILURE_POLICY, counts.failJobMessage());
        }
        if (counts.failed() > backoffLimit(job) || counts.restartsExceeded()) {
            return new JobFinish(false, REASON_BACKOFF_LIMIT, MESSAGE_BACKOFF_LIMIT);
        }
        if (deadlineExceeded(job, now)) {
            return new JobFinish(false, REASON_DEADLINE, MESSAGE_DEADLINE);
        }
        if (counts.indexVerdict() != null) {
            return counts.indexVerdict();
        }
        Integer completions = job.getSpec().getCompletions();
        // Without completions (a work queue) one success ends the Job once the other pods ended on their own;
        // with completions, the pods still active when the count is reached are deleted.
        boolean reached = completions == null
                ? counts.succeeded() > 0 && counts.active() == 0
                : counts.succeeded() >= completions;
        return reached ? new JobFinish(true, REASON_COMPLETIONS_REACHED, MESSAGE_COMPLETIONS_REACHED) : null;
    }

    /**
     * spec.backoffLimit, or its default when unset: 6, or no limit with backoffLimitPerIndex (upstream defaults it
     * to MaxInt32 then, the indexes counting their own failures).
     */
    static int backoffLimit(Job job) {
        Integer limit = job.getSpec().getBackoffLimit();
        if (limit != null) {
            return limit;
        }
        return job.getSpec().getBackoffLimitPerIndex() != null ? Integer.MAX_VALUE : DEFAULT_BACKOFF_LIMIT;
    }

    /**
     * An Indexed Job's end decided by its indexes, in upstream's order: with backoffLimitPerIndex, more failed
     * indexes than maxFailedIndexes, or every index finished with some failed; then a met successPolicy rule.
     *
     * @param failed the failed indexes, null without backoffLimitPerIndex
     */
    static JobFinish indexed(Job job, TreeSet<Integer> succeeded, TreeSet<Integer> failed, int completions) {
        if (failed != null) {
            Integer maxFailed = job.getSpec().getMaxFailedIndexes();
            if (maxFailed != null && failed.size() > maxFailed) {
                return new JobFinish(false, IndexFailures.REASON_MAX_FAILED_INDEXES, IndexFailures.MESSAGE_MAX_FAILED_INDEXES);
            }
            if (!failed.isEmpty() && failed.size() + succeeded.size() >= completions) {
                return new JobFinish(false, IndexFailures.REASON_FAILED_INDEXES, IndexFailures.MESSAGE_FAILED_INDEXES);
            }
        }
        String matched = SuccessPolicies.match(job.getSpec().getSuccessPolicy(), completions, succeeded);
        return matched == null ? null : new JobFinish(true, SuccessPolicies.REASON, matched);
    }

    static boolean deadlineExceeded(Job job, Instant now) {
        Long ads = job.getSpec().getActiveDeadlineSeconds();
        if (ads == null || job.getStatus() == null || job.getStatus().getStartTime() == null
                || Boolean.TRUE.equals(job.getSpec().getSuspend())) {
            return false;
        }
        return !Times.parse(job.getStatus().getStartTime()).plusSeconds(ads).isAfter(now);
    }

    private static JobCondition trueCondition(JobStatus status, String type) {
        JobCondition c = JobController.condition(status, type);
        return c != null && "True".equals(c.getStatus()) ? c : null;
    }
}
