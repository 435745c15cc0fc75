package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Expectations;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.replicaset.PodRanking;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.OwnerReferencePatcher;
import io.kube4j.controllers.util.PodTemplates;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a Job's pods to completion: keeps up to parallelism pods active until completions pods
 * succeeded (each index once for Indexed jobs), retries failures up to backoffLimit with
 * exponential delay, honours activeDeadlineSeconds, podFailurePolicy and suspend, and counts
 * finished pods exactly once through the {@code batch.kubernetes.io/job-tracking} finalizer and
 * status.uncountedTerminatedPods, as upstream does. Indexed Jobs may end early by their successPolicy
 * ({@link SuccessPolicies}) and retry each index on its own with backoffLimitPerIndex ({@link IndexFailures});
 * podReplacementPolicy decides whether a terminating pod is replaced yet ({@link PodReplacement}).
 */
public final class JobController extends Controller {
    public static final String TRACKING_FINALIZER = "batch.kubernetes.io/job-tracking";
    public static final String INDEX_ANNOTATION = "batch.kubernetes.io/job-completion-index";
    static final Duration MAX_BACKOFF = Duration.ofMinutes(6);

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final Clock clock;
    private final OwnerReferencePatcher patcher;
    private final Expectations expectations;
    private final Duration backoffBase;
    /** Per Job, the failures since its last success (upstream's podBackoffStore). */
    private final Map<String, PodBackoff> backoffs = new ConcurrentHashMap<>();
    private final FinalizerRemovals finalizerRemovals = new FinalizerRemovals();

