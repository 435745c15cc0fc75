package io.kube4j.api.defaults;

import tools.jackson.databind.node.ObjectNode;

/** Defaults of apps/v1 and batch/v1 workloads, including their pod templates. */
final class WorkloadDefaults {
    private WorkloadDefaults() {
    }

    static void deployment(ObjectNode d) {
        ObjectNode spec = Nodes.ensureObj(d, "spec");
        Nodes.defaultInt(spec, "replicas", 1);
        ObjectNode strategy = Nodes.ensureObj(spec, "strategy");
        Nodes.defaultStr(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(Nodes.str(strategy, "type"))) {
            ObjectNode ru = Nodes.ensureObj(strategy, "rollingUpdate");
            Nodes.defaultStr(ru, "maxUnavailable", "25%");
            Nodes.defaultStr(ru, "maxSurge", "25%");
        }
        Nodes.defaultInt(spec, "revisionHistoryLimit", 10);
        Nodes.defaultInt(spec, "progressDeadlineSeconds", 600);
        PodDefaults.template(Nodes.obj(spec, "template"));
    }

    static void replicaSet(ObjectNode rs) {
        ObjectNode spec = Nodes.ensureObj(rs, "spec");
        Nodes.defaultInt(spec, "replicas", 1);
        PodDefaults.template(Nodes.obj(spec, "template"));
    }

    static void statefulSet(ObjectNode ss) {
        ObjectNode spec = Nodes.ensureObj(ss, "spec");
        Nodes.defaultStr(spec, "podManagementPolicy", "OrderedReady");
        ObjectNode strategy = Nodes.ensureObj(spec, "updateStrategy");
        if (Nodes.blank(strategy, "type")) {
            strategy.put("type", "RollingUpdate");
            Nodes.ensureObj(strategy, "rollingUpdate");
        }
        ObjectNode ru = Nodes.obj(strategy, "rollingUpdate");
        if ("RollingUpdate".equals(Nodes.str(strategy, "type")) && ru != null) {
            Nodes.defaultInt(ru, "partition", 0);
        }
        ObjectNode retention = Nodes.ensureObj(spec, "persistentVolumeClaimRetentionPolicy");
        Nodes.defaultStr(retention, "whenDeleted", "Retain");
        Nodes.defaultStr(retention, "whenScaled", "Retain");
        Nodes.defaultInt(spec, "replicas", 1);
        Nodes.defaultInt(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(Nodes.obj(spec, "template"));
        for (ObjectNode claim : Nodes.objs(spec, "volumeClaimTemplates")) {
            CoreDefaults.claimSpec(Nodes.ensureObj(claim, "spec"));
            Nodes.defaultStr(Nodes.ensureObj(claim, "status"), "phase", "Pending");
        }
    }

    static void daemonSet(ObjectNode ds) {
        ObjectNode spec = Nodes.ensureObj(ds, "spec");
        ObjectNode strategy = Nodes.ensureObj(spec, "updateStrategy");
        Nodes.defaultStr(strategy, "type", "RollingUpdate");
        if ("RollingUpdate".equals(Nodes.str(strategy, "type"))) {
            ObjectNode ru = Nodes.ensureObj(strategy, "rollingUpdate");
            Nodes.defaultInt(ru, "maxUnavailable", 1);
            Nodes.defaultInt(ru, "maxSurge", 0);
        }
        Nodes.defaultInt(spec, "revisionHistoryLimit", 10);
        PodDefaults.template(Nodes.obj(spec, "template"));
    }

    static void job(ObjectNode job) {
        ObjectNode spec = Nodes.ensureObj(job, "spec");
        jobSpec(spec);
        ObjectNode templateLabels = Nodes.obj(Nodes.obj(Nodes.obj(spec, "template"), "metadata"), "labels");
        if (templateLabels != null) {
            ObjectNode meta = Nodes.ensureObj(job, "metadata");
            ObjectNode labels = Nodes.obj(meta, "labels");
            if (labels == null || labels.isEmpty()) {
                meta.set("labels", templateLabels.deepCopy());
            }
        }
    }

    private static void jobSpec(ObjectNode spec) {
        if (Nodes.absent(spec, "completions") && Nodes.absent(spec, "parallelism")) {
            spec.put("completions", 1);
            spec.put("parallelism", 1);
        }
        Nodes.defaultInt(spec, "parallelism", 1);
        if (Nodes.absent(spec, "backoffLimit")) {
            spec.put("backoffLimit", Nodes.absent(spec, "backoffLimitPerIndex") ? 6 : Integer.MAX_VALUE);
        }
        Nodes.defaultStr(spec, "completionMode", "NonIndexed");
        Nodes.defaultBool(spec, "suspend", false);
        ObjectNode failurePolicy = Nodes.obj(spec, "podFailurePolicy");
        if (failurePolicy != null) {
            for (ObjectNode rule : Nodes.objs(failurePolicy, "rules")) {
                for (ObjectNode cond : Nodes.objs(rule, "onPodConditions")) {
                    Nodes.defaultStr(cond, "status", "True");
                }
            }
        }
        Nodes.defaultStr(spec, "podReplacementPolicy", failurePolicy != null ? "Failed" : "TerminatingOrFailed");
        PodDefaults.template(Nodes.obj(spec, "template"));
    }

    static void cronJob(ObjectNode cj) {
        ObjectNode spec = Nodes.ensureObj(cj, "spec");
        Nodes.defaultStr(spec, "concurrencyPolicy", "Allow");
        Nodes.defaultBool(spec, "suspend", false);
        Nodes.defaultInt(spec, "successfulJobsHistoryLimit", 3);
        Nodes.defaultInt(spec, "failedJobsHistoryLimit", 1);
        ObjectNode jobSpec = Nodes.obj(Nodes.obj(spec, "jobTemplate"), "spec");
        PodDefaults.template(Nodes.obj(jobSpec, "template"));
    }
}
