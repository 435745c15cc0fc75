package io.kube4j.api.printers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** The pod row of {@code kubectl get pods}, with upstream's STATUS and RESTARTS logic. */
final class PodPrinter implements TablePrinter {
    private static final List<Column> COLUMNS = List.of(
            Columns.NAME,
            Columns.str("Ready", "The aggregate readiness state of this pod for accepting traffic."),
            Columns.str("Status", "The aggregate status of the containers in this pod."),
            Columns.str("Restarts", "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted."),
            Columns.AGE,
            Columns.wide("IP", "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated."),
            Columns.wide("Node", "NodeName indicates in which node this pod is scheduled."),
            Columns.wide("Nominated Node", "nominatedNodeName is set only when this pod preempts other pods on the node."),
            Columns.wide("Readiness Gates", "If specified, all readiness gates will be evaluated for pod readiness."));

    @Override
    public List<Column> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(ObjectNode pod, Instant now) {
        JsonNode spec = pod.get("spec");
        JsonNode status = pod.get("status");
        int restarts = 0;
        int restartableInitRestarts = 0;
        int totalContainers = Cells.size(spec, "containers");
        int readyContainers = 0;
        Instant lastRestart = null;
        Instant lastRestartableInitRestart = null;

        String phase = Cells.str(status, "phase");
        String reason = phase;
        if (!Cells.str(status, "reason").isEmpty()) {
            reason = Cells.str(status, "reason");
        }
        for (JsonNode cond : Cells.list(status, "conditions")) {
            if ("PodScheduled".equals(Cells.str(cond, "type")) && "SchedulingGated".equals(Cells.str(cond, "reason"))) {
                reason = "SchedulingGated";
            }
        }

        Map<String, Boolean> restartableInit = new HashMap<>();
        List<JsonNode> initSpecs = Cells.list(spec, "initContainers");
        for (JsonNode c : initSpecs) {
            boolean restartable = "Always".equals(Cells.str(c, "restartPolicy"));
            restartableInit.put(Cells.str(c, "name"), restartable);
            if (restartable) {
                totalContainers++;
            }
        }

        boolean initializing = false;
        List<JsonNode> initStatuses = Cells.list(status, "initContainerStatuses");
        for (int i = 0; i < initStatuses.size(); i++) {
            JsonNode cs = initStatuses.get(i);
            int count = (int) Cells.num(cs, "restartCount");
            restarts += count;
            Instant finished = HumanDuration.parse(Cells.str(cs, "lastState", "terminated", "finishedAt"));
            lastRestart = later(lastRestart, finished);
            boolean restartable = restartableInit.getOrDefault(Cells.str(cs, "name"), false);
            if (restartable) {
                restartableInitRestarts += count;
                lastRestartableInitRestart = later(lastRestartableInitRestart, finished);
            }
            JsonNode terminated = Cells.at(cs, "state", "terminated");
            JsonNode waiting = Cells.at(cs, "state", "waiting");
            if (terminated != null && Cells.num(terminated, "exitCode") == 0) {
                continue;
            }
            if (restartable && Cells.bool(cs, "started")) {
                if (Cells.bool(cs, "ready")) {
                    readyContainers++;
                }
                continue;
            }
            if (terminated != null) {
                String r = Cells.str(terminated, "reason");
                if (r.isEmpty()) {
                    long signal = Cells.num(terminated, "signal");
                    reason = signal != 0 ? "Init:Signal:" + signal : "Init:ExitCode:" + Cells.num(terminated, "exitCode");
                } else {
                    reason = "Init:" + r;
                }
            } else if (waiting != null && !Cells.str(waiting, "reason").isEmpty()
                    && !"PodInitializing".equals(Cells.str(waiting, "reason"))) {
                reason = "Init:" + Cells.str(waiting, "reason");
            } else {
                reason = "Init:" + i + "/" + initSpecs.size();
            }
            initializing = true;
            break;
        }

        if (!initializing || conditionTrue(status, "Initialized")) {
            restarts = restartableInitRestarts;
            lastRestart = lastRestartableInitRestart;
            boolean hasRunning = false;
            List<JsonNode> statuses = Cells.list(status, "containerStatuses");
            for (int i = statuses.size() - 1; i >= 0; i--) {
                JsonNode cs = statuses.get(i);
                restarts += (int) Cells.num(cs, "restartCount");
                lastRestart = later(lastRestart, HumanDuration.parse(Cells.str(cs, "lastState", "terminated", "finishedAt")));
                JsonNode waiting = Cells.at(cs, "state", "waiting");
                JsonNode terminated = Cells.at(cs, "state", "terminated");
                if (waiting != null && !Cells.str(waiting, "reason").isEmpty()) {
                    reason = Cells.str(waiting, "reason");
                } else if (terminated != null && !Cells.str(terminated, "reason").isEmpty()) {
                    reason = Cells.str(terminated, "reason");
                } else if (terminated != null) {
                    long signal = Cells.num(terminated, "signal");
                    reason = signal != 0 ? "Signal:" + signal : "ExitCode:" + Cells.num(terminated, "exitCode");
                } else if (Cells.bool(cs, "ready") && Cells.has(cs, "state", "running")) {
                    hasRunning = true;
                    readyContainers++;
                }
            }
            if ("Completed".equals(reason) && hasRunning) {
                reason = conditionTrue(status, "Ready") ? "Running" : "NotReady";
            }
        }

        if (Cells.deleting(pod) && "NodeLost".equals(Cells.str(status, "reason"))) {
            reason = "Unknown";
        } else if (Cells.deleting(pod) && !phase.equals("Succeeded") && !phase.equals("Failed")) {
            reason = "Terminating";
        }

        String restartsText = Integer.toString(restarts);
        if (restarts != 0 && lastRestart != null) {
            restartsText = restarts + " (" + HumanDuration.format(java.time.Duration.between(lastRestart, now)) + " ago)";
        }

        List<Object> row = new ArrayList<>();
        row.add(Cells.name(pod));
        row.add(readyContainers + "/" + totalContainers);
        row.add(reason);
        row.add(restartsText);
        row.add(Cells.age(pod, now));
        List<JsonNode> podIPs = Cells.list(status, "podIPs");
        String podIp = podIPs.isEmpty() ? "" : Cells.str(podIPs.get(0), "ip");
        row.add(Cells.orNone(podIp));
        row.add(Cells.orNone(Cells.str(spec, "nodeName")));
        row.add(Cells.orNone(Cells.str(status, "nominatedNodeName")));
        List<JsonNode> gates = Cells.list(spec, "readinessGates");
        String gatesText = "<none>";
        if (!gates.isEmpty()) {
            int trueConditions = 0;
            for (JsonNode gate : gates) {
                String type = Cells.str(gate, "conditionType");
                for (JsonNode cond : Cells.list(status, "conditions")) {
                    if (type.equals(Cells.str(cond, "type"))) {
                        if ("True".equals(Cells.str(cond, "status"))) {
                            trueConditions++;
                        }
                        break;
                    }
                }
            }
            gatesText = trueConditions + "/" + gates.size();
        }
        row.add(gatesText);
        return row;
    }

    private static boolean conditionTrue(JsonNode status, String type) {
        for (JsonNode cond : Cells.list(status, "conditions")) {
            if (type.equals(Cells.str(cond, "type")) && "True".equals(Cells.str(cond, "status"))) {
                return true;
            }
        }
        return false;
    }

    private static Instant later(Instant a, Instant b) {
        if (b == null) {
            return a;
        }
        return a == null || a.isBefore(b) ? b : a;
    }
}
