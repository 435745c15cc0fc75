package io.kube4j.kubelet.status;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerState;
import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kube4j.kubelet.cm.QosClasses;
import io.kube4j.kubelet.kuberuntime.EphemeralContainers;
import io.kube4j.kubelet.kuberuntime.PodRuntimeState;
import io.kube4j.kubelet.kuberuntime.RuntimeContainer;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** A pod's status from the runtime's view, as upstream's generateAPIPodStatus / getPhase. */
public final class PodStatusGenerator {
    public static final Set<String> KUBELET_CONDITIONS = Set.of("PodScheduled", "PodReadyToStartContainers", "Initialized",
            "ContainersReady", "Ready");

    private PodStatusGenerator() {
    }

    public static PodStatus generate(StatusInput in) {
        Pod pod = in.pod();
        // What the API holds: conditions others own (readiness gates, DisruptionTarget) and nominatedNodeName come from it
        PodStatus api = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
        // What this kubelet last said, where the pod at hand can be older: start and transition times are kept from it
        PodStatus previous = in.reported() != null ? in.reported() : api;
        String uid = pod.getMetadata().getUid();
        PodRuntimeState rt = in.runtime();
        String restartPolicy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();

        List<ContainerStatus> initStatuses = new ArrayList<>();
        boolean initialized = true;
        List<String> incompleteInit = new ArrayList<>();
        boolean initFailed = false;
        // upstream's default waiting reason: PodInitializing for every container of a pod with init containers (kubectl
        // shows Init:0/N, then PodInitializing), else ContainerCreating, until the container has run
        String defaultWaiting = initContainers(pod).isEmpty() ? "ContainerCreating" : "PodInitializing";
        for (Container c : initContainers(pod)) {
            boolean sidecar = "Always".equals(c.getRestartPolicy());
            ContainerStatus cs = containerStatus(in, c, defaultWaiting, sidecar);
            initStatuses.add(cs);
            boolean done = sidecar ? cs.getState().getRunning() != null && Boolean.TRUE.equals(cs.getStarted())
                    : cs.getState().getTerminated() != null && cs.getState().getTerminated().getExitCode() == 0;
            if (!done) {
                initialized = false;
                incompleteInit.add(c.getName());
                boolean failedOnce = cs.getState().getTerminated() != null
                        || (cs.getLastState() != null && cs.getLastState().getTerminated() != null);
                if (!sidecar && failedOnce && "Never".equals(restartPolicy)) {
                    initFailed = true;
                }
            }
        }
        List<ContainerStatus> statuses = new ArrayList<>();
        for (Container c : pod.getSpec().getContainers()) {
            statuses.add(containerStatus(in, c, defaultWaiting, false));
        }
        List<ContainerStatus> ephemeralStatuses = ephemeralStatuses(in, defaultWaiting);

        String phase = phase(pod, initialized, initFailed, statuses, restartPolicy);
        String reason = null;
        String message = null;
        if (in.terminalReason() != null) {
            phase = "Failed";
            reason = in.terminalReason().reason();
            message = in.terminalReason().message();
        }
        // A terminal phase is final, whether the API already has it or only we said so.
        PodStatus terminalBefore = isTerminal(api.getPhase()) ? api : isTerminal(previous.getPhase()) ? previous : null;
        if (terminalBefore != null) {
            phase = terminalBefore.getPhase();
            if (reason == null) {
                reason = terminalBefore.getReason();
                message = terminalBefore.getMessage();
            }
        }
        boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");

        PodStatus status = new PodStatus();
        status.setPhase(phase);
        status.setReason(reason);
        status.setMessage(message);
        status.setHostIP(in.hostIp());
        status.setHostIPs(in.hostIp() == null || in.hostIp().isEmpty() ? null : List.of(new HostIP(in.hostIp())));
        boolean hostNetwork = Boolean.TRUE.equals(pod.getSpec().getHostNetwork());
        if (hostNetwork && rt.readySandbox().isPresent() && in.hostIp() != null && !in.hostIp().isEmpty()) {
            status.setPodIP(in.hostIp());
            status.setPodIPs(List.of(new PodIP(in.hostIp())));
        } else if (!rt.podIp().isEmpty()) {
            status.setPodIP(rt.podIp());
            status.setPodIPs(rt.podIps().stream().map(PodIP::new).toList());
        } else if (previous.getPodIP() != null && terminal) {
            status.setPodIP(previous.getPodIP());
            status.setPodIPs(previous.getPodIPs());
        }
        status.setStartTime(previous.getStartTime() != null ? previous.getStartTime() : time(in.now()));
        status.setQosClass(QosClasses.of(pod));
        status.setInitContainerStatuses(initStatuses.isEmpty() ? null : initStatuses);
        status.setContainerStatuses(statuses);
        status.setEphemeralContainerStatuses(ephemeralStatuses.isEmpty() ? null : ephemeralStatuses);

        List<String> unready = new ArrayList<>();
        for (ContainerStatus cs : statuses) {
            if (!Boolean.TRUE.equals(cs.getReady())) {
                unready.add(cs.getName());
            }
        }
        for (int i = 0; i < initStatuses.size(); i++) {
            Container c = initContainers(pod).get(i);
            if ("Always".equals(c.getRestartPolicy()) && !Boolean.TRUE.equals(initStatuses.get(i).getReady())) {
                unready.add(c.getName());
            }
        }
        List<PodCondition> conditions = new ArrayList<>();
        boolean sandboxReady = rt.readySandbox().isPresent();
        conditions.add(condition(previous, "PodReadyToStartContainers", sandboxReady, null, null, in.now()));
        if (initialized) {
            conditions.add(condition(previous, "Initialized", true, null, null, in.now()));
        } else {
            conditions.add(condition(previous, "Initialized", false, "ContainersNotInitialized",
                    "containers with incomplete status: " + bracket(incompleteInit), in.now()));
        }
        boolean containersReady = unready.isEmpty() && !terminal;
        String notReadyReason = terminal ? "PodCompleted" : "ContainersNotReady";
        String notReadyMessage = terminal ? null : "containers with unready status: " + bracket(unready);
        boolean gatesReady = true;
        if (pod.getSpec().getReadinessGates() != null) {
            for (var gate : pod.getSpec().getReadinessGates()) {
                gatesReady &= api.getConditions() != null && api.getConditions().stream()
                        .anyMatch(c -> gate.getConditionType().equals(c.getType()) && "True".equals(c.getStatus()));
            }
        }
        conditions.add(condition(previous, "ContainersReady", containersReady, containersReady ? null : notReadyReason,
                containersReady ? null : notReadyMessage, in.now()));
        boolean ready = containersReady && gatesReady;
        conditions.add(condition(previous, "Ready", ready, ready ? null : containersReady ? "ReadinessGatesNotReady" : notReadyReason,
                ready ? null : containersReady ? "corresponding condition of pod readiness gate is not true" : notReadyMessage, in.now()));
        conditions.add(condition(previous, "PodScheduled", true, null, null, in.now()));
        boolean evicted = in.terminalReason() != null && "Evicted".equals(in.terminalReason().reason());
        if (evicted) {
            // upstream marks a pod the kubelet evicts as disrupted, so controllers and PDBs can tell it from a failure
            conditions.add(condition(previous, "DisruptionTarget", true, "TerminationByKubelet", in.terminalReason().message(), in.now()));
        }
        if (api.getConditions() != null) {
            for (PodCondition c : api.getConditions()) {
                if (!KUBELET_CONDITIONS.contains(c.getType()) && !(evicted && "DisruptionTarget".equals(c.getType()))) {
                    conditions.add(c);
                }
            }
        }
        status.setConditions(conditions);
        if (api.getNominatedNodeName() != null) {
            status.setNominatedNodeName(api.getNominatedNodeName());
        }
        return status;
    }

