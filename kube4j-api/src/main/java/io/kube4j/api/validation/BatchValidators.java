package io.kube4j.api.validation;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ObjectNode;

/** batch/v1 Job and CronJob. */
final class BatchValidators {
    private static final int MAX_MANAGED_BY_LENGTH = 63;

    private BatchValidators() {
    }

    static void register(Map<String, Validator> into) {
        into.put("batch/Job", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode job, List<FieldError> errs) {
                ObjectNode spec = Json.obj(job, "spec");
                jobSpec(spec, "spec", errs);
                boolean manual = Boolean.TRUE.equals(Json.bool(spec, "manualSelector"));
                String uid = Json.strOr(Json.obj(job, "metadata"), "uid", "");
                if (!manual && uid.isEmpty() && !Json.has(spec, "selector")) {
                    // The selector is generated from the uid on create; without a uid there is nothing to check yet.
                    return;
                }
                ObjectNode selector = Json.obj(spec, "selector");
                if (selector == null) {
                    errs.add(FieldError.required("spec.selector", ""));
                } else {
                    LabelSelectors.validate(selector, "spec.selector", errs);
                    ObjectNode labels = Json.obj(Json.obj(Json.obj(spec, "template"), "metadata"), "labels");
                    if (!LabelSelectors.matches(selector, labels)) {
                        errs.add(FieldError.invalid("spec.template.metadata.labels", Checks.stringMap(labels),
                                "`selector` does not match template `labels`"));
                    }
                }
            }

            @Override
            void prepareCreate(ObjectNode job) {
                // upstream's job strategy generates the selector inside Validate, before the checks
                generateSelector(job);
            }

            /**
             * Upstream's job status strategy checks the status alone: the spec is the stored one, and a Job stored
             * before a spec rule existed must not block its controller's status writes.
             */
            @Override
            void validateStatusForUpdate(ObjectNode job, ObjectNode old, List<FieldError> errs) {
                JobStatusValidation.validateUpdate(job, old, errs);
            }

            @Override
            void validateImmutable(ObjectNode job, ObjectNode old, List<FieldError> errs) {
                ObjectNode spec = Json.obj(job, "spec");
                ObjectNode oldSpec = Json.obj(old, "spec");
                if (!"Indexed".equals(Json.str(spec, "completionMode"))) {
                    Checks.immutable(Json.node(spec, "completions"), Json.node(oldSpec, "completions"), "spec.completions", errs);
                }
                WorkloadValidators.immutableSelector(job, old, errs);
                boolean suspended = Boolean.TRUE.equals(Json.bool(oldSpec, "suspend"));
                if (!suspended && !SemanticEquality.equal(Json.node(spec, "template"), Json.node(oldSpec, "template"))) {
                    errs.add(FieldError.invalid("spec.template", new GoFormat.Raw(String.valueOf(Json.node(spec, "template"))),
                            ObjectMetaValidation.IMMUTABLE));
                }
                for (String f : List.of("completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy")) {
                    if (!SemanticEquality.equal(Json.node(spec, f), Json.node(oldSpec, f))) {
                        Checks.immutable(Json.node(spec, f), Json.node(oldSpec, f), Paths.child("spec", f), errs);
                    }
                }
            }
        });
        into.put("batch/CronJob", new KindValidator(true, NameFn.DNS_SUBDOMAIN) {
            @Override
            void validate(ObjectNode cj, List<FieldError> errs) {
                cronJobSpec(Json.obj(cj, "spec"), null, errs);
            }

            @Override
            void validateNew(ObjectNode cj, List<FieldError> errs) {
                String name = Json.strOr(Json.obj(cj, "metadata"), "name", "");
                if (name.length() > 52) {
                    errs.add(FieldError.invalid("metadata.name", name, "must be no more than 52 characters"));
                }
            }

            @Override
            void validateForUpdate(ObjectNode cj, ObjectNode old, List<FieldError> errs) {
                cronJobSpec(Json.obj(cj, "spec"), Json.obj(old, "spec"), errs);
            }
        });
    }

    /**
     * Upstream's job strategy, on create: unless {@code spec.manualSelector} is true, the selector is
     * {@code batch.kubernetes.io/controller-uid=<uid>} and the pod template carries the job's labels. Needs
     * {@code metadata.uid}; does nothing without it.
     */
    static void generateSelector(ObjectNode job) {
        ObjectNode meta = Json.obj(job, "metadata");
        ObjectNode spec = Json.obj(job, "spec");
        String uid = Json.strOr(meta, "uid", "");
        String name = Json.strOr(meta, "name", "");
        if (spec == null || uid.isEmpty() || Boolean.TRUE.equals(Json.bool(spec, "manualSelector"))) {
            return;
        }
        ObjectNode template = spec.has("template") && spec.get("template").isObject() ? (ObjectNode) spec.get("template") : spec.putObject("template");
        ObjectNode tmeta = template.has("metadata") && template.get("metadata").isObject() ? (ObjectNode) template.get("metadata") : template.putObject("metadata");
        ObjectNode labels = tmeta.has("labels") && tmeta.get("labels").isObject() ? (ObjectNode) tmeta.get("labels") : tmeta.putObject("labels");
        if (!labels.has("controller-uid")) {
            labels.put("controller-uid", uid);
        }
        if (!labels.has("batch.kubernetes.io/controller-uid")) {
            labels.put("batch.kubernetes.io/controller-uid", uid);
        }
        if (NameValidation.isValidLabelValue(name).isEmpty()) {
            if (!labels.has("job-name")) {
                labels.put("job-name", name);
            }
            if (!labels.has("batch.kubernetes.io/job-name")) {
                labels.put("batch.kubernetes.io/job-name", name);
            }
        }
        if (!Json.has(spec, "selector")) {
            spec.putObject("selector").putObject("matchLabels").put("batch.kubernetes.io/controller-uid", uid);
        }
    }

    /** validateJobSpec: counts, completion mode, and a pod template that restarts OnFailure or Never. */
    static void jobSpec(ObjectNode spec, String path, List<FieldError> errs) {
        for (String f : List.of("parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished")) {
            Checks.nonNegative(spec, f, Paths.child(path, f), errs);
        }
        String managedBy = Json.str(spec, "managedBy");
        if (managedBy != null) {
            // the controller that owns the Job's status, e.g. kueue.x-k8s.io/multikueue (upstream 1.32, beta)
            String mp = Paths.child(path, "managedBy");
            Checks.domainPrefixedPath(managedBy, mp, errs);
            if (NameValidation.length(managedBy) > MAX_MANAGED_BY_LENGTH) {
                errs.add(FieldError.tooLong(mp, "", MAX_MANAGED_BY_LENGTH));
            }
        }
        String mode = Json.str(spec, "completionMode");
        if (mode != null && !mode.equals("NonIndexed") && !mode.equals("Indexed")) {
            errs.add(FieldError.notSupported(Paths.child(path, "completionMode"), mode, List.of("NonIndexed", "Indexed")));
        }
        if ("Indexed".equals(mode) && !Json.has(spec, "completions")) {
            errs.add(FieldError.required(Paths.child(path, "completions"), "when completion mode is Indexed"));
        }
        JobPolicyValidation.validate(spec, path, errs);
        ObjectNode template = Json.obj(spec, "template");
        String tp = Paths.child(path, "template");
        PodValidator.validateTemplate(template, tp, errs);
        String restart = Json.strOr(Json.obj(template, "spec"), "restartPolicy", "");
        String rp = Paths.child(Paths.child(tp, "spec"), "restartPolicy");
        if (restart.equals("Always") || restart.isEmpty()) {
            errs.add(FieldError.required(rp, "valid values: \"OnFailure\", \"Never\""));
        } else if (!restart.equals("OnFailure") && !restart.equals("Never")) {
            errs.add(FieldError.notSupported(rp, restart, List.of("OnFailure", "Never")));
        } else if (Json.has(spec, "podFailurePolicy") && !restart.equals("Never")) {
            errs.add(FieldError.invalid(rp, restart, "only \"Never\" is supported when podFailurePolicy is specified"));
        }
    }

    static void cronJobSpec(ObjectNode spec, ObjectNode oldSpec, List<FieldError> errs) {
        String schedule = Json.strOr(spec, "schedule", "");
        String timeZone = Json.str(spec, "timeZone");
        if (schedule.isEmpty()) {
            errs.add(FieldError.required("spec.schedule", ""));
        } else {
            String err = CronSchedule.check(schedule);
            if (err != null) {
                errs.add(FieldError.invalid("spec.schedule", schedule, err));
            }
            boolean allowTz = oldSpec != null && Json.strOr(oldSpec, "schedule", "").contains("TZ");
            if (allowTz && schedule.contains("TZ") && timeZone != null) {
                errs.add(FieldError.invalid("spec.schedule", schedule, "cannot use both timeZone field and TZ or CRON_TZ in schedule"));
            } else if (!allowTz && schedule.contains("TZ")) {
                errs.add(FieldError.invalid("spec.schedule", schedule, "cannot use TZ or CRON_TZ in schedule, use timeZone field instead"));
            }
        }
        Checks.nonNegative(spec, "startingDeadlineSeconds", "spec.startingDeadlineSeconds", errs);
        if (timeZone != null && (oldSpec == null || !timeZone.equals(Json.str(oldSpec, "timeZone")))) {
            if (timeZone.isEmpty()) {
                errs.add(FieldError.invalid("spec.timeZone", timeZone, "timeZone must be nil or non-empty string"));
            } else if (timeZone.equalsIgnoreCase("Local")) {
                errs.add(FieldError.invalid("spec.timeZone", timeZone, "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"));
            } else {
                try {
                    ZoneId.of(timeZone);
                } catch (DateTimeException e) {
                    errs.add(FieldError.invalid("spec.timeZone", timeZone, "unknown time zone " + timeZone));
                }
            }
        }
        Checks.oneOf(Json.str(spec, "concurrencyPolicy"), List.of("Allow", "Forbid", "Replace"), "spec.concurrencyPolicy", errs);
        ObjectNode jobTemplate = Json.obj(spec, "jobTemplate");
        ObjectNode jobMeta = Json.obj(jobTemplate, "metadata");
        errs.addAll(ObjectMetaValidation.validateLabels(Json.obj(jobMeta, "labels"), "spec.jobTemplate.metadata.labels"));
        errs.addAll(ObjectMetaValidation.validateAnnotations(Json.obj(jobMeta, "annotations"), "spec.jobTemplate.metadata.annotations"));
        ObjectNode jobSpec = Json.obj(jobTemplate, "spec");
        jobSpec(jobSpec, "spec.jobTemplate.spec", errs);
        if (Boolean.TRUE.equals(Json.bool(jobSpec, "manualSelector"))) {
            errs.add(FieldError.notSupported("spec.jobTemplate.spec.manualSelector", true, List.of("nil", "false")));
        }
        Checks.nonNegative(spec, "successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit", errs);
        Checks.nonNegative(spec, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit", errs);
    }
}