    public JobController(ControllerContext ctx) {
        super("job-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("job-controller");
        this.clock = ctx.clock();
        this.patcher = new OwnerReferencePatcher(client);
        this.expectations = new Expectations(clock);
        this.backoffBase = ctx.options().jobBackoffBase();
        informers.of(Job.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), j -> {
            expectations.delete(Keys.of(j));
            backoffs.remove(Keys.of(j));
            finalizerRemovals.forget(Keys.of(j));
        }));
        informers.of(Pod.class).addEventHandler(Handlers.of(this::podAdded, (o, n) -> podChanged(n), this::podDeleted));
    }

    private Job owner(Pod pod) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"Job".equals(ref.getKind())) {
            return null;
        }
        Job job = informers.get(Job.class, Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
        return job != null && Objects.equals(job.getMetadata().getUid(), ref.getUid()) ? job : null;
    }

    private void podAdded(Pod pod) {
        Job job = owner(pod);
        if (job != null) {
            expectations.creationObserved(Keys.of(job));
            enqueue(job);
        }
    }

    private void podChanged(Pod pod) {
        Job job = owner(pod);
        if (job != null) {
            if (pod.getMetadata().getDeletionTimestamp() != null) {
                expectations.deletionObserved(Keys.of(job), Keys.of(pod));
            }
            if (!hasTrackingFinalizer(pod)) {
                finalizerRemovals.observed(Keys.of(job), pod.getMetadata().getUid());
            }
            enqueue(job);
        }
    }

    private void podDeleted(Pod pod) {
        Job job = owner(pod);
        if (job != null) {
            expectations.deletionObserved(Keys.of(job), Keys.of(pod));
            finalizerRemovals.observed(Keys.of(job), pod.getMetadata().getUid());
            enqueue(job);
        }
    }

    static boolean conditionTrue(JobStatus s, String type) {
        return s != null && s.getConditions() != null
                && s.getConditions().stream().anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    static JobCondition condition(JobStatus s, String type) {
        return s == null || s.getConditions() == null ? null
                : s.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    public static boolean isFinished(Job job) {
        return conditionTrue(job.getStatus(), "Complete") || conditionTrue(job.getStatus(), "Failed");
    }

    static Integer index(Pod pod) {
        Map<String, String> ann = pod.getMetadata().getAnnotations();
        String v = ann == null ? null : ann.get(INDEX_ANNOTATION);
        try {
            return v == null ? null : Integer.valueOf(v);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean hasTrackingFinalizer(Pod p) {
        return p.getMetadata().getFinalizers() != null && p.getMetadata().getFinalizers().contains(TRACKING_FINALIZER);
    }

    /** Upstream's JobManagedBy: a Job naming another manager in spec.managedBy is left to that controller. */
    static final String MANAGED_BY_JOB_CONTROLLER = "kubernetes.io/job-controller";

    static boolean managedElsewhere(Job job) {
        String managedBy = job.getSpec() == null ? null : job.getSpec().getManagedBy();
        return managedBy != null && !MANAGED_BY_JOB_CONTROLLER.equals(managedBy);
    }

    /**
     * One pass, in upstream 1.32's order: finished pods are noted as uncounted, the Job's end is decided from the
     * counts including them ({@link JobFinish}), and an end is first written as the interim condition
     * (SuccessCriteriaMet or FailureTarget) together with the uncounted pods; the finalizers are removed and the pods
     * counted; only then, with nothing uncounted and no pod terminating, is the terminal condition (Complete, with
     * completionTime, or Failed) written.
     */
    @Override
    public void sync(String key) throws Exception {
        Job cached = informers.get(Job.class, key);
        if (cached == null) {
            expectations.delete(key);
            return;
        }
        if (managedElsewhere(cached)) {
            return;
        }
        // Checked before the pods are listed, as upstream: a pod that appears after the check defers the verdict.
        boolean satisfied = expectations.satisfied(key);
        Job job = new JobBuilder(cached).build();
        List<Pod> pods = ownedPods(job);
        if (isFinished(job)) {
            for (Pod p : pods) {
                if (hasTrackingFinalizer(p)) {
                    removeTrackingFinalizer(key, p);
                }
            }
            return;
        }
        JobSyncContext ctx = new JobSyncContext(key, job, pods, satisfied, clock.instant());
        ctx.written = cached.getStatus();
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        if (ctx.status.getStartTime() == null && !suspended) {
            ctx.status.setStartTime(Times.format(ctx.now));
        }
        trackIndexes(ctx);
        noteFinishedPods(ctx);
        ctx.backoff = backoffs.getOrDefault(key, PodBackoff.NONE).next(ctx.newlySucceeded, ctx.newlyFailed);
        decideFinish(ctx);
        if (ctx.finish != null) {
            enactFinish(ctx);
        } else if (suspended) {
            suspend(ctx);
        } else {
            resumeAndManage(ctx);
        }
        writeAndCount(ctx);
        // kept once the pass's pods are written as uncounted, so a failed pass notes them again, not twice
        backoffs.put(key, ctx.backoff);
    }

    /**
     * Writes the pass's status: first, when there is something a crash must not lose, the new uncounted pods and the
     * failed indexes, before any finalizer goes (the interim condition was written by {@link #enactFinish}); then, once the finalizers are removed,
     * the counts and, with every pod counted and none terminating, the terminal condition.
     */
    private void writeAndCount(JobSyncContext ctx) {
        JobStatus written = ctx.written;
        ctx.status.setActive(ctx.activeCount);
        ctx.status.setReady(ctx.ready);
        ctx.status.setTerminating(ctx.terminating);
        String failedIndexes = ctx.failedIndexes == null ? ctx.status.getFailedIndexes()
                : CompletedIndexes.format(ctx.failedIndexes);
        boolean failedIndexesChanged = !Objects.equals(failedIndexes, written == null ? null : written.getFailedIndexes());
        if (ctx.newEntries || failedIndexesChanged) {
            // Written before any finalizer goes, so a pass that crashes after removing one still counts its pod and
            // still knows the failed indexes.
            written = writeUncounted(ctx);
        }
        countUnfinalized(ctx);
        boolean finishedNow = addTerminalCondition(ctx);
        if (!Objects.equals(ctx.status, written)) {
            ctx.job = writeStatus(ctx.job);
        }
        if (finishedNow) {
            recordFinished(ctx.job, ctx.finish);
        }
    }

    /** Writes the status with the uncounted pods as they stand; returns a copy of what was written. */
    private JobStatus writeUncounted(JobSyncContext ctx) {
        ctx.setUncounted();
        if (ctx.failedIndexes != null) {
            ctx.status.setFailedIndexes(CompletedIndexes.format(ctx.failedIndexes));
        }
        ctx.job = writeStatus(ctx.job);
        ctx.status = ctx.job.getStatus();
        ctx.newEntries = false;
        ctx.written = new JobStatusBuilder(ctx.status).build();
        return ctx.written;
    }

    private void suspend(JobSyncContext ctx) {
        ctx.activeCount -= deleteAll(ctx.key, ctx.job, ctx.active);
        ctx.ready = ctx.activeCount == 0 ? 0 : ctx.ready;
        if (ensureCondition(ctx.status, "Suspended", "True", "JobSuspended", "Job suspended", ctx.now)) {
            recorder.event(ctx.job, EventRecorder.NORMAL, "Suspended", "Job suspended");
        }
    }

    private List<Pod> ownedPods(Job job) {
        List<Pod> pods = new ArrayList<>();
        for (Pod p : informers.inNamespace(Pod.class, job.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(p, job)) {
                pods.add(p);
            }
        }
        return pods;
    }

    /** Pods with the tracking finalizer not already being removed: the ones not yet counted. */
    private List<Pod> trackedPods(JobSyncContext ctx) {
        return ctx.pods.stream().filter(p -> hasTrackingFinalizer(p)
                && !finalizerRemovals.expected(ctx.key, p.getMetadata().getUid())).toList();
    }

    /**
     * Indexed Jobs: the succeeded indexes (counted ones and those of succeeded pods, as upstream's
     * calculateSucceededIndexes) and, with backoffLimitPerIndex, the failed indexes and the failed pods kept for
     * their index's replacement.
     */
    private void trackIndexes(JobSyncContext ctx) {
        if (!ctx.indexed) {
            return;
        }
        TreeSet<Integer> succeeded = new TreeSet<>(ctx.completed);
        for (Pod p : ctx.pods) {
            // Upstream looks at pods still carrying the finalizer only, relying on completedIndexes for the others;
            // but the pod informer may show a finalizer removal before the Job informer shows the status write that
            // preceded it, and the index would then be created again. A succeeded pod's index succeeded, whatever.
            if ("Succeeded".equals(Pods.phase(p)) && ctx.validIndex(index(p))) {
                succeeded.add(index(p));
            }
        }
        ctx.succeededIndexes = succeeded;
        if (!IndexFailures.enabled(ctx.job)) {
            return;
        }
        List<Pod> tracked = trackedPods(ctx);
        // all pods, not only tracked ones, for the same reason as the succeeded indexes
        ctx.failedIndexes = IndexFailures.failedIndexes(ctx.job, ctx.pods, ctx.completions);
        Set<Integer> activeIndexes = new HashSet<>();
        for (Pod p : ctx.pods) {
            if (Pods.isActive(p) && index(p) != null) {
                activeIndexes.add(index(p));
            }
        }
        ctx.delayedDeletions = IndexFailures.delayedDeletions(ctx.job, tracked, ctx.completions, succeeded,
                ctx.failedIndexes, activeIndexes);
    }

    /**
     * Step 1: finished pods (succeeded, or failed as {@link PodReplacement#consideredFailed} says) are noted as
     * uncounted (their uids) and queued for their finalizer's removal. A failed pod kept for its index's
     * replacement is neither, yet; a failure a podFailurePolicy Ignore rule matches is not counted.
     */
    private void noteFinishedPods(JobSyncContext ctx) {
        for (Pod p : ctx.pods) {
            String uid = p.getMetadata().getUid();
            boolean succeeded = "Succeeded".equals(Pods.phase(p));
            boolean failed = !succeeded && PodReplacement.consideredFailed(ctx.job, p) && !stoppedBySuccess(ctx, p);
            // a pod whose finalizer this controller already removed was counted (or is about to be): not again
            if (!(succeeded || failed) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(ctx.key, uid)) {
                continue;
            }
            if (failed && !ctx.uncFailed.contains(uid) && ctx.delayed(p)) {
                ctx.delayedFailures++;
                continue;
            }
            ctx.toUnfinalize.add(p);
            noteUncounted(ctx, p, succeeded, true);
        }
    }

    /** Adds the pod to the uncounted succeeded or (unless an Ignore rule matches it) failed uids, once. */
    private static void noteUncounted(JobSyncContext ctx, Pod p, boolean succeeded, boolean failed) {
        String uid = p.getMetadata().getUid();
        if (ctx.uncSucceeded.contains(uid) || ctx.uncFailed.contains(uid)) {
            return;
        }
        if (succeeded) {
            ctx.uncSucceeded.add(uid);
            ctx.newlySucceeded.add(p);
            ctx.newEntries = true;
            return;
        }
        if (!failed) {
            return;
        }
        PodFailurePolicies.Decision decision = "Failed".equals(Pods.phase(p))
                ? PodFailurePolicies.match(ctx.job.getSpec().getPodFailurePolicy(), p) : null;
        if (decision != null && "Ignore".equals(decision.action())) {
            return;
        }
        ctx.uncFailed.add(uid);
        ctx.newlyFailed.add(p);
        ctx.newEntries = true;
    }

    /** Step 2: the Job's end, from counts that include the uncounted pods (upstream's syncJobCtx). */
    private void decideFinish(JobSyncContext ctx) {
        Job job = ctx.job;
        JobStatus status = ctx.status;
        ctx.active = ctx.pods.stream().filter(Pods::isActive).toList();
        ctx.activeCount = ctx.active.size();
        ctx.ready = (int) ctx.active.stream().filter(Pods::isReady).count();
        ctx.terminating = (int) ctx.pods.stream().filter(PodReplacement::terminating).count();
        int succeededSoFar = ctx.indexed ? ctx.succeededIndexes.size() : n(status.getSucceeded()) + ctx.uncSucceeded.size();
        int failedSoFar = n(status.getFailed()) + ctx.uncFailed.size() + ctx.delayedFailures;
        JobFinish byIndexes = ctx.indexed
                ? JobFinish.indexed(job, ctx.succeededIndexes, ctx.failedIndexes, Math.max(0, ctx.completions)) : null;
        ctx.finish = JobFinish.decide(job, new JobFinish.Counts(succeededSoFar, failedSoFar, ctx.active.size(),
                failJobMessage(job, ctx.pods), restartsExceeded(job, ctx.active, JobFinish.backoffLimit(job)), byIndexes),
                ctx.now);
    }

    /**
     * The Job has ended: the interim condition is written first, with the pods noted so far (upstream's reason for
     * it: a pass that fails part-way still knows the verdict), then the pods still running are deleted (they count
     * as terminating until they are gone) and every pod still tracked is released (upstream's canRemoveFinalizer
     * once a Job is finished). Written before the deletions, not after: a write refused (409) after them would leave
     * the next pass to find the stopped pods terminating without the verdict, and to count them as failures. A pod
     * created before the verdict and seen only later is stopped and released by a later pass.
     */
    private void enactFinish(JobSyncContext ctx) {
        JobFinish finish = ctx.finish;
        if (!conditionTrue(ctx.status, finish.interimType())) {
            ensureCondition(ctx.status, finish.interimType(), "True", finish.reason(), finish.message(), ctx.now);
            writeUncounted(ctx);
        }
        int deleted = deleteAll(ctx.key, ctx.job, ctx.active);
        ctx.activeCount -= deleted;
        ctx.terminating += deleted;
        if (ctx.activeCount == 0) {
            ctx.ready = 0;
        }
        releaseAll(ctx);
    }

    /**
     * Every pod still tracked loses its finalizer: a failed one (a pod kept for its index, or terminating under
     * podReplacementPolicy Failed) counts as failed, and so does any other unfinished pod when the Job failed, as
     * upstream counts them; pods stopped because the Job succeeded are not failures.
     */
    private void releaseAll(JobSyncContext ctx) {
        Set<String> queued = new HashSet<>();
        ctx.toUnfinalize.forEach(p -> queued.add(p.getMetadata().getUid()));
        for (Pod p : ctx.pods) {
            String uid = p.getMetadata().getUid();
            if (!hasTrackingFinalizer(p) || finalizerRemovals.expected(ctx.key, uid) || !queued.add(uid)) {
                continue;
            }
            ctx.toUnfinalize.add(p);
            boolean succeeded = "Succeeded".equals(Pods.phase(p));
            boolean failed = !succeeded && !stoppedBySuccess(ctx, p)
                    && (PodReplacement.consideredFailed(ctx.job, p) || !ctx.finish.success());
            noteUncounted(ctx, p, succeeded, failed);
        }
    }

    /**
     * Whether the pod is being deleted after the Job's success was recorded: stopped because the Job succeeded (the
     * verdict is written before the pods are deleted), so not a failure even if its kill left it in phase Failed.
     */
    private static boolean stoppedBySuccess(JobSyncContext ctx, Pod p) {
        return p.getMetadata().getDeletionTimestamp() != null && conditionTrue(ctx.status, JobFinish.SUCCESS_CRITERIA_MET);
    }

    private void resumeAndManage(JobSyncContext ctx) {
        JobStatus status = ctx.status;
        JobCondition susp = condition(status, "Suspended");
        if (susp != null && "True".equals(susp.getStatus())) {
            ensureCondition(status, "Suspended", "False", "JobResumed", "Job resumed", ctx.now);
            recorder.event(ctx.job, EventRecorder.NORMAL, "Resumed", "Job resumed");
            // the active deadline counts from the resumption, as upstream
            status.setStartTime(Times.format(ctx.now));
        }
        if (ctx.satisfied) {
            ctx.activeCount = manageActive(ctx);
        }
        Long ads = ctx.job.getSpec().getActiveDeadlineSeconds();
        if (ads != null) {
            Instant deadline = Times.parse(status.getStartTime()).plusSeconds(ads);
            enqueueAfter(ctx.key, Duration.between(ctx.now, deadline).plusMillis(100));
        }
    }

    /** Step 3: remove the finalizers of finished pods, then count those whose finalizer is gone. */
    private void countUnfinalized(JobSyncContext ctx) {
        String key = ctx.key;
        JobStatus status = ctx.status;
        Set<String> unfinalized = new LinkedHashSet<>();
        for (Pod p : ctx.toUnfinalize) {
            removeTrackingFinalizer(key, p);
            unfinalized.add(p.getMetadata().getUid());
        }
        int succeeded = n(status.getSucceeded());
        int failed = n(status.getFailed());
        for (String uid : new ArrayList<>(ctx.uncSucceeded)) {
            Pod p = ctx.byUid.get(uid);
            if (p == null || unfinalized.contains(uid) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(key, uid)) {
                ctx.uncSucceeded.remove(uid);
                Integer idx = p == null ? null : index(p);
                if (ctx.indexed) {
                    if (ctx.validIndex(idx)) {
                        ctx.completed.add(idx);
                    }
                } else {
                    succeeded++;
                }
            }
        }
        for (String uid : new ArrayList<>(ctx.uncFailed)) {
            Pod p = ctx.byUid.get(uid);
            if (p == null || unfinalized.contains(uid) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(key, uid)) {
                ctx.uncFailed.remove(uid);
                failed++;
            }
        }
        if (ctx.indexed) {
            succeeded = ctx.completed.size();
            status.setCompletedIndexes(CompletedIndexes.format(ctx.completed));
        } else {
            status.setCompletedIndexes(null);
        }
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        ctx.setUncounted();
    }

    /** Step 4: the terminal condition, once every pod is counted and none is terminating. */
    private static boolean addTerminalCondition(JobSyncContext ctx) {
        JobFinish finish = ctx.finish;
        if (finish == null || !ctx.uncFailed.isEmpty() || !ctx.uncSucceeded.isEmpty() || ctx.terminating != 0) {
            return false;
        }
        boolean added = ensureCondition(ctx.status, finish.terminalType(), "True", finish.reason(), finish.message(), ctx.now);
        if (finish.success()) {
            ctx.status.setCompletionTime(condition(ctx.status, JobFinish.COMPLETE).getLastTransitionTime());
        }
        return added;
    }

    /** Upstream's recordJobFinished events. */
    private void recordFinished(Job job, JobFinish finish) {
        if (!finish.success()) {
            recorder.event(job, EventRecorder.WARNING, finish.reason(), finish.message());
            return;
        }
        Integer completions = job.getSpec().getCompletions();
        if (completions != null && n(job.getStatus().getSucceeded()) > completions) {
            recorder.event(job, EventRecorder.WARNING, "TooManySucceededPods",
                    "Too many succeeded pods running after completion count reached");
        }
        recorder.event(job, EventRecorder.NORMAL, "Completed", "Job completed");
    }

    /** The message of the first FailJob rule a failed pod matches (upstream's getFailJobMessage), or null. */
    private static String failJobMessage(Job job, List<Pod> pods) {
        if (job.getSpec().getPodFailurePolicy() == null) {
            return null;
        }
        for (Pod p : pods) {
            if ("Failed".equals(Pods.phase(p))) {
                PodFailurePolicies.Decision decision = PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p);
                if (decision != null && "FailJob".equals(decision.action())) {
                    return decision.message();
                }
            }
        }
        return null;
    }

    private static int n(Integer i) {
        return i == null ? 0 : i;
    }

    private static boolean restartsExceeded(Job job, List<Pod> active, int backoffLimit) {
        var spec = job.getSpec().getTemplate().getSpec();
        if (spec == null || !"OnFailure".equals(spec.getRestartPolicy())) {
            return false;
        }
        int restarts = 0;
        for (Pod p : active) {
            if (p.getStatus() != null && p.getStatus().getContainerStatuses() != null) {
                restarts += p.getStatus().getContainerStatuses().stream()
                        .mapToInt(s -> s.getRestartCount() == null ? 0 : s.getRestartCount()).sum();
            }
        }
        return backoffLimit == 0 ? restarts > 0 : restarts >= backoffLimit;
    }

    /**
     * Upstream's ensureJobConditionStatus: a condition of this type is replaced in place when its status, reason or
     * message differ (both times then move to now); a new one is appended, unless it would say False. Returns whether
     * the conditions changed.
     */
    static boolean ensureCondition(JobStatus s, String type, String status, String reason, String message, Instant now) {
        List<JobCondition> conditions = s.getConditions() == null ? new ArrayList<>() : new ArrayList<>(s.getConditions());
        JobCondition fresh = new JobConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).withLastProbeTime(Times.format(now)).withLastTransitionTime(Times.format(now)).build();
        for (int i = 0; i < conditions.size(); i++) {
            JobCondition current = conditions.get(i);
            if (type.equals(current.getType())) {
                if (status.equals(current.getStatus()) && Objects.equals(reason, current.getReason())
                        && Objects.equals(message, current.getMessage())) {
                    return false;
                }
                conditions.set(i, fresh);
                s.setConditions(conditions);
                return true;
            }
        }
        if ("False".equals(status)) {
            return false;
        }
        conditions.add(fresh);
        s.setConditions(conditions);
        return true;
    }

    /**
     * Creates or deletes pods so that the wanted number is active; returns the active count afterwards. Pods still
     * terminating take a slot when only failed pods are replaced ({@link PodReplacement#onlyReplaceFailed}), and an
     * Indexed Job neither recreates a failed index nor, before its own retry delay is over, an index to be retried.
     */
    private int manageActive(JobSyncContext ctx) {
        Job job = ctx.job;
        List<Pod> active = ctx.active;
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        Integer completionsBoxed = job.getSpec().getCompletions();
        // upstream's diff = wantActive - terminating - active: a terminating pod is not replaced until it failed
        int held = PodReplacement.onlyReplaceFailed(job) ? ctx.terminating : 0;
        List<Pod> toDelete = new ArrayList<>();
        List<Integer> toCreate = new ArrayList<>();
        int activeCount = active.size();
        if (ctx.indexed) {
            int completions = completionsBoxed == null ? 0 : completionsBoxed;
            Map<Integer, Pod> byIndex = new LinkedHashMap<>();
            for (Pod p : active) {
                Integer idx = index(p);
                if (idx == null || idx < 0 || idx >= completions || ctx.succeededIndexes.contains(idx) || byIndex.containsKey(idx)) {
                    toDelete.add(p);
                } else {
                    byIndex.put(idx, p);
                }
            }
            Set<Integer> notPending = new HashSet<>(ctx.succeededIndexes);
            if (ctx.failedIndexes != null) {
                notPending.addAll(ctx.failedIndexes);
            }
            if (held > 0) {
                ctx.pods.stream().filter(PodReplacement::terminating).map(JobController::index)
                        .filter(Objects::nonNull).forEach(notPending::add);
            }
            int room = parallelism - byIndex.size() - held;
            for (int i = 0; i < completions && room > 0; i++) {
                if (!notPending.contains(i) && !byIndex.containsKey(i)) {
                    toCreate.add(i);
                    room--;
                }
            }
            if (byIndex.size() > parallelism) {
                List<Pod> extra = PodRanking.podsToDelete(new ArrayList<>(byIndex.values()), List.of(),
                        byIndex.size() - parallelism, ctx.now);
                toDelete.addAll(extra);
            }
        } else {
            int succeeded = n(ctx.status.getSucceeded()) + ctx.uncSucceeded.size();
            // Without completions, once a pod succeeded the others are left to finish on their own (upstream).
            int wantActive = completionsBoxed == null ? (succeeded > 0 ? activeCount : parallelism)
                    : Math.max(0, Math.min(parallelism, completionsBoxed - succeeded));
            if (activeCount > wantActive) {
                toDelete.addAll(PodRanking.podsToDelete(active, List.of(), activeCount - wantActive, ctx.now));
            } else {
                for (int i = activeCount + held; i < wantActive; i++) {
                    toCreate.add(null);
                }
            }
        }
        if (!toDelete.isEmpty()) {
            activeCount -= deleteAll(ctx.key, job, toDelete);
        }
        if (!toCreate.isEmpty()) {
            toCreate = afterBackoff(ctx, toCreate);
            activeCount += createPods(ctx, toCreate);
        }
        return activeCount;
    }

    /**
     * The pods of {@code toCreate} whose retry delay is over; the Job is queued again for the earliest of the others.
     * Without backoffLimitPerIndex the delay is the Job's ({@link PodBackoff}: doubling with each failure since the
     * last success, counted from the last failure, including those this pass noted); with it, each index has its
     * own, counted from its last failed pod (upstream's getPodCreationInfoForIndependentIndexes).
     */
    private List<Integer> afterBackoff(JobSyncContext ctx, List<Integer> toCreate) {
        if (ctx.failedIndexes == null) {
            Duration wait = ctx.backoff.remaining(backoffBase, MAX_BACKOFF, ctx.now);
            if (!wait.isZero()) {
                enqueueAfter(ctx.key, wait);
                return List.of();
            }
            return toCreate;
        }
        List<Integer> now = new ArrayList<>();
        Duration soonest = null;
        for (Integer idx : toCreate) {
            Duration wait = IndexFailures.remainingBackoff(ctx.delayedDeletions.get(idx), backoffBase, MAX_BACKOFF, ctx.now);
            if (wait.isZero()) {
                now.add(idx);
            } else if (soonest == null || wait.compareTo(soonest) < 0) {
                soonest = wait;
            }
        }
        if (now.isEmpty() && soonest != null) {
            enqueueAfter(ctx.key, soonest);
        }
        return now;
    }

    /** Creates the pods (null: without an index); returns how many were created, throwing the first refusal. */
    private int createPods(JobSyncContext ctx, List<Integer> toCreate) {
        if (toCreate.isEmpty()) {
            return 0;
        }
        expectations.expectCreations(ctx.key, toCreate.size());
        int created = 0;
        RuntimeException error = null;
        for (Integer idx : toCreate) {
            Map<String, String> annotations = idx != null && ctx.failedIndexes != null
                    ? IndexFailures.replacementAnnotations(ctx.job, ctx.delayedDeletions.get(idx)) : Map.of();
            try {
                createPod(ctx.job, idx, annotations);
                created++;
            } catch (RuntimeException e) {
                error = e;
                break;
            }
        }
        if (created < toCreate.size()) {
            expectations.lower(ctx.key, toCreate.size() - created, 0);
        }
        if (error != null) {
            throw error;
        }
        return created;
    }

    private void createPod(Job job, Integer index, Map<String, String> extraAnnotations) {
        Pod pod = PodTemplates.newPod(job.getSpec().getTemplate(), job);
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(pod.getMetadata().getLabels());
        labels.putIfAbsent("batch.kubernetes.io/controller-uid", job.getMetadata().getUid());
        labels.putIfAbsent("batch.kubernetes.io/job-name", job.getMetadata().getName());
        labels.putIfAbsent("controller-uid", job.getMetadata().getUid());
        labels.putIfAbsent("job-name", job.getMetadata().getName());
        List<String> finalizers = pod.getMetadata().getFinalizers() == null ? new ArrayList<>()
                : new ArrayList<>(pod.getMetadata().getFinalizers());
        finalizers.add(TRACKING_FINALIZER);
        pod.getMetadata().setFinalizers(finalizers);
        if (index != null) {
            labels.put(INDEX_ANNOTATION, index.toString());
            Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(pod.getMetadata().getAnnotations());
            ann.put(INDEX_ANNOTATION, index.toString());
            ann.putAll(extraAnnotations);
            pod.getMetadata().setAnnotations(ann);
            pod.getMetadata().setGenerateName(PodTemplates.generateNamePrefix(job.getMetadata().getName() + "-" + index));
            if (pod.getSpec().getHostname() == null || pod.getSpec().getHostname().isEmpty()) {
                pod.getSpec().setHostname(job.getMetadata().getName() + "-" + index);
            }
            EnvVar env = new EnvVarBuilder().withName("JOB_COMPLETION_INDEX").withNewValueFrom().withNewFieldRef()
                    .withFieldPath("metadata.annotations['" + INDEX_ANNOTATION + "']").endFieldRef().endValueFrom().build();
            var containers = new ArrayList<>(pod.getSpec().getContainers());
            containers.forEach(c -> addEnv(c, env));
            if (pod.getSpec().getInitContainers() != null) {
                pod.getSpec().getInitContainers().forEach(c -> addEnv(c, env));
            }
        }
        pod.getMetadata().setLabels(labels);
        try {
            Pod created = client.pods().inNamespace(job.getMetadata().getNamespace()).resource(pod).create();
            recorder.event(job, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            recorder.event(job, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    private static void addEnv(io.fabric8.kubernetes.api.model.Container c, EnvVar env) {
        List<EnvVar> envs = c.getEnv() == null ? new ArrayList<>() : new ArrayList<>(c.getEnv());
        if (envs.stream().noneMatch(e -> env.getName().equals(e.getName()))) {
            envs.add(env);
        }
        c.setEnv(envs);
    }

    /** Deletes the pods; returns how many deletions were issued. */
    private int deleteAll(String key, Job job, List<Pod> pods) {
        return deletePods(key, pods, expectations, p -> {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            recorder.event(job, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
        });
    }

    /**
     * Deletes the pods in turn, expecting each deletion to be observed; returns how many were issued. A pod already
     * gone is not waited for. A refused deletion stops the loop and is thrown (the key is retried), and neither it
     * nor the deletions not yet issued stay expected: as upstream lowers its expectations for every deletion that
     * failed, since an expectation no event will ever meet keeps the job from creating pods until it expires
     * (five minutes).
     */
    static int deletePods(String key, List<Pod> pods, Expectations expectations, java.util.function.Consumer<Pod> delete) {
        if (pods.isEmpty()) {
            return 0;
        }
        expectations.expectDeletions(key, pods.stream().map(Keys::of).toList());
        int deleted = 0;
        for (int i = 0; i < pods.size(); i++) {
            Pod p = pods.get(i);
            try {
                delete.accept(p);
                deleted++;
            } catch (RuntimeException e) {
                expectations.deletionObserved(key, Keys.of(p));
                if (e instanceof KubernetesClientException k && k.getCode() == 404) {
                    continue;
                }
                for (Pod notIssued : pods.subList(i + 1, pods.size())) {
                    expectations.deletionObserved(key, Keys.of(notIssued));
                }
                throw e;
            }
        }
        return deleted;
    }

    private void removeTrackingFinalizer(String key, Pod p) {
        String uid = p.getMetadata().getUid();
        finalizerRemovals.expect(key, uid);
        try {
            patcher.removeFinalizer(p, TRACKING_FINALIZER);
        } catch (KubernetesClientException e) {
            // gone, already without the finalizer, or refused: no informer event will show this removal
            finalizerRemovals.observed(key, uid);
            if (e.getCode() != 404 && e.getCode() != 422) {
                throw e;
            }
        }
    }

    private Job writeStatus(Job job) {
        Job updated = client.batch().v1().jobs().inNamespace(job.getMetadata().getNamespace()).resource(job).updateStatus();
        return updated == null ? job : updated;
    }
}
