package io.kube4j.api.validation;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream 1.32's ValidateJobUpdateStatus: a write through jobs/status is checked on its status alone (the spec is the
 * stored one), with the options the job strategy sets while JobManagedBy is on (beta, on by default in 1.32). A rule
 * about a status field applies only when the write changes that field or the conditions it depends on, as upstream:
 * a status a spec change left out of line (completedIndexes beyond completions scaled down) does not block the
 * controller's next writes, while a bad transition is refused. Messages and paths are upstream's.
 */
final class JobStatusValidation {
    private static final String STATUS = "status";
    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss '+0000 UTC'")
            .withZone(ZoneOffset.UTC);

    private JobStatusValidation() {
    }

    /** The parts of a Job the rules read, absent fields as Go's zero values. */
    private record View(ObjectNode spec, ObjectNode status) {
        static View of(ObjectNode job) {
            return new View(Json.obj(job, "spec"), Json.obj(job, STATUS));
        }

        boolean isTrue(String conditionType) {
            for (ObjectNode c : Json.objs(status, "conditions")) {
                if (conditionType.equals(Json.str(c, "type")) && "True".equals(Json.str(c, "status"))) {
                    return true;
                }
            }
            return false;
        }

        boolean finished() {
            return isTrue("Complete") || isTrue("Failed");
        }

        long count(String field) {
            Long v = Json.lng(status, field);
            return v == null ? 0 : v;
        }

        Long optional(String field) {
            return Json.lng(status, field);
        }

        String completedIndexes() {
            return Json.strOr(status, "completedIndexes", "");
        }

        String failedIndexes() {
            return Json.str(status, "failedIndexes");
        }

        Instant time(String field) {
            String s = Json.str(status, field);
            if (s == null) {
                return null;
            }
            try {
                return Instant.parse(s);
            } catch (DateTimeParseException e) {
                // the request decoder refuses a malformed time; an unreadable one is simply not compared here
                return null;
            }
        }

        ObjectNode uncounted() {
            return Json.obj(status, "uncountedTerminatedPods");
        }
    }

    static void validateUpdate(ObjectNode job, ObjectNode oldJob, List<FieldError> errs) {
        View now = View.of(job);
        View old = View.of(oldJob);
        Changes changed = Changes.between(now, old);
        status(now, changed, errs);
        transitions(now, old, errs);
    }

    /** What the write changes; upstream's getStatusValidationOptions turns each rule on from these. */
    private record Changes(boolean finished, boolean complete, boolean failed, boolean failureTarget,
                           boolean completedIndexes, boolean failedIndexes, boolean active, boolean startTime,
                           boolean completionTime, boolean uncounted, boolean ready, boolean terminating) {
        static Changes between(View now, View old) {
            return new Changes(now.finished() != old.finished(), now.isTrue("Complete") != old.isTrue("Complete"),
                    now.isTrue("Failed") != old.isTrue("Failed"),
                    now.isTrue("FailureTarget") != old.isTrue("FailureTarget"),
                    !now.completedIndexes().equals(old.completedIndexes()),
                    !Objects.equals(now.failedIndexes(), old.failedIndexes()),
                    now.count("active") != old.count("active"),
                    !Objects.equals(now.time("startTime"), old.time("startTime")),
                    !Objects.equals(now.time("completionTime"), old.time("completionTime")),
                    !uncountedEqual(now.uncounted(), old.uncounted()),
                    !Objects.equals(now.optional("ready"), old.optional("ready")),
                    !Objects.equals(now.optional("terminating"), old.optional("terminating")));
        }
    }

    private static boolean indexed(ObjectNode spec) {
        return "Indexed".equals(Json.str(spec, "completionMode"));
    }

    /** Upstream's semantic equality of the pointers: both absent, or both present with the same uids (nil = empty). */
    private static boolean uncountedEqual(ObjectNode a, ObjectNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Json.strs(a, "succeeded").equals(Json.strs(b, "succeeded"))
                && Json.strs(a, "failed").equals(Json.strs(b, "failed"));
    }

