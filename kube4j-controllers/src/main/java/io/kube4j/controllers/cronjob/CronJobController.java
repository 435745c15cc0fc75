package io.kube4j.controllers.cronjob;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.job.JobController;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Creates a Job for each scheduled time of a CronJob (cron syntax, optional time zone), honouring
 * suspend, startingDeadlineSeconds, concurrencyPolicy (Allow, Forbid, Replace) and the history
 * limits; the clock is injectable so schedules can be tested without waiting.
 */
public final class CronJobController extends Controller {
    public static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
    static final int MAX_MISSED = 100;

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final Clock clock;

    public CronJobController(ControllerContext ctx) {
        super("cronjob-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("cronjob-controller");
        this.clock = ctx.clock();
        informers.of(CronJob.class).addEventHandler(Handlers.any(this::enqueue));
        informers.of(Job.class).addEventHandler(Handlers.any(this::jobChanged));
    }

    private void jobChanged(Job job) {
        OwnerReference ref = OwnerRefs.controllerOf(job);
        if (ref != null && "CronJob".equals(ref.getKind())) {
            enqueue(Keys.of(job.getMetadata().getNamespace(), ref.getName()));
        }
    }

    /** Upstream names a scheduled job after the scheduled time in minutes since the epoch. */
    public static String jobName(CronJob cj, Instant scheduled) {
        return cj.getMetadata().getName() + "-" + (scheduled.getEpochSecond() / 60);
    }

    @Override
    public void sync(String key) {
        CronJob cached = informers.get(CronJob.class, key);
        if (cached == null) {
            return;
        }
        CronJob cj = new CronJobBuilder(cached).build();
        CronJobStatus status = cj.getStatus() == null ? new CronJobStatus() : cj.getStatus();
        cj.setStatus(status);
        Instant now = clock.instant();
        List<Job> jobs = new ArrayList<>();
        for (Job j : informers.inNamespace(Job.class, cj.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(j, cj)) {
                jobs.add(j);
            }
        }
        syncActive(cj, status, jobs);
        if (cj.getMetadata().getDeletionTimestamp() != null) {
            writeIfChanged(cj, cached);
            return;
        }
        ZoneId zone;
        CronSchedule schedule;
        try {
            zone = cj.getSpec().getTimeZone() == null ? clock.getZone() : ZoneId.of(cj.getSpec().getTimeZone());
            schedule = CronSchedule.parse(cj.getSpec().getSchedule(), zone);
        } catch (RuntimeException e) {
            recorder.event(cj, EventRecorder.WARNING, "UnparseableSchedule",
                    "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
            writeIfChanged(cj, cached);
            return;
        }
        if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) {
            writeIfChanged(cj, cached);
            return;
        }
        cleanupFinishedJobs(cj, jobs);
        Instant scheduled = mostRecentScheduleTime(cj, schedule, now);
        if (scheduled == null) {
            writeIfChanged(cj, cached);
            requeueAtNext(key, schedule, now);
            return;
        }
        Long deadline = cj.getSpec().getStartingDeadlineSeconds();
        if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
            recorder.event(cj, EventRecorder.WARNING, "MissSchedule", "Missed scheduled time to start a job: "
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(scheduled.atZone(zone)));
            writeIfChanged(cj, cached);
            requeueAtNext(key, schedule, now);
            return;
        }
        String name = jobName(cj, scheduled);
        boolean alreadyCreated = jobs.stream().anyMatch(j -> name.equals(j.getMetadata().getName()))
                || status.getActive() != null && status.getActive().stream().anyMatch(r -> name.equals(r.getName()));
        if (alreadyCreated) {
            status.setLastScheduleTime(Times.format(scheduled));
            writeIfChanged(cj, cached);
            requeueAtNext(key, schedule, now);
            return;
        }
        String policy = cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
        boolean hasActive = status.getActive() != null && !status.getActive().isEmpty();
        if ("Forbid".equals(policy) && hasActive) {
            recorder.event(cj, EventRecorder.NORMAL, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
            writeIfChanged(cj, cached);
            requeueAtNext(key, schedule, now);
            return;
        }
        if ("Replace".equals(policy) && hasActive) {
            for (ObjectReference ref : new ArrayList<>(status.getActive())) {
                deleteJob(cj, ref.getName());
                status.getActive().remove(ref);
            }
        }
        Job created = createJob(cj, scheduled, zone, name);
        if (created != null) {
            List<ObjectReference> active = status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive());
            active.add(reference(created));
            status.setActive(active);
        }
        status.setLastScheduleTime(Times.format(scheduled));
        writeIfChanged(cj, cached);
        requeueAtNext(key, schedule, now);
    }

