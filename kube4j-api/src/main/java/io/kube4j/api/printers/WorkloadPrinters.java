package io.kube4j.api.printers;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Printers of apps/v1 and batch/v1 kinds. */
final class WorkloadPrinters {
    private WorkloadPrinters() {
    }

    private static final Column SELECTOR = Columns.wide("Selector", "A label query over pods that should match the replica count.");

    static void register(Map<String, TablePrinter> into) {
        into.put("apps/Deployment", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Ready", "Number of the pod with ready state"),
                Columns.str("Up-to-date", "Total number of non-terminated pods targeted by this deployment that have the desired template spec."),
                Columns.str("Available", "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, SELECTOR),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
                    return List.of(Cells.name(o),
                            Cells.num(o, "status", "readyReplicas") + "/" + Cells.num(o, "spec", "replicas"),
                            Cells.num(o, "status", "updatedReplicas"), Cells.num(o, "status", "availableReplicas"),
                            Cells.age(o, now), c[0], c[1], Cells.selectorString(Cells.at(o, "spec", "selector")));
                }));
        into.put("apps/ReplicaSet", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Desired", "Replicas is the number of desired replicas."),
                Columns.integer("Current", "Replicas is the most recently observed number of replicas."),
                Columns.integer("Ready", "The number of ready replicas for this replica set."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, SELECTOR),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
                    return List.of(Cells.name(o), Cells.num(o, "spec", "replicas"), Cells.num(o, "status", "replicas"),
                            Cells.num(o, "status", "readyReplicas"), Cells.age(o, now), c[0], c[1],
                            Cells.formatLabelSelector(Cells.at(o, "spec", "selector")));
                }));
        into.put("apps/StatefulSet", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Ready", "Number of the pod with ready state"),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
                    return List.of(Cells.name(o), Cells.num(o, "status", "readyReplicas") + "/" + Cells.num(o, "spec", "replicas"),
                            Cells.age(o, now), c[0], c[1]);
                }));
        into.put("apps/DaemonSet", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Desired", "The total number of nodes that should be running the daemon pod."),
                Columns.integer("Current", "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod."),
                Columns.integer("Ready", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and ready."),
                Columns.integer("Up-to-date", "The total number of nodes that are running updated daemon pod"),
                Columns.integer("Available", "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available."),
                Columns.str("Node Selector", "NodeSelector is a selector which must be true for the pod to fit on a node."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES, SELECTOR),
                (o, now) -> {
                    String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
                    return List.of(Cells.name(o), Cells.num(o, "status", "desiredNumberScheduled"),
                            Cells.num(o, "status", "currentNumberScheduled"), Cells.num(o, "status", "numberReady"),
                            Cells.num(o, "status", "updatedNumberScheduled"), Cells.num(o, "status", "numberAvailable"),
                            Cells.formatLabels(Cells.at(o, "spec", "template", "spec", "nodeSelector")),
                            Cells.age(o, now), c[0], c[1], Cells.formatLabelSelector(Cells.at(o, "spec", "selector")));
                }));
        into.put("apps/ControllerRevision", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Controller", "Controller of the object"),
                Columns.str("Revision", "Revision indicates the revision of the state represented by Data."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), controllerOf(o), Cells.num(o, "revision"), Cells.age(o, now))));
        // the answer of every scale subresource (kubectl get deploy web --subresource=scale)
        into.put("autoscaling/Scale", new KindPrinter(List.of(Columns.NAME,
                Columns.integer("Desired", "replicas is the desired number of instances for the scaled object."),
                Columns.integer("Available", "replicas is the actual number of observed instances of the scaled "
                        + "object."),
                Columns.AGE),
                (o, now) -> List.of(Cells.name(o), Cells.num(o, "spec", "replicas"),
                        Cells.num(o, "status", "replicas"), Cells.age(o, now))));
        into.put("batch/Job", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Status", "Status of the job."),
                Columns.str("Completions", "The number of pods which reached phase Succeeded."),
                Columns.str("Duration", "Time required to complete the job."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES,
                Columns.wide("Selector", "A label query over pods that should match the pod count.")),
                WorkloadPrinters::job));
        into.put("batch/CronJob", new KindPrinter(List.of(Columns.NAME,
                Columns.str("Schedule", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
                Columns.str("Timezone", "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones."),
                Columns.bool("Suspend", "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions."),
                Columns.integer("Active", "A list of pointers to currently running jobs."),
                Columns.str("Last Schedule", "Information when was the last time the job was successfully scheduled."),
                Columns.AGE, Columns.CONTAINERS, Columns.IMAGES,
                Columns.wide("Selector", "A label query over pods that should match the pod count.")),
                (o, now) -> {
                    JsonNode jobSpec = Cells.at(o, "spec", "jobTemplate", "spec");
                    String[] c = Cells.containerCells(Cells.at(jobSpec, "template", "spec"));
                    String last = Cells.has(o, "status", "lastScheduleTime")
                            ? HumanDuration.since(Cells.str(o, "status", "lastScheduleTime"), now) : "<none>";
                    String tz = Cells.has(o, "spec", "timeZone") ? Cells.str(o, "spec", "timeZone") : "<none>";
                    String suspend = Cells.has(o, "spec", "suspend") ? Boolean.toString(Cells.bool(o, "spec", "suspend")) : "<unset>";
                    return List.of(Cells.name(o), Cells.str(o, "spec", "schedule"), tz, suspend,
                            (long) Cells.size(o, "status", "active"), last, Cells.age(o, now), c[0], c[1],
                            Cells.formatLabelSelector(Cells.at(jobSpec, "selector")));
                }));
    }

    private static List<Object> job(ObjectNode o, Instant now) {
        long succeeded = Cells.num(o, "status", "succeeded");
        String completions;
        if (Cells.has(o, "spec", "completions")) {
            completions = succeeded + "/" + Cells.num(o, "spec", "completions");
        } else {
            long parallelism = Cells.num(o, "spec", "parallelism");
            completions = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
        }
        String duration = "";
        Instant start = HumanDuration.parse(Cells.str(o, "status", "startTime"));
        Instant completion = HumanDuration.parse(Cells.str(o, "status", "completionTime"));
        if (start != null) {
            duration = HumanDuration.format(Duration.between(start, completion == null ? now : completion));
        }
        String status;
        if (jobCondition(o, "Complete")) {
            status = "Complete";
        } else if (jobCondition(o, "Failed")) {
            status = "Failed";
        } else if (Cells.deleting(o)) {
            status = "Terminating";
        } else if (jobCondition(o, "Suspended")) {
            status = "Suspended";
        } else if (jobCondition(o, "FailureTarget")) {
            status = "FailureTarget";
        } else {
            status = "Running";
        }
        String[] c = Cells.containerCells(Cells.at(o, "spec", "template", "spec"));
        return List.of(Cells.name(o), status, completions, duration, Cells.age(o, now), c[0], c[1],
                Cells.formatLabelSelector(Cells.at(o, "spec", "selector")));
    }

    /** Upstream's hasJobCondition: the first condition of that type decides. */
    private static boolean jobCondition(ObjectNode o, String type) {
        for (JsonNode cond : Cells.list(o, "status", "conditions")) {
            if (type.equals(Cells.str(cond, "type"))) {
                return "True".equals(Cells.str(cond, "status"));
            }
        }
        return false;
    }

    private static String controllerOf(ObjectNode o) {
        for (JsonNode ref : Cells.list(o, "metadata", "ownerReferences")) {
            if (Cells.bool(ref, "controller")) {
                String apiVersion = Cells.str(ref, "apiVersion");
                String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
                String kind = Cells.str(ref, "kind");
                String groupKind = group.isEmpty() ? kind : kind + "." + group;
                if (groupKind.isEmpty()) {
                    return Cells.str(ref, "name");
                }
                return groupKind.toLowerCase(java.util.Locale.ROOT) + "/" + Cells.str(ref, "name");
            }
        }
        return "<none>";
    }
}
