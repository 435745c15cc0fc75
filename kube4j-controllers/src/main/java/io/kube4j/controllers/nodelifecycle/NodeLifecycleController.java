package io.kube4j.controllers.nodelifecycle;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.TaintBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.PodsByNode;
import io.kube4j.controllers.util.Taints;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches node heartbeats (the node's Lease in kube-node-lease and its Ready condition). A node
 * silent for longer than the grace period gets Ready=Unknown and the {@code unreachable} taints; a
 * node whose kubelet reports NotReady gets the {@code not-ready} taints. Pods on a node with
 * NoExecute taints they do not tolerate are evicted, at once or after their tolerationSeconds.
 * Silence is measured on this controller's clock from the moment it saw a heartbeat change, so
 * clock skew between machines does not matter, as upstream does.
 */
public final class NodeLifecycleController extends Controller {
    public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
    public static final String NOT_READY = "node.kubernetes.io/not-ready";
    static final String LEASE_NAMESPACE = "kube-node-lease";
    static final List<String> MONITORED_CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final Clock clock;
    private final Duration gracePeriod;
    private final Duration monitorPeriod;
    private final Map<String, Heartbeat> heartbeats = new ConcurrentHashMap<>();
    /** Nodes this controller has seen, for upstream's RegisteredNode event on the first sight of each. */
    private final Set<String> knownNodes = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService ticker;

    /** The last heartbeat seen for a node and when (on our clock) it was seen to change. */
    private record Heartbeat(String renewTime, String readyHeartbeat, Instant observedAt) {
    }

    public NodeLifecycleController(ControllerContext ctx) {
        super("node-lifecycle-controller", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("node-controller");
        this.clock = ctx.clock();
        this.gracePeriod = ctx.options().nodeMonitorGracePeriod();
        this.monitorPeriod = ctx.options().nodeMonitorPeriod();
        PodsByNode.ensureIndex(informers);
        informers.of(Node.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n),
                n -> heartbeats.remove(n.getMetadata().getName())));
        informers.of(Lease.class).addEventHandler(Handlers.of(this::leaseChanged, (o, n) -> leaseChanged(n), l -> { }));
        informers.of(Pod.class).addEventHandler(Handlers.of(this::podChanged, (o, n) -> podChanged(n), p -> { }));
    }

    private void leaseChanged(Lease lease) {
        if (LEASE_NAMESPACE.equals(lease.getMetadata().getNamespace())) {
            enqueue(lease.getMetadata().getName());
        }
    }

    /** A pod newly bound to a tainted node must be looked at too. */
    private void podChanged(Pod pod) {
        String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
        if (node != null && !node.isEmpty()) {
            Node n = informers.get(Node.class, node);
            if (n != null && hasNoExecuteTaint(n)) {
                enqueue(node);
            }
        }
    }

    private static boolean hasNoExecuteTaint(Node n) {
        return n.getSpec() != null && n.getSpec().getTaints() != null
                && n.getSpec().getTaints().stream().anyMatch(t -> "NoExecute".equals(t.getEffect()));
    }

    @Override
    public synchronized void start() {
        super.start();
        ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "node-lifecycle-monitor");
            t.setDaemon(true);
            return t;
        });
        long period = Math.max(10, monitorPeriod.toMillis());
        ticker.scheduleAtFixedRate(() -> informers.list(Node.class).forEach(this::enqueue), period, period,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        synchronized (this) {
            if (ticker != null) {
                ticker.shutdownNow();
            }
        }
        super.close();
    }

    static NodeCondition condition(Node node, String type) {
        if (node.getStatus() == null || node.getStatus().getConditions() == null) {
            return null;
        }
        return node.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    @Override
    public void sync(String name) {
        Node node = informers.get(Node.class, name);
        if (node == null) {
            heartbeats.remove(name);
            knownNodes.remove(name);
            return;
        }
        if (knownNodes.add(name)) {
            recorder.event(node, EventRecorder.NORMAL, "RegisteredNode",
                    "Node " + name + " event: Registered Node " + name + " in Controller");
        }
        Instant now = clock.instant();
        Lease lease = informers.get(Lease.class, Keys.of(LEASE_NAMESPACE, name));
        String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                : lease.getSpec().getRenewTime().toString();
        NodeCondition ready = condition(node, "Ready");
        String readyHeartbeat = ready == null ? null : ready.getLastHeartbeatTime();
        Heartbeat hb = heartbeats.get(name);
        if (hb == null || !Objects.equals(hb.renewTime(), renew) || !Objects.equals(hb.readyHeartbeat(), readyHeartbeat)) {
            hb = new Heartbeat(renew, readyHeartbeat, now);
            heartbeats.put(name, hb);
        }
        boolean silent = Duration.between(hb.observedAt(), now).compareTo(gracePeriod) > 0;
        if (silent && (ready == null || !"Unknown".equals(ready.getStatus()))) {
            node = markUnknown(node, now);
            ready = condition(node, "Ready");
        }
        if (ready == null) {
            // the kubelet has not posted a status yet: as upstream (its nodeStartupGracePeriod) nothing is judged -
            // no taint, no eviction - until the grace period runs out and the node is marked Unknown above
            enqueueAfter(name, Duration.between(now, hb.observedAt().plus(gracePeriod)).plusMillis(50));
            return;
        }
        String readyStatus = ready.getStatus();
        String wantedTaint = "True".equals(readyStatus) ? null : "False".equals(readyStatus) ? NOT_READY : UNREACHABLE;
        node = reconcileTaints(node, wantedTaint, now);
        evictPods(node, now);
        if (!silent) {
            // Look again when the grace period would run out without a new heartbeat.
            enqueueAfter(name, Duration.between(now, hb.observedAt().plus(gracePeriod)).plusMillis(50));
        }
    }

    private Node markUnknown(Node node, Instant now) {
        String ts = Times.format(now);
        List<NodeCondition> conditions = new ArrayList<>();
        List<NodeCondition> current = node.getStatus() == null || node.getStatus().getConditions() == null
                ? List.of() : node.getStatus().getConditions();
        for (String type : MONITORED_CONDITIONS) {
            NodeCondition c = current.stream().filter(x -> type.equals(x.getType())).findFirst().orElse(null);
            NodeConditionBuilder b = c == null ? new NodeConditionBuilder().withType(type)
                    .withLastHeartbeatTime(ts) : new NodeConditionBuilder(c);
            if (c == null || !"Unknown".equals(c.getStatus())) {
                b.withStatus("Unknown").withReason(c == null ? "NodeStatusNeverUpdated" : "NodeStatusUnknown")
                        .withMessage(c == null ? "Kubelet never posted node status." : "Kubelet stopped posting node status.")
                        .withLastTransitionTime(ts);
            }
            conditions.add(b.build());
        }
        current.stream().filter(c -> !MONITORED_CONDITIONS.contains(c.getType())).forEach(conditions::add);
        Node copy = new NodeBuilder(node).editOrNewStatus().withConditions(conditions).endStatus().build();
        recorder.event(node, EventRecorder.NORMAL, "NodeNotReady", "Node " + node.getMetadata().getName()
                + " status is now: NodeNotReady");
        Node updated = client.nodes().resource(copy).updateStatus();
        return updated == null ? copy : updated;
    }

    private Node reconcileTaints(Node node, String wanted, Instant now) {
        List<Taint> taints = node.getSpec() == null || node.getSpec().getTaints() == null
                ? new ArrayList<>() : new ArrayList<>(node.getSpec().getTaints());
        List<Taint> result = new ArrayList<>();
        for (Taint t : taints) {
            boolean ours = UNREACHABLE.equals(t.getKey()) || NOT_READY.equals(t.getKey());
            if (!ours || t.getKey().equals(wanted)) {
                result.add(t);
            }
        }
        if (wanted != null) {
            for (String effect : List.of("NoSchedule", "NoExecute")) {
                boolean present = result.stream().anyMatch(t -> wanted.equals(t.getKey()) && effect.equals(t.getEffect()));
                if (!present) {
                    TaintBuilder b = new TaintBuilder().withKey(wanted).withEffect(effect);
                    if ("NoExecute".equals(effect)) {
                        b.withTimeAdded(Times.format(now));
                    }
                    result.add(b.build());
                }
            }
        }
        if (result.equals(taints)) {
            return node;
        }
        Node copy = new NodeBuilder(node).editOrNewSpec().withTaints(result.isEmpty() ? null : result).endSpec().build();
        Node updated = client.nodes().resource(copy).update();
        return updated == null ? copy : updated;
    }

    /** Upstream's NoExecuteTaintManager: evict pods that do not tolerate every NoExecute taint long enough. */
    private void evictPods(Node node, Instant now) {
        List<Taint> noExecute = node.getSpec() == null || node.getSpec().getTaints() == null ? List.of()
                : node.getSpec().getTaints().stream().filter(t -> "NoExecute".equals(t.getEffect())).toList();
        if (noExecute.isEmpty()) {
            return;
        }
        Instant nextCheck = null;
        for (Pod pod : PodsByNode.on(informers, node.getMetadata().getName())) {
            if (!Pods.isActive(pod)) {
                continue;
            }
            Instant evictAt = evictionTime(pod.getSpec().getTolerations(), noExecute, now);
            if (evictAt == null) {
                continue;
            }
            if (!evictAt.isAfter(now)) {
                evict(pod);
            } else if (nextCheck == null || evictAt.isBefore(nextCheck)) {
                nextCheck = evictAt;
            }
        }
        if (nextCheck != null) {
            enqueueAfter(node.getMetadata().getName(), Duration.between(now, nextCheck).plusMillis(50));
        }
    }

    /** When the pod must go: now if a taint is not tolerated, never if all are tolerated forever. */
    static Instant evictionTime(List<Toleration> tolerations, List<Taint> noExecute, Instant now) {
        Instant earliest = null;
        for (Taint taint : noExecute) {
            Toleration t = Taints.toleration(tolerations, taint);
            if (t == null) {
                return now;
            }
            if (t.getTolerationSeconds() == null) {
                continue;
            }
            Instant added = taint.getTimeAdded() == null ? now : Times.parse(taint.getTimeAdded());
            Instant at = added.plusSeconds(Math.max(0, t.getTolerationSeconds()));
            if (earliest == null || at.isBefore(earliest)) {
                earliest = at;
            }
        }
        return earliest;
    }

    private void evict(Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            recorder.event(pod, EventRecorder.NORMAL, "TaintManagerEviction",
                    "Marking for deletion Pod " + pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }
}