    private static ObjectReference reference(Job j) {
        return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job")
                .withNamespace(j.getMetadata().getNamespace()).withName(j.getMetadata().getName())
                .withUid(j.getMetadata().getUid()).withResourceVersion(j.getMetadata().getResourceVersion()).build();
    }

    /**
     * Upstream's bookkeeping of status.active: a listed job leaves it when it finishes or is gone, and records the last
     * success. An unfinished child job that is not listed is not adopted - it is one whose status write was lost, a
     * cache newer than the status, or one somebody made (`kubectl create job --from=cronjob/...`) - it gets a warning.
     */
    private void syncActive(CronJob cj, CronJobStatus status, List<Job> jobs) {
        List<ObjectReference> active = status.getActive() == null ? new ArrayList<>() : new ArrayList<>(status.getActive());
        List<ObjectReference> live = null;
        for (Job j : jobs) {
            boolean listed = active.stream().anyMatch(ref -> refersTo(ref, j));
            boolean finished = JobController.isFinished(j);
            if (!listed && !finished) {
                // the cached CronJob may predate the status write that listed this job: ask the API server, as upstream
                if (live == null) {
                    live = liveActive(cj);
                }
                ObjectReference known = live.stream().filter(ref -> refersTo(ref, j)).findFirst().orElse(null);
                if (known != null) {
                    active.add(known);
                    continue;
                }
                recorder.event(cj, EventRecorder.WARNING, "UnexpectedJob",
                        "Saw a job that the controller did not create or forgot: " + j.getMetadata().getName());
            } else if (listed && finished) {
                active.removeIf(ref -> refersTo(ref, j));
                recorder.event(cj, EventRecorder.NORMAL, "SawCompletedJob", "Saw completed job: "
                        + j.getMetadata().getName() + ", condition: " + (jobConditionTrue(j, "Complete") ? "Complete" : "Failed"));
            }
            if (finished && jobConditionTrue(j, "Complete")) {
                String completion = j.getStatus().getCompletionTime();
                if (completion != null && (status.getLastSuccessfulTime() == null
                        || Times.parse(completion).isAfter(Times.parse(status.getLastSuccessfulTime())))) {
                    status.setLastSuccessfulTime(completion);
                }
            }
        }
        // A listed job the cache does not have: a job just created may not be in the cache yet, so ask the API server
        for (ObjectReference ref : new ArrayList<>(active)) {
            if (jobs.stream().noneMatch(j -> refersTo(ref, j)) && client.batch().v1().jobs()
                    .inNamespace(cj.getMetadata().getNamespace()).withName(ref.getName()).get() == null) {
                active.remove(ref);
                recorder.event(cj, EventRecorder.NORMAL, "MissingJob", "Active job went missing: " + ref.getName());
            }
        }
        active.sort(Comparator.comparing(ObjectReference::getName));
        // empty, not null: the client reads an absent list as empty, which a null would never equal (a write per sync)
        status.setActive(active);
    }

