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
import io.fabric8.kubernetes.api.model.batch.v1.UncountedTerminatedPods;
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
import java.util.HashMap;
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
 * status.uncountedTerminatedPods, as upstream does.
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
    private final Map<String, Instant> lastFailure = new ConcurrentHashMap<>();
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
            lastFailure.remove(Keys.of(j));
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

    private static boolean isIndexed(Job job) {
        return "Indexed".equals(job.getSpec().getCompletionMode());
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

    private static boolean finished(Pod p) {
        return Pods.isTerminal(p) || p.getMetadata().getDeletionTimestamp() != null;
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
        List<Pod> pods = new ArrayList<>();
        for (Pod p : informers.inNamespace(Pod.class, job.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(p, job)) {
                pods.add(p);
            }
        }
        if (isFinished(job)) {
            for (Pod p : pods) {
                if (hasTrackingFinalizer(p)) {
                    removeTrackingFinalizer(key, p);
                }
            }
            return;
        }
        Instant now = clock.instant();
        JobStatus status = job.getStatus() == null ? new JobStatus() : job.getStatus();
        job.setStatus(status);
        boolean suspended = Boolean.TRUE.equals(job.getSpec().getSuspend());
        if (status.getStartTime() == null && !suspended) {
            status.setStartTime(Times.format(now));
        }
        int completions = job.getSpec().getCompletions() == null ? -1 : job.getSpec().getCompletions();
        TreeSet<Integer> completed = CompletedIndexes.parse(status.getCompletedIndexes(), Math.max(0, completions));

        // 1. Note finished pods as uncounted (their uids), to be counted once their finalizer is gone.
        UncountedTerminatedPods uncounted = status.getUncountedTerminatedPods() == null
                ? new UncountedTerminatedPods() : status.getUncountedTerminatedPods();
        Set<String> uncSucceeded = new LinkedHashSet<>(uncounted.getSucceeded() == null ? List.of() : uncounted.getSucceeded());
        Set<String> uncFailed = new LinkedHashSet<>(uncounted.getFailed() == null ? List.of() : uncounted.getFailed());
        boolean newEntries = false;
        List<Pod> toUnfinalize = new ArrayList<>();
        for (Pod p : pods) {
            String uid = p.getMetadata().getUid();
            // a pod whose finalizer this controller already removed was counted (or is about to be): not again
            if (!finished(p) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(key, uid)) {
                continue;
            }
            toUnfinalize.add(p);
            if (uncSucceeded.contains(uid) || uncFailed.contains(uid)) {
                continue;
            }
            if ("Succeeded".equals(Pods.phase(p))) {
                uncSucceeded.add(uid);
                newEntries = true;
                continue;
            }
            PodFailurePolicies.Decision decision = "Failed".equals(Pods.phase(p))
                    ? PodFailurePolicies.match(job.getSpec().getPodFailurePolicy(), p) : null;
            if (decision != null && "Ignore".equals(decision.action())) {
                continue;
            }
            uncFailed.add(uid);
            newEntries = true;
        }
        Map<String, Pod> byUid = new HashMap<>();
        pods.forEach(p -> byUid.put(p.getMetadata().getUid(), p));

        // 2. The Job's end, from counts that include the uncounted pods (upstream's syncJobCtx).
        List<Pod> active = pods.stream().filter(Pods::isActive).toList();
        int terminating = (int) pods.stream().filter(p -> p.getMetadata().getDeletionTimestamp() != null && !Pods.isTerminal(p)).count();
        TreeSet<Integer> succeededIndexes = new TreeSet<>(completed);
        if (isIndexed(job)) {
            for (String uid : uncSucceeded) {
                Integer idx = byUid.get(uid) == null ? null : index(byUid.get(uid));
                if (idx != null && idx >= 0 && idx < completions) {
                    succeededIndexes.add(idx);
                }
            }
        }
        int succeededSoFar = isIndexed(job) ? succeededIndexes.size() : n(status.getSucceeded()) + uncSucceeded.size();
        int failedSoFar = n(status.getFailed()) + uncFailed.size();
        int backoffLimit = job.getSpec().getBackoffLimit() == null ? JobFinish.DEFAULT_BACKOFF_LIMIT : job.getSpec().getBackoffLimit();
        JobFinish finish = JobFinish.decide(job, new JobFinish.Counts(succeededSoFar, failedSoFar, active.size(),
                failJobMessage(job, pods), restartsExceeded(job, active, backoffLimit)), now);

        int activeCount = active.size();
        int ready = (int) active.stream().filter(Pods::isReady).count();
        boolean interimAdded = false;
        if (finish != null) {
            // The pods still running are deleted; they count as terminating until they are gone.
            int deleted = deleteAll(key, job, active);
            activeCount -= deleted;
            terminating += deleted;
            if (activeCount == 0) {
                ready = 0;
            }
            if (conditionTrue(status, finish.interimType())) {
                // recorded by an earlier pass: only the terminal condition is left to add
            } else if (satisfied && activeCount == 0) {
                interimAdded = ensureCondition(status, finish.interimType(), "True", finish.reason(), finish.message(), now);
            } else {
                // pods this controller expects to see, or deletions not yet issued: decide again on the next pass
                finish = null;
            }
        } else if (suspended) {
            activeCount -= deleteAll(key, job, active);
            ready = activeCount == 0 ? 0 : ready;
            if (ensureCondition(status, "Suspended", "True", "JobSuspended", "Job suspended", now)) {
                recorder.event(job, EventRecorder.NORMAL, "Suspended", "Job suspended");
            }
        } else {
            JobCondition susp = condition(status, "Suspended");
            if (susp != null && "True".equals(susp.getStatus())) {
                ensureCondition(status, "Suspended", "False", "JobResumed", "Job resumed", now);
                recorder.event(job, EventRecorder.NORMAL, "Resumed", "Job resumed");
                // the active deadline counts from the resumption, as upstream
                status.setStartTime(Times.format(now));
            }
            if (satisfied) {
                activeCount = manageActive(key, job, active, succeededIndexes, succeededSoFar, now);
            }
            Long ads = job.getSpec().getActiveDeadlineSeconds();
            if (ads != null) {
                Instant deadline = Times.parse(status.getStartTime()).plusSeconds(ads);
                enqueueAfter(key, Duration.between(now, deadline).plusMillis(100));
            }
        }
        status.setActive(activeCount);
        status.setReady(ready);
        status.setTerminating(terminating);
        JobStatus written = cached.getStatus();
        if (newEntries || interimAdded) {
            // Written before any finalizer goes, so a pass that crashes after removing one still counts its pod and
            // still knows the verdict (upstream's reason for the interim conditions).
            status.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(uncFailed), new ArrayList<>(uncSucceeded)));
            job = writeStatus(job);
            status = job.getStatus();
            written = new JobStatusBuilder(status).build();
        }

        // 3. Remove the finalizers of finished pods, then count those whose finalizer is gone.
        Set<String> unfinalized = new LinkedHashSet<>();
        for (Pod p : toUnfinalize) {
            removeTrackingFinalizer(key, p);
            unfinalized.add(p.getMetadata().getUid());
        }
        int succeeded = n(status.getSucceeded());
        int failed = n(status.getFailed());
        int newFailures = 0;
        for (String uid : new ArrayList<>(uncSucceeded)) {
            Pod p = byUid.get(uid);
            if (p == null || unfinalized.contains(uid) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(key, uid)) {
                uncSucceeded.remove(uid);
                Integer idx = p == null ? null : index(p);
                if (isIndexed(job)) {
                    if (idx != null && idx >= 0 && idx < completions) {
                        completed.add(idx);
                    }
                } else {
                    succeeded++;
                }
            }
        }
        for (String uid : new ArrayList<>(uncFailed)) {
            Pod p = byUid.get(uid);
            if (p == null || unfinalized.contains(uid) || !hasTrackingFinalizer(p) || finalizerRemovals.expected(key, uid)) {
                uncFailed.remove(uid);
                failed++;
                newFailures++;
            }
        }
        if (isIndexed(job)) {
            succeeded = completed.size();
            status.setCompletedIndexes(CompletedIndexes.format(completed));
        } else {
            status.setCompletedIndexes(null);
        }
        if (newFailures > 0) {
            lastFailure.put(key, now);
        }
        status.setSucceeded(succeeded);
        status.setFailed(failed);
        status.setUncountedTerminatedPods(new UncountedTerminatedPods(new ArrayList<>(uncFailed), new ArrayList<>(uncSucceeded)));

        // 4. The terminal condition, once every pod is counted and none is terminating.
        boolean finishedNow = false;
        if (finish != null && uncFailed.isEmpty() && uncSucceeded.isEmpty() && terminating == 0) {
            finishedNow = ensureCondition(status, finish.terminalType(), "True", finish.reason(), finish.message(), now);
            if (finish.success()) {
                status.setCompletionTime(condition(status, JobFinish.COMPLETE).getLastTransitionTime());
            }
        }
        if (!Objects.equals(status, written)) {
            job = writeStatus(job);
        }
        if (finishedNow) {
            recordFinished(job, finish);
        }
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

    /** Creates or deletes pods so that the wanted number is active; returns the active count afterwards. */
    private int manageActive(String key, Job job, List<Pod> active, TreeSet<Integer> completed, int succeeded, Instant now) {
        int parallelism = job.getSpec().getParallelism() == null ? 1 : job.getSpec().getParallelism();
        Integer completionsBoxed = job.getSpec().getCompletions();
        List<Pod> toDelete = new ArrayList<>();
        List<Integer> toCreate = new ArrayList<>();
        int activeCount = active.size();
        if (isIndexed(job)) {
            int completions = completionsBoxed == null ? 0 : completionsBoxed;
            Map<Integer, Pod> byIndex = new LinkedHashMap<>();
            for (Pod p : active) {
                Integer idx = index(p);
                if (idx == null || idx < 0 || idx >= completions || completed.contains(idx) || byIndex.containsKey(idx)) {
                    toDelete.add(p);
                } else {
                    byIndex.put(idx, p);
                }
            }
            int room = parallelism - byIndex.size();
            for (int i = 0; i < completions && room > 0; i++) {
                if (!completed.contains(i) && !byIndex.containsKey(i)) {
                    toCreate.add(i);
                    room--;
                }
            }
            if (byIndex.size() > parallelism) {
                List<Pod> extra = PodRanking.podsToDelete(new ArrayList<>(byIndex.values()), List.of(),
                        byIndex.size() - parallelism, now);
                toDelete.addAll(extra);
            }
        } else {
            // Without completions, once a pod succeeded the others are left to finish on their own (upstream).
            int wantActive = completionsBoxed == null ? (succeeded > 0 ? activeCount : parallelism)
                    : Math.max(0, Math.min(parallelism, completionsBoxed - succeeded));
            if (activeCount > wantActive) {
                toDelete.addAll(PodRanking.podsToDelete(active, List.of(), activeCount - wantActive, now));
            } else {
                for (int i = activeCount; i < wantActive; i++) {
                    toCreate.add(null);
                }
            }
        }
        if (!toDelete.isEmpty()) {
            activeCount -= deleteAll(key, job, toDelete);
        }
        if (!toCreate.isEmpty()) {
            Instant last = lastFailure.get(key);
            int failed = n(job.getStatus().getFailed());
            if (last != null && failed > 0) {
                Duration delay = backoffBase.multipliedBy(1L << Math.min(20, failed - 1));
                if (delay.compareTo(MAX_BACKOFF) > 0) {
                    delay = MAX_BACKOFF;
                }
                Instant readyAt = last.plus(delay);
                if (now.isBefore(readyAt)) {
                    enqueueAfter(key, Duration.between(now, readyAt));
                    return activeCount;
                }
            }
            expectations.expectCreations(key, toCreate.size());
            int created = 0;
            RuntimeException error = null;
            for (Integer idx : toCreate) {
                try {
                    createPod(job, idx);
                    created++;
                } catch (RuntimeException e) {
                    error = e;
                    break;
                }
            }
            if (created < toCreate.size()) {
                expectations.lower(key, toCreate.size() - created, 0);
            }
            activeCount += created;
            if (error != null) {
                throw error;
            }
        }
        return activeCount;
    }

    private void createPod(Job job, Integer index) {
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