    /**
     * status.ephemeralContainerStatuses, as upstream: the same state as any container's, but never ready and with no
     * started (the probe manager sets that for regular and init containers only); they count towards neither the
     * phase nor the pod's readiness.
     */
    private static List<ContainerStatus> ephemeralStatuses(StatusInput in, String defaultWaiting) {
        List<ContainerStatus> statuses = new ArrayList<>();
        for (EphemeralContainer ec : EphemeralContainers.of(in.pod())) {
            ContainerStatus cs = containerStatus(in, EphemeralContainers.asContainer(ec), defaultWaiting, false);
            cs.setReady(false);
            cs.setStarted(null);
            statuses.add(cs);
        }
        return statuses;
    }

    private static boolean isTerminal(String phase) {
        return "Succeeded".equals(phase) || "Failed".equals(phase);
    }

    private static List<Container> initContainers(Pod pod) {
        return pod.getSpec().getInitContainers() == null ? List.of() : pod.getSpec().getInitContainers();
    }

    private static String bracket(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }

    /** Upstream's getPhase. */
    static String phase(Pod pod, boolean initialized, boolean initFailed, List<ContainerStatus> statuses, String restartPolicy) {
        if (initFailed) {
            return "Failed";
        }
        if (!initialized) {
            return "Pending";
        }
        int running = 0;
        int waiting = 0;
        int stopped = 0;
        int succeeded = 0;
        for (ContainerStatus cs : statuses) {
            ContainerState s = cs.getState();
            if (s.getRunning() != null) {
                running++;
            } else if (s.getTerminated() != null) {
                stopped++;
                if (s.getTerminated().getExitCode() == 0) {
                    succeeded++;
                }
            } else if (s.getWaiting() != null) {
                if (cs.getLastState() != null && cs.getLastState().getTerminated() != null) {
                    stopped++;
                } else {
                    waiting++;
                }
            }
        }
        if (waiting > 0) {
            return "Pending";
        }
        if (running > 0) {
            return "Running";
        }
        if (stopped > 0) {
            if ("Always".equals(restartPolicy)) {
                return "Running";
            }
            if (stopped == succeeded) {
                return "Succeeded";
            }
            if ("Never".equals(restartPolicy)) {
                return "Failed";
            }
            return "Running";
        }
        return "Pending";
    }

