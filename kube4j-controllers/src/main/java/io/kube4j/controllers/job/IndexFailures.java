package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The per-index retry bookkeeping of an Indexed Job with spec.backoffLimitPerIndex (upstream 1.32's
 * JobBackoffLimitPerIndex, on by default). Each pod carries how often its index failed before it, in the
 * {@code batch.kubernetes.io/job-index-failure-count} annotation (failures a podFailurePolicy Ignore rule matched
 * go to {@code ...-ignored-failure-count}); an index whose pod fails with that count at the limit, or matches a
 * FailIndex rule, is failed for good (status.failedIndexes) and not retried. The failed pod of an index still to
 * be retried keeps its tracking finalizer until its replacement exists, so the replacement can take its counts
 * over (upstream's pods with delayed deletion); its finish time also starts the index's own retry delay.
 */
final class IndexFailures {
    static final String FAILURE_COUNT = "batch.kubernetes.io/job-index-failure-count";
    static final String IGNORED_FAILURE_COUNT = "batch.kubernetes.io/job-index-ignored-failure-count";
    static final String REASON_FAILED_INDEXES = "FailedIndexes";
    static final String MESSAGE_FAILED_INDEXES = "Job has failed indexes";
    static final String REASON_MAX_FAILED_INDEXES = "MaxFailedIndexesExceeded";
    static final String MESSAGE_MAX_FAILED_INDEXES = "Job has exceeded the specified maximal number of failed indexes";

    private IndexFailures() {
    }

    static boolean enabled(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode()) && job.getSpec().getBackoffLimitPerIndex() != null;
    }

    /** Upstream's isIndexFailed: the pod failed and either matched a FailIndex rule or used up its index's retries. */
    static boolean indexFailed(Job job, Pod pod) {
        if (!PodReplacement.consideredFailed(job, pod)) {
            return false;
        }
        PodFailurePolicies.Decision decision = PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), pod);
        if (decision != null && "FailIndex".equals(decision.action())) {
            return true;
        }
        boolean counted = decision == null || !"Ignore".equals(decision.action());
        return counted && failureCount(pod) >= job.getSpec().getBackoffLimitPerIndex();
    }

    /** The failed indexes: those already in status.failedIndexes and those of pods that failed their index. */
    static TreeSet<Integer> failedIndexes(Job job, List<Pod> pods, int completions) {
        String recorded = job.getStatus() == null ? null : job.getStatus().getFailedIndexes();
        TreeSet<Integer> failed = CompletedIndexes.parse(recorded, completions);
        for (Pod p : pods) {
            Integer idx = JobController.index(p);
            if (idx != null && idx >= 0 && idx < completions && indexFailed(job, p)) {
                failed.add(idx);
            }
        }
        return failed;
    }

    /**
     * Upstream's getPodsWithDelayedDeletionPerIndex: per index still to be retried (neither succeeded, failed nor
     * running a pod), its latest failed pod, whose finalizer stays until the replacement is created.
     */
    static Map<Integer, Pod> delayedDeletions(Job job, List<Pod> trackedPods, int completions, Set<Integer> succeeded,
                                              Set<Integer> failed, Set<Integer> activeIndexes) {
        Map<Integer, Pod> latest = new HashMap<>();
        for (Pod p : trackedPods) {
            Integer idx = JobController.index(p);
            if (idx == null || idx < 0 || idx >= completions || !PodReplacement.consideredFailed(job, p)
                    || succeeded.contains(idx) || failed.contains(idx) || activeIndexes.contains(idx)) {
                continue;
            }
            Pod last = latest.get(idx);
            if (last == null || (absoluteFailureCount(last) <= absoluteFailureCount(p)
                    && !finishTime(p).isBefore(finishTime(last)))) {
                latest.put(idx, p);
            }
        }
        return latest;
    }

    /** The counting annotations of the pod replacing {@code replaced} (null for an index's first pod). */
    static Map<String, String> replacementAnnotations(Job job, Pod replaced) {
        Map<String, String> annotations = new LinkedHashMap<>();
        int failures = 0;
        int ignored = 0;
        if (replaced != null) {
            failures = failureCount(replaced);
            ignored = ignoredFailureCount(replaced);
            PodFailurePolicies.Decision decision = PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), replaced);
            if (decision != null && "Ignore".equals(decision.action())) {
                ignored++;
            } else {
                failures++;
            }
        }
        annotations.put(FAILURE_COUNT, Integer.toString(failures));
        if (ignored > 0) {
            annotations.put(IGNORED_FAILURE_COUNT, Integer.toString(ignored));
        }
        return annotations;
    }

    /**
     * Upstream's getRemainingTimePerIndex: how long the index still waits before its next pod, the delay doubling
     * from {@code base} with each failure of the index (ignored ones included) up to {@code max}.
     */
    static Duration remainingBackoff(Pod lastFailed, Duration base, Duration max, Instant now) {
        if (lastFailed == null) {
            return Duration.ZERO;
        }
        return PodBackoff.remaining(absoluteFailureCount(lastFailed) + 1, finishTime(lastFailed), base, max, now);
    }

    static int failureCount(Pod pod) {
        return annotationCount(pod, FAILURE_COUNT);
    }

    static int ignoredFailureCount(Pod pod) {
        return annotationCount(pod, IGNORED_FAILURE_COUNT);
    }

    private static int absoluteFailureCount(Pod pod) {
        return failureCount(pod) + ignoredFailureCount(pod);
    }

    /** A missing, malformed or negative count (a user may edit annotations) reads as 0, as upstream. */
    private static int annotationCount(Pod pod, String key) {
        Map<String, String> annotations = pod.getMetadata().getAnnotations();
        String value = annotations == null ? null : annotations.get(key);
        if (value == null) {
            return 0;
        }
        try {
            int n = Integer.parseInt(value.trim());
            return Math.max(n, 0);
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Upstream's getFinishedTime: the last container's finish when all finished, else when Ready turned False,
     * else the deletion time less the grace period, else the creation time.
     */
    static Instant finishTime(Pod pod) {
        Instant fromContainers = containersFinished(pod);
        if (fromContainers != null) {
            return fromContainers;
        }
        if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
            for (PodCondition c : pod.getStatus().getConditions()) {
                Instant t = time(c.getLastTransitionTime());
                if ("Ready".equals(c.getType()) && "False".equals(c.getStatus()) && t != null) {
                    return t;
                }
            }
        }
        Instant deleted = time(pod.getMetadata().getDeletionTimestamp());
        if (deleted != null) {
            Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
            return deleted.minusSeconds(grace == null ? 0 : grace);
        }
        Instant created = time(pod.getMetadata().getCreationTimestamp());
        return created == null ? Instant.EPOCH : created;
    }

    private static Instant containersFinished(Pod pod) {
        if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
            return null;
        }
        Instant latest = null;
        for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
            Instant t = s.getState() == null || s.getState().getTerminated() == null ? null
                    : time(s.getState().getTerminated().getFinishedAt());
            if (t == null) {
                return null;
            }
            if (latest == null || latest.isBefore(t)) {
                latest = t;
            }
        }
        return latest;
    }

    private static Instant time(String s) {
        try {
            return Times.parse(s);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
