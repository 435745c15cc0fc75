package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What one pass of {@link JobController#sync} knows of a Job and its pods, shared by its steps (upstream's
 * syncJobCtx). The Job is a private copy whose status the steps edit; it is replaced by the server's answer after
 * each status write.
 */
final class JobSyncContext {
    final String key;
    final List<Pod> pods;
    final Map<String, Pod> byUid = new HashMap<>();
    /** Whether no pod creation or deletion this controller issued is still unseen (checked before listing pods). */
    final boolean satisfied;
    final Instant now;
    final boolean indexed;
    /** spec.completions, -1 when unset. */
    final int completions;
    Job job;
    JobStatus status;
    /** status.completedIndexes as written. */
    final TreeSet<Integer> completed;
    /** status.uncountedTerminatedPods: finished pods noted, to be counted once their finalizer is gone. */
    final Set<String> uncSucceeded;
    final Set<String> uncFailed;
    /** Whether this pass noted new uncounted pods (written before any finalizer goes). */
    boolean newEntries;
    /** Pods this pass noted as uncounted succeeded or failed for the first time (they feed {@link #backoff}). */
    final List<Pod> newlySucceeded = new ArrayList<>();
    final List<Pod> newlyFailed = new ArrayList<>();
    /** The Job's retry delay after this pass's newly finished pods. */
    PodBackoff backoff = PodBackoff.NONE;
    /** Pods whose tracking finalizer this pass removes. */
    final List<Pod> toUnfinalize = new ArrayList<>();

    List<Pod> active = List.of();
    int activeCount;
    int ready;
    int terminating;

    /** Indexed Jobs: completed indexes plus those of succeeded pods not yet counted. */
    TreeSet<Integer> succeededIndexes = new TreeSet<>();
    /** Jobs with backoffLimitPerIndex: the failed indexes; null otherwise. */
    TreeSet<Integer> failedIndexes;
    /** Jobs with backoffLimitPerIndex: per index to be retried, the failed pod kept until its replacement exists. */
    Map<Integer, Pod> delayedDeletions = Map.of();
    /** Failed pods kept for their index's replacement and not yet noted as uncounted: failures all the same. */
    int delayedFailures;

    /** The Job's end as decided this pass, or null while it runs on (or while the verdict must wait). */
    JobFinish finish;
    /** The status as last written (or as the pass found it): a pass writes again only when it differs. */
    JobStatus written;

    JobSyncContext(String key, Job job, List<Pod> pods, boolean satisfied, Instant now) {
        this.key = key;
        this.job = job;
        this.pods = pods;
        this.satisfied = satisfied;
        this.now = now;
        this.status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        job.setStatus(status);
        this.indexed = "Indexed".equals(job.getSpec().getCompletionMode());
        this.completions = job.getSpec().getCompletions() == null ? -1 : job.getSpec().getCompletions();
        this.completed = CompletedIndexes.parse(status.getCompletedIndexes(), Math.max(0, completions));
        UncountedTerminatedPods uncounted = status.getUncountedTerminatedPods() == null
                ? new UncountedTerminatedPods() : status.getUncountedTerminatedPods();
        this.uncSucceeded = new LinkedHashSet<>(uncounted.getSucceeded() == null ? List.of() : uncounted.getSucceeded());
        this.uncFailed = new LinkedHashSet<>(uncounted.getFailed() == null ? List.of() : uncounted.getFailed());
        pods.forEach(p -> byUid.put(p.getMetadata().getUid(), p));
    }

    boolean validIndex(Integer idx) {
        return idx != null && idx >= 0 && idx < completions;
    }

    /** Whether this failed pod waits, finalizer kept, for its index's replacement. */
    boolean delayed(Pod pod) {
        Integer idx = JobController.index(pod);
        Pod kept = idx == null ? null : delayedDeletions.get(idx);
        return kept != null && kept.getMetadata().getUid().equals(pod.getMetadata().getUid());
    }

    void setUncounted() {
        status.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(uncFailed), new ArrayList<>(uncSucceeded)));
    }
}