    private static ContainerStatus containerStatus(StatusInput in, Container c, String defaultWaiting, boolean sidecar) {
        String uid = in.pod().getMetadata().getUid();
        PodRuntimeState rt = in.runtime();
        Optional<RuntimeContainer> latest = rt.latest(c.getName());
        Waiting waiting = in.waiting().get(c.getName());
        ContainerStatusBuilder b = new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
                .withImageID("").withRestartCount(0).withReady(false).withStarted(false);
        if (latest.isEmpty()) {
            Waiting w = waiting != null ? waiting : new Waiting(defaultWaiting, null);
            return b.withState(new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting().build())
                    .build();
        }
        RuntimeContainer rc = latest.get();
        b.withRestartCount(rc.restartCount())
                .withContainerID(in.runtimeName() + "://" + rc.id())
                // upstream's convertToAPIContainerStatuses: the image as the runtime reports it (containerd's
                // normalised tag, docker.io/library/busybox:latest for busybox) and its digested reference as imageID
                .withImageID(rc.status().getImageRef());
        if (!rc.status().getImage().getImage().isEmpty()) {
            b.withImage(rc.status().getImage().getImage());
        }
        if (rc.running()) {
            b.withState(new ContainerStateBuilder().withNewRunning().withStartedAt(time(rc.status().getStartedAt())).endRunning().build());
            boolean started = in.health().started(uid, c.getName(), rc.id());
            b.withStarted(started);
            b.withReady(started && in.health().ready(uid, c.getName(), rc.id()));
            rt.previous(c.getName()).filter(RuntimeContainer::exited).ifPresent(prev -> b.withLastState(terminated(prev, in)));
        } else if (rc.exited()) {
            if (waiting != null) {
                b.withState(new ContainerStateBuilder().withNewWaiting().withReason(waiting.reason()).withMessage(waiting.message()).endWaiting().build());
                b.withLastState(terminated(rc, in));
            } else {
                b.withState(terminated(rc, in));
                rt.previous(c.getName()).filter(RuntimeContainer::exited).ifPresent(prev -> b.withLastState(terminated(prev, in)));
            }
        } else {
            Waiting w = waiting != null ? waiting : new Waiting(defaultWaiting, null);
            b.withState(new ContainerStateBuilder().withNewWaiting().withReason(w.reason()).withMessage(w.message()).endWaiting().build());
        }
        if (b.build().getLastState() == null) {
            b.withLastState(new ContainerState());
        }
        return b.build();
    }

    private static ContainerState terminated(RuntimeContainer rc, StatusInput in) {
        String runtimeName = in.runtimeName();
        var s = rc.status();
        String message = s.getMessage().isEmpty() ? in.terminationMessages().getOrDefault(rc.id(), "") : s.getMessage();
        String reason = s.getReason().isEmpty() ? (s.getExitCode() == 0 ? "Completed" : "Error") : s.getReason();
        return new ContainerStateBuilder().withNewTerminated()
                .withExitCode(s.getExitCode())
                .withReason(reason)
                .withMessage(message.isEmpty() ? null : message)
                .withStartedAt(s.getStartedAt() == 0 ? null : time(s.getStartedAt()))
                .withFinishedAt(s.getFinishedAt() == 0 ? null : time(s.getFinishedAt()))
                .withContainerID(runtimeName + "://" + rc.id())
                .endTerminated().build();
    }

    private static PodCondition condition(PodStatus previous, String type, boolean value, String reason, String message, Instant now) {
        String status = value ? "True" : "False";
        String transition = time(now);
        if (previous.getConditions() != null) {
            for (PodCondition p : previous.getConditions()) {
                if (type.equals(p.getType()) && status.equals(p.getStatus()) && p.getLastTransitionTime() != null) {
                    transition = p.getLastTransitionTime();
                }
            }
        }
        PodCondition c = new PodCondition();
        c.setType(type);
        c.setStatus(status);
        c.setReason(reason);
        c.setMessage(message);
        c.setLastTransitionTime(transition);
        return c;
    }

    static String time(long unixNanos) {
        return time(Instant.ofEpochSecond(0, unixNanos));
    }

    public static String time(Instant instant) {
        return DateTimeFormatter.ISO_INSTANT.format(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    public static Instant parseTime(String t) {
        return t == null ? null : Instant.parse(t);
    }
}