    private List<ObjectReference> liveActive(CronJob cj) {
        CronJob current = client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace())
                .withName(cj.getMetadata().getName()).get();
        return current == null || current.getStatus() == null || current.getStatus().getActive() == null
                ? List.of() : current.getStatus().getActive();
    }

    /** By uid, as upstream; by name for a reference written without one. */
    private static boolean refersTo(ObjectReference ref, Job j) {
        return ref.getUid() != null ? ref.getUid().equals(j.getMetadata().getUid())
                : ref.getName().equals(j.getMetadata().getName());
    }

    private static boolean jobConditionTrue(Job j, String type) {
        return j.getStatus() != null && j.getStatus().getConditions() != null && j.getStatus().getConditions().stream()
                .anyMatch(c -> type.equals(c.getType()) && "True".equals(c.getStatus()));
    }

    Instant mostRecentScheduleTime(CronJob cj, CronSchedule schedule, Instant now) {
        String last = cj.getStatus().getLastScheduleTime();
        Instant earliest = last != null ? Times.parse(last) : Times.parse(cj.getMetadata().getCreationTimestamp());
        if (earliest == null) {
            earliest = now;
        }
        Long deadline = cj.getSpec().getStartingDeadlineSeconds();
        if (deadline != null) {
            Instant schedulingDeadline = now.minusSeconds(deadline);
            if (schedulingDeadline.isAfter(earliest)) {
                earliest = schedulingDeadline;
            }
        }
        Instant mostRecent = null;
        int missed = 0;
        ZonedDateTime t = schedule.next(earliest.atZone(schedule.zone()));
        while (t != null && !t.toInstant().isAfter(now)) {
            mostRecent = t.toInstant();
            if (++missed > MAX_MISSED) {
                recorder.event(cj, EventRecorder.WARNING, "TooManyMissedTimes",
                        "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
                // Jump close to now rather than walking every missed time.
                ZonedDateTime recent = schedule.next(now.minus(Duration.ofDays(1)).atZone(schedule.zone()));
                while (recent != null && !recent.toInstant().isAfter(now)) {
                    mostRecent = recent.toInstant();
                    recent = schedule.next(recent);
                }
                break;
            }
            t = schedule.next(t);
        }
        return mostRecent;
    }

    private void requeueAtNext(String key, CronSchedule schedule, Instant now) {
        ZonedDateTime next = schedule.next(now.atZone(schedule.zone()));
        if (next != null) {
            enqueueAfter(key, Duration.between(now, next.toInstant()).plusMillis(100));
        }
    }

    private Job createJob(CronJob cj, Instant scheduled, ZoneId zone, String name) {
        var template = cj.getSpec().getJobTemplate();
        Map<String, String> labels = template.getMetadata() == null || template.getMetadata().getLabels() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(template.getMetadata().getLabels());
        Map<String, String> annotations = template.getMetadata() == null || template.getMetadata().getAnnotations() == null
                ? new LinkedHashMap<>() : new LinkedHashMap<>(template.getMetadata().getAnnotations());
        annotations.put(SCHEDULED_TIMESTAMP, DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(scheduled.atZone(zone)));
        Job job = new JobBuilder().withNewMetadata().withName(name).withNamespace(cj.getMetadata().getNamespace())
                .withLabels(labels).withAnnotations(annotations).withOwnerReferences(OwnerRefs.newControllerRef(cj))
                .endMetadata().withSpec(new JobSpecBuilder(template.getSpec()).build()).build();
        try {
            Job created = client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).resource(job).create();
            recorder.event(cj, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + name);
            return created;
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return null;
            }
            recorder.event(cj, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + e.getMessage());
            throw e;
        }
    }

    private void deleteJob(CronJob cj, String name) {
        try {
            client.batch().v1().jobs().inNamespace(cj.getMetadata().getNamespace()).withName(name)
                    .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
            recorder.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + name);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void cleanupFinishedJobs(CronJob cj, List<Job> jobs) {
        int successfulLimit = cj.getSpec().getSuccessfulJobsHistoryLimit() == null ? 3 : cj.getSpec().getSuccessfulJobsHistoryLimit();
        int failedLimit = cj.getSpec().getFailedJobsHistoryLimit() == null ? 1 : cj.getSpec().getFailedJobsHistoryLimit();
        removeOldest(cj, jobs.stream().filter(j -> jobConditionTrue(j, "Complete")).toList(), successfulLimit);
        removeOldest(cj, jobs.stream().filter(j -> jobConditionTrue(j, "Failed")).toList(), failedLimit);
    }

    private void removeOldest(CronJob cj, List<Job> finished, int limit) {
        if (finished.size() <= limit) {
            return;
        }
        List<Job> sorted = new ArrayList<>(finished);
        sorted.sort(Comparator.comparing((Job j) -> j.getStatus().getStartTime() == null ? ""
                : j.getStatus().getStartTime()).thenComparing(j -> j.getMetadata().getName()));
        for (int i = 0; i < sorted.size() - limit; i++) {
            deleteJob(cj, sorted.get(i).getMetadata().getName());
        }
    }

    private void writeIfChanged(CronJob cj, CronJob cached) {
        // a new CronJob comes with no status: that is an empty one, not a change to write (upstream writes nothing)
        if (Objects.equals(cj.getStatus(), cached.getStatus() == null ? new CronJobStatus() : cached.getStatus())) {
            return;
        }
        try {
            client.batch().v1().cronjobs().inNamespace(cj.getMetadata().getNamespace()).resource(cj).updateStatus();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