    /** validateJobStatus. */
    private static void status(View job, Changes changed, List<FieldError> errs) {
        ObjectNode status = job.status;
        for (String f : List.of("active", "succeeded", "failed", "ready", "terminating")) {
            Checks.nonNegative(status, f, Paths.child(STATUS, f), errs);
        }
        uncountedUids(job.uncounted(), errs);
        boolean complete = job.isTrue("Complete");
        boolean failed = job.isTrue("Failed");
        boolean failureTarget = job.isTrue("FailureTarget");
        boolean successCriteriaMet = job.isTrue("SuccessCriteriaMet");
        boolean finished = job.finished();
        String conditions = "status.conditions";
        Instant startTime = job.time("startTime");
        Instant completionTime = job.time("completionTime");
        if ((changed.complete || changed.failed) && complete && failed) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Complete=True and Failed=true conditions"));
        }
        if ((changed.complete || changed.failureTarget) && complete && failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set Complete=True and FailureTarget=true conditions"));
        }
        boolean completionChanged = changed.complete || changed.completionTime;
        if (completionChanged && completionTime != null && !complete) {
            errs.add(FieldError.invalid("status.completionTime", goTime(completionTime),
                    "cannot set completionTime when there is no Complete=True condition"));
        }
        if (completionChanged && completionTime == null && complete) {
            errs.add(FieldError.required("status.completionTime", "completionTime is required for Complete jobs"));
        }
        if ((changed.startTime || changed.completionTime) && startTime != null && completionTime != null && completionTime.isBefore(startTime)) {
            errs.add(FieldError.invalid("status.completionTime", goTime(completionTime),
                    "completionTime cannot be set before startTime"));
        }
        if ((changed.failed || changed.failedIndexes) && failed && !failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT,
                    "cannot set Failed=True condition without the FailureTarget=true condition"));
        }
        if (changed.complete && complete && !successCriteriaMet) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT,
                    "cannot set Complete=True condition without the SuccessCriteriaMet=true condition"));
        }
        if ((changed.finished || changed.active) && job.count("active") > 0 && finished) {
            errs.add(FieldError.invalid("status.active", job.count("active"), "active>0 is invalid for finished job"));
        }
        if ((changed.finished || changed.startTime) && startTime == null && finished) {
            errs.add(FieldError.required("status.startTime", "startTime is required for finished job"));
        }
        ObjectNode uncounted = job.uncounted();
        if ((changed.finished || changed.uncounted) && finished && uncounted != null
                && Json.strs(uncounted, "failed").size() + Json.strs(uncounted, "succeeded").size() > 0) {
            errs.add(FieldError.invalid("status.uncountedTerminatedPods", goUncounted(uncounted),
                    "uncountedTerminatedPods needs to be empty for finished job"));
        }
        indexes(job, changed, errs);
        Long terminating = job.optional("terminating");
        if ((changed.finished || changed.terminating) && terminating != null && terminating > 0 && finished) {
            errs.add(FieldError.invalid("status.terminating", terminating, "terminating>0 is invalid for finished job"));
        }
        Long ready = job.optional("ready");
        if ((changed.ready || changed.active) && ready != null && ready > job.count("active")) {
            errs.add(FieldError.invalid("status.ready", ready, "cannot set more ready pods than active"));
        }
        // AllowForSuccessCriteriaMetInExtendedScope is on in 1.32, so only these two SuccessCriteriaMet rules remain
        if (successCriteriaMet && failed) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT, "cannot set SuccessCriteriaMet=True and Failed=true conditions"));
        }
        if (successCriteriaMet && failureTarget) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT,
                    "cannot set SuccessCriteriaMet=True and FailureTarget=true conditions"));
        }
        if (Json.has(job.spec, "successPolicy") && !successCriteriaMet && complete) {
            errs.add(FieldError.invalid(conditions, FieldError.OMIT,
                    "cannot set Complete=True for Job with SuccessPolicy unless SuccessCriteriaMet=True"));
        }
    }

    /** The uids of finished pods not yet counted: none empty, none twice across both lists. */
    private static void uncountedUids(ObjectNode uncounted, List<FieldError> errs) {
        if (uncounted == null) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (String list : List.of("succeeded", "failed")) {
            List<String> uids = Json.strs(uncounted, list);
            for (int i = 0; i < uids.size(); i++) {
                String path = Paths.index("status.uncountedTerminatedPods." + list, i);
                String uid = uids.get(i);
                if (uid.isEmpty()) {
                    errs.add(FieldError.invalid(path, uid, "must not be empty"));
                } else if (!seen.add(uid)) {
                    errs.add(FieldError.duplicate(path, uid));
                }
            }
        }
    }

    /** completedIndexes and failedIndexes: well-formed below completions, each only where it belongs, disjoint. */
    private static void indexes(View job, Changes changed, List<FieldError> errs) {
        Long completions = Json.lng(job.spec, "completions");
        String completed = job.completedIndexes();
        String failed = job.failedIndexes();
        boolean perIndex = Json.has(job.spec, "backoffLimitPerIndex");
        if (changed.completedIndexes && completions != null) {
            formatError(completed, completions, "status.completedIndexes", "completedIndexes", errs);
        }
        if (changed.failedIndexes && completions != null && perIndex && failed != null) {
            formatError(failed, completions, "status.failedIndexes", "failedIndexes", errs);
        }
        if (changed.completedIndexes && !completed.isEmpty() && !indexed(job.spec)) {
            errs.add(FieldError.invalid("status.completedIndexes", completed,
                    "cannot set non-empty completedIndexes when non-indexed completion mode"));
        }
        // a non-indexed Job has no backoffLimitPerIndex, so this also keeps failedIndexes off it
        if (changed.failedIndexes && !perIndex && failed != null) {
            errs.add(FieldError.invalid("status.failedIndexes", failed,
                    "cannot set non-null failedIndexes when backoffLimitPerIndex is null"));
        }
        if ((changed.failedIndexes || changed.completedIndexes) && completions != null && failed != null) {
            Long overlap = IndexIntervalFormat.firstOverlap(completed, failed, completions);
            if (overlap != null) {
                errs.add(FieldError.invalid("status.failedIndexes", failed,
                        "failedIndexes and completedIndexes overlap at index: " + overlap));
            }
        }
    }

    private static void formatError(String indexes, long completions, String path, String name, List<FieldError> errs) {
        try {
            IndexIntervalFormat.count(indexes, completions);
        } catch (IllegalArgumentException e) {
            errs.add(FieldError.invalid(path, indexes, "error parsing " + name + ": " + e.getMessage()));
        }
    }

    /** ValidateJobStatusUpdate's rules comparing the write with the stored status. */
    private static void transitions(View now, View old, List<FieldError> errs) {
        for (String type : List.of("Failed", "Complete", "FailureTarget")) {
            if (old.isTrue(type) && !now.isTrue(type)) {
                errs.add(FieldError.invalid("status.conditions", FieldError.OMIT,
                        "cannot disable the terminal " + type + "=True condition"));
            }
        }
        if (now.count("failed") < old.count("failed")) {
            errs.add(FieldError.invalid("status.failed", now.count("failed"), "cannot decrease the failed counter"));
        }
        // an Indexed Job with completions equal to parallelism may lose successes: it can be scaled down
        boolean scalable = indexed(now.spec)
                && Objects.equals(Json.lng(now.spec, "completions"), Json.lng(now.spec, "parallelism"));
        if (!scalable && now.count("succeeded") < old.count("succeeded")) {
            errs.add(FieldError.invalid("status.succeeded", now.count("succeeded"), "cannot decrease the succeeded counter"));
        }
        Instant completionTime = now.time("completionTime");
        Instant oldCompletionTime = old.time("completionTime");
        if (completionTime != null && oldCompletionTime != null && !completionTime.equals(oldCompletionTime)) {
            errs.add(FieldError.invalid("status.completionTime", goTime(completionTime), "completionTime cannot be mutated"));
        }
        Instant oldStartTime = old.time("startTime");
        boolean suspended = Boolean.TRUE.equals(Json.bool(now.spec, "suspend"));
        if (oldStartTime != null && !oldStartTime.equals(now.time("startTime")) && !suspended) {
            errs.add(FieldError.required("status.startTime", "startTime cannot be removed for unsuspended job"));
        }
        if (old.isTrue("SuccessCriteriaMet") && !now.isTrue("SuccessCriteriaMet")) {
            errs.add(FieldError.invalid("status.conditions", FieldError.OMIT, "cannot disable the SuccessCriteriaMet=True condition"));
        }
        if (old.isTrue("Complete") && !old.isTrue("SuccessCriteriaMet") && now.isTrue("SuccessCriteriaMet")) {
            errs.add(FieldError.invalid("status.conditions", FieldError.OMIT,
                    "cannot set SuccessCriteriaMet=True for Job already has Complete=true conditions"));
        }
    }

    /** A metav1.Time as upstream prints the bad value (Go's time.Time String, the server's zone being UTC). */
    private static GoFormat.Raw goTime(Instant t) {
        return new GoFormat.Raw(GO_TIME.format(t));
    }

    /** The UncountedTerminatedPods struct as Go's %#v prints it. */
    private static GoFormat.Raw goUncounted(ObjectNode uncounted) {
        return new GoFormat.Raw("batch.UncountedTerminatedPods{Succeeded:" + goUids(uncounted, "succeeded")
                + ", Failed:" + goUids(uncounted, "failed") + "}");
    }

    private static String goUids(ObjectNode uncounted, String field) {
        if (Json.node(uncounted, field) == null) {
            return "[]types.UID(nil)";
        }
        List<String> quoted = new ArrayList<>();
        for (String uid : Json.strs(uncounted, field)) {
            quoted.add(GoFormat.quote(uid));
        }
        return "[]types.UID{" + String.join(", ", quoted) + "}";
    }
}
