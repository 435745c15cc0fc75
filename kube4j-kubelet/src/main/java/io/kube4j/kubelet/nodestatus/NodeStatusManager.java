package io.kube4j.kubelet.nodestatus;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.RuntimeCondition;
import io.kube4j.cri.v1.StatusResponse;
import io.kube4j.kubelet.KubeletOptions;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.events.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers the Node and keeps its status current: computed every interval, patched through {@code nodes/status}
 * when it changed and at least every 5 minutes (upstream's nodeStatusReportFrequency).
 */
public final class NodeStatusManager {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStatusManager.class);
    static final Duration REPORT_AT_LEAST = Duration.ofMinutes(5);

    private final KubernetesClient client;
    private final RuntimeClient cri;
    private final KubeletOptions options;
    private volatile String runtimeVersion = "";
    private volatile String hostIp;
    private volatile boolean registered;
    private volatile Node node;
    private volatile Map<String, Quantity> allocatable = Map.of();
    private String lastSent;
    private Instant lastSentAt = Instant.EPOCH;
    private String lastPodCidr;
    private volatile java.util.function.Supplier<NodeStatusBuilder.Pressure> pressure = NodeStatusBuilder.Pressure::none;

    private volatile int serverPort;
    private final EventRecorder events;
    /** Each condition's status as last reported, for upstream's "Node X status is now: ..." events on a change. */
    private final Map<String, String> reportedConditions = new HashMap<>();
    private boolean startingRecorded;
    /** spec.unschedulable as last seen; upstream's kubelet starts from false, so a new node records nothing. */
    private boolean unschedulable;

    public NodeStatusManager(KubernetesClient client, RuntimeClient cri, KubeletOptions options, EventRecorder events) {
        this.client = client;
        this.cri = cri;
        this.options = options;
        this.events = events;
        this.hostIp = MachineInfo.internalIp();
    }

    public String hostIp() {
        return hostIp;
    }

    public boolean registered() {
        return registered;
    }

    public Node node() {
        return node;
    }

    public Map<String, Quantity> allocatable() {
        if (allocatable.isEmpty()) {
            allocatable = NodeStatusBuilder.allocatable(observe(false));
        }
        return allocatable;
    }

    /** Where MemoryPressure and DiskPressure come from (the eviction manager's view of the node). */
    public void setPressure(java.util.function.Supplier<NodeStatusBuilder.Pressure> source) {
        this.pressure = source;
    }

    public void setRuntimeVersion(String version) {
        this.runtimeVersion = version;
    }

    private NodeStatusBuilder.Observed observe(boolean withRuntime) {
        boolean ready = true;
        String message = "";
        List<Image> images = List.of();
        if (withRuntime) {
            try {
                StatusResponse status = cri.status();
                for (RuntimeCondition c : status.getStatus().getConditionsList()) {
                    if (!c.getStatus() && (c.getType().equals("RuntimeReady") || c.getType().equals("NetworkReady"))) {
                        ready = false;
                        message = "container runtime " + (c.getType().equals("NetworkReady") ? "network " : "")
                                + "not ready: " + c.getType() + "=false reason:" + c.getReason() + " message:" + c.getMessage();
                    }
                }
                images = cri.listImages();
            } catch (RuntimeException e) {
                ready = false;
                message = "container runtime is down: " + e.getMessage();
            }
        }
        long memory = MachineInfo.memoryBytes();
        long disk = MachineInfo.diskBytes(options.rootDir());
        return new NodeStatusBuilder.Observed(options.nodeName(), hostIp, MachineInfo.cores(), memory,
                io.kube4j.kubelet.cm.MachineMemory.availableBytes(), disk,
                MachineInfo.diskAvailableBytes(options.rootDir()), MachineInfo.pidMax(), MachineInfo.processCount(),
                ready, message, runtimeVersion, images,
                options.evictionHard().of(io.kube4j.kubelet.eviction.Signal.MEMORY_AVAILABLE).map(t -> t.bytesOf(memory)).orElse(0L),
                options.evictionHard().of(io.kube4j.kubelet.eviction.Signal.NODEFS_AVAILABLE).map(t -> t.bytesOf(disk)).orElse(0L));
    }

    private Map<String, String> labels() {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/hostname", options.nodeName());
        labels.put("kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", MachineInfo.arch());
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/arch", MachineInfo.arch());
        labels.putAll(options.nodeLabels());
        return labels;
    }

    /**
     * Creates the Node with its whole status (capacity, allocatable, conditions, node info), or takes over an existing
     * one of the same name. A Node created bare would be seen for a moment with nothing allocatable, and a scheduler
     * that looked then would find no room for a single pod. Safe to call until it succeeds.
     */
    public synchronized void register() {
        NodeStatus status = currentStatus();
        Node desired = new NodeBuilder().withNewMetadata().withName(options.nodeName()).withLabels(labels())
                .addToAnnotations("node.alpha.kubernetes.io/ttl", "0").endMetadata()
                .withNewSpec().withPodCIDR(options.podCidr())
                .withPodCIDRs(options.podCidr() == null ? null : List.of(options.podCidr())).endSpec()
                .withStatus(status).build();
        try {
            node = client.nodes().resource(desired).create();
            allocatable = status.getAllocatable();
            lastSent = comparable(status);
            lastSentAt = Instant.now();
            LOG.info("node {} registered", options.nodeName());
            recordStarting();
            recordConditionChanges(status);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            Map<String, Object> patch = Map.of("metadata", Map.of("labels", labels()));
            node = client.nodes().withName(options.nodeName()).patch(PatchContext.of(PatchType.JSON_MERGE),
                    client.getKubernetesSerialization().asJson(patch));
            LOG.info("node {} already registered; taking it over", options.nodeName());
            recordStarting();
        }
        registered = true;
        updateStatus();
    }

    /** Upstream's kubelet says so once it runs; its node events name the node as their uid (kubectl looks for both). */
    private void recordStarting() {
        if (!startingRecorded) {
            startingRecorded = true;
            events.node(options.nodeName(), "Normal", "Starting", "Starting kubelet.");
        }
    }

    /** The events upstream's condition setters record when a condition is first reported or changes. */
    private void recordConditionChanges(NodeStatus status) {
        if (status.getConditions() == null) {
            return;
        }
        for (NodeCondition c : status.getConditions()) {
            String before = reportedConditions.put(c.getType(), c.getStatus());
            if (c.getStatus().equals(before)) {
                continue;
            }
            String reason = NodeConditionEvents.reason(c.getType(), "True".equals(c.getStatus()));
            if (reason != null) {
                events.node(options.nodeName(), "Normal", reason,
                        "Node " + options.nodeName() + " status is now: " + reason);
            }
        }
    }

    /** Upstream's recordNodeSchedulableEvent: "Node X status is now: NodeNotSchedulable" on a cordon, and back. */
    private void recordSchedulableChange() {
        Node current = node;
        boolean now = current != null && current.getSpec() != null && Boolean.TRUE.equals(current.getSpec().getUnschedulable());
        if (now != unschedulable) {
            unschedulable = now;
            String reason = now ? "NodeNotSchedulable" : "NodeSchedulable";
            events.node(options.nodeName(), "Normal", reason, "Node " + options.nodeName() + " status is now: " + reason);
        }
    }

    private NodeStatus currentStatus() {
        NodeStatusBuilder.Observed observed = observe(true);
        NodeStatus previous = node == null ? null : node.getStatus();
        NodeStatus status = NodeStatusBuilder.build(observed, previous, Instant.now(), pressure.get());
        int port = serverPort > 0 ? serverPort : options.serverAddress() == null ? 0 : options.serverAddress().getPort();
        if (port > 0) {
            // Where the API server finds this kubelet's server (logs, exec, port-forward), as upstream publishes it.
            status.setDaemonEndpoints(new io.fabric8.kubernetes.api.model.NodeDaemonEndpoints(
                    new io.fabric8.kubernetes.api.model.DaemonEndpoint(port)));
        }
        return status;
    }

    /**
     * The port the kubelet server is bound to: published as daemonEndpoints even when the options asked for port 0.
     * Patched with the next status update.
     */
    public void publishServerPort(int port) {
        this.serverPort = port;
    }

    /** Whether the last status this kubelet sent (or found when taking the Node over) says Ready=True. */
    public boolean readyReported() {
        Node current = node;
        if (current == null || current.getStatus() == null || current.getStatus().getConditions() == null) {
            return false;
        }
        return current.getStatus().getConditions().stream()
                .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Computes the status; patches it when changed or when the last report is 5 minutes old. */
    public synchronized void updateStatus() {
        if (!registered) {
            return;
        }
        NodeStatus status = currentStatus();
        allocatable = status.getAllocatable();
        String comparable = comparable(status);
        Instant now = Instant.now();
        if (comparable.equals(lastSent) && Duration.between(lastSentAt, now).compareTo(REPORT_AT_LEAST) < 0) {
            // upstream's kubelet reads its Node every status interval, and so notices a cordon within one
            try {
                Node current = client.nodes().withName(options.nodeName()).get();
                if (current != null) {
                    node = current;
                }
            } catch (KubernetesClientException e) {
                LOG.debug("cannot read node {}: {}", options.nodeName(), e.getMessage());
            }
            recordSchedulableChange();
            applyPodCidr();
            return;
        }
        try {
            node = client.nodes().withName(options.nodeName()).subresource("status")
                    .patch(PatchContext.of(PatchType.JSON_MERGE), client.getKubernetesSerialization().asJson(Map.of("status", status)));
            lastSent = comparable;
            lastSentAt = now;
            recordConditionChanges(status);
            recordSchedulableChange();
            applyPodCidr();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                LOG.warn("node {} was deleted; registering again", options.nodeName());
                registered = false;
                register();
                return;
            }
            LOG.warn("cannot update status of node {}: {}", options.nodeName(), e.getMessage());
        }
    }

    /** The runtime needs the node's pod range before it hands out addresses (the controller may assign it later). */
    private void applyPodCidr() {
        String cidr = podCidrOf(node);
        if ((cidr == null || cidr.isEmpty()) && lastPodCidr == null) {
            // node IPAM sets spec.podCIDR just after registration, and a status patch that changed nothing is not
            // sent, so the Node held here would stay without it: read it until it is there
            try {
                Node current = client.nodes().withName(options.nodeName()).get();
                if (current != null) {
                    node = current;
                    cidr = podCidrOf(current);
                }
            } catch (KubernetesClientException e) {
                LOG.debug("cannot read node {}: {}", options.nodeName(), e.getMessage());
            }
        }
        if (cidr != null && !cidr.isEmpty() && !cidr.equals(lastPodCidr)) {
            try {
                cri.updatePodCidr(cidr);
                lastPodCidr = cidr;
            } catch (RuntimeException e) {
                LOG.warn("cannot pass pod CIDR {} to the runtime: {}", cidr, e.getMessage());
            }
        }
    }

    private static String podCidrOf(Node node) {
        return node == null || node.getSpec() == null ? null : node.getSpec().getPodCIDR();
    }

    private String comparable(NodeStatus status) {
        NodeStatus copy = client.getKubernetesSerialization().clone(status);
        for (NodeCondition c : copy.getConditions()) {
            c.setLastHeartbeatTime(null);
        }
        return client.getKubernetesSerialization().asJson(copy);
    }
}
