package io.kube4j.controllers.daemonset;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatus;
import io.fabric8.kubernetes.api.model.apps.DaemonSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.deployment.IntOrPercent;
import io.kube4j.controllers.deployment.TemplateHash;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Expectations;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.ControllerHistory;
import io.kube4j.controllers.util.NodeAffinities;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.PodTemplates;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Taints;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Runs one pod of each DaemonSet on every node its nodeSelector, required node affinity and
 * tolerations admit. Pods are pinned to their node with a required node affinity on
 * {@code metadata.name} and bound by the scheduler, as upstream does. RollingUpdate replaces pods of
 * an old template at most maxUnavailable nodes at a time; OnDelete waits for the user.
 */
public final class DaemonSetController extends Controller {
    public static final String REVISION_LABEL = ControllerHistory.REVISION_LABEL;

    private final KubernetesClient client;
    private final Informers informers;
    private final ControllerHistory history;
    private final EventRecorder recorder;
    private final Clock clock;
    private final Expectations expectations;

    public DaemonSetController(ControllerContext ctx) {
        super("daemonset-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("daemonset-controller");
        this.clock = ctx.clock();
        this.expectations = new Expectations(clock);
        this.history = new ControllerHistory(client, informers);
        informers.of(DaemonSet.class).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n),
                ds -> expectations.delete(Keys.of(ds))));
        informers.of(Node.class).addEventHandler(Handlers.any(n -> informers.list(DaemonSet.class).forEach(this::enqueue)));
        informers.of(Pod.class).addEventHandler(Handlers.of(p -> podEvent(p, true, false), (o, n) -> podEvent(n, false, false),
                p -> podEvent(p, false, true)));
    }

    private void podEvent(Pod pod, boolean added, boolean deleted) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"DaemonSet".equals(ref.getKind())) {
            return;
        }
        DaemonSet ds = informers.get(DaemonSet.class, Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
        if (ds == null || !Objects.equals(ds.getMetadata().getUid(), ref.getUid())) {
            return;
        }
        String key = Keys.of(ds);
        if (added) {
            expectations.creationObserved(key);
        }
        if (deleted || pod.getMetadata().getDeletionTimestamp() != null) {
            expectations.deletionObserved(key, Keys.of(pod));
        }
        enqueue(key);
    }

    /** The tolerations upstream adds to every daemon pod, so node trouble does not evict them. */
    static List<Toleration> daemonTolerations(PodSpec spec) {
        List<Toleration> out = spec.getTolerations() == null ? new ArrayList<>() : new ArrayList<>(spec.getTolerations());
        addIfMissing(out, "node.kubernetes.io/not-ready", "NoExecute");
        addIfMissing(out, "node.kubernetes.io/unreachable", "NoExecute");
        addIfMissing(out, "node.kubernetes.io/disk-pressure", "NoSchedule");
        addIfMissing(out, "node.kubernetes.io/memory-pressure", "NoSchedule");
        addIfMissing(out, "node.kubernetes.io/pid-pressure", "NoSchedule");
        addIfMissing(out, "node.kubernetes.io/unschedulable", "NoSchedule");
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            addIfMissing(out, "node.kubernetes.io/network-unavailable", "NoSchedule");
        }
        return out;
    }

    private static void addIfMissing(List<Toleration> list, String key, String effect) {
        boolean present = list.stream().anyMatch(t -> key.equals(t.getKey()) && effect.equals(t.getEffect()));
        if (!present) {
            list.add(new TolerationBuilder().withKey(key).withOperator("Exists").withEffect(effect).build());
        }
    }

    static boolean shouldRun(DaemonSet ds, Node node) {
        return admits(ds, node, List.of("NoSchedule", "NoExecute"));
    }

    /**
     * Upstream's shouldContinueRunning: a daemon pod already on the node stays unless the node stops matching or gets a
     * NoExecute taint the pod does not tolerate; a NoSchedule taint (a cordon-like taint, or not-ready while its
     * kubelet restarts) only keeps new pods away.
     */
    static boolean shouldContinueRunning(DaemonSet ds, Node node) {
        return admits(ds, node, List.of("NoExecute"));
    }

    private static boolean admits(DaemonSet ds, Node node, List<String> blockingEffects) {
        PodSpec spec = ds.getSpec().getTemplate().getSpec();
        if (!NodeAffinities.admits(spec, node)) {
            return false;
        }
        List<Toleration> tolerations = daemonTolerations(spec);
        if (node.getSpec() != null && node.getSpec().getTaints() != null) {
            for (Taint taint : node.getSpec().getTaints()) {
                if (blockingEffects.contains(taint.getEffect()) && Taints.toleration(tolerations, taint) == null) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public void sync(String key) {
        DaemonSet cached = informers.get(DaemonSet.class, key);
        if (cached == null) {
            expectations.delete(key);
            return;
        }
        DaemonSet ds = new DaemonSetBuilder(cached).build();
        String hash = TemplateHash.compute(ds.getSpec().getTemplate(),
                ds.getStatus() == null ? null : ds.getStatus().getCollisionCount());
        if (ds.getMetadata().getDeletionTimestamp() == null) {
            history.ensure(ds, ds.getSpec().getTemplate(), hash);
        }
        Map<String, List<Pod>> podsByNode = new HashMap<>();
        for (Pod p : informers.inNamespace(Pod.class, ds.getMetadata().getNamespace())) {
            if (OwnerRefs.isControlledBy(p, ds) && p.getMetadata().getDeletionTimestamp() == null) {
                podsByNode.computeIfAbsent(nodeOf(p), n -> new ArrayList<>()).add(p);
            }
        }
        List<Node> nodes = informers.list(Node.class);
        Instant now = clock.instant();
        int minReady = ds.getSpec().getMinReadySeconds() == null ? 0 : ds.getSpec().getMinReadySeconds();
        if (expectations.satisfied(key) && ds.getMetadata().getDeletionTimestamp() == null) {
            manage(key, ds, nodes, podsByNode, hash, now, minReady);
        }
        updateStatus(ds, cached, nodes, podsByNode, hash, now, minReady);
    }

    private static String nodeOf(Pod p) {
        if (p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty()) {
            return p.getSpec().getNodeName();
        }
        var affinity = p.getSpec().getAffinity();
        if (affinity != null && affinity.getNodeAffinity() != null
                && affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
            for (var term : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms()) {
                if (term.getMatchFields() != null) {
                    for (var f : term.getMatchFields()) {
                        if ("metadata.name".equals(f.getKey()) && f.getValues() != null && f.getValues().size() == 1) {
                            return f.getValues().get(0);
                        }
                    }
                }
            }
        }
        return "";
    }

    private void manage(String key, DaemonSet ds, List<Node> nodes, Map<String, List<Pod>> podsByNode, String hash,
                        Instant now, int minReady) {
        List<String> toCreate = new ArrayList<>();
        List<Pod> toDelete = new ArrayList<>();
        Map<String, Boolean> wanted = new HashMap<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            boolean run = shouldRun(ds, node);
            wanted.put(name, run);
            List<Pod> pods = podsByNode.getOrDefault(name, List.of());
            if (!run) {
                if (!shouldContinueRunning(ds, node)) {
                    toDelete.addAll(pods);
                }
                continue;
            }
            List<Pod> running = new ArrayList<>();
            for (Pod p : pods) {
                if ("Failed".equals(Pods.phase(p))) {
                    toDelete.add(p);
                } else {
                    running.add(p);
                }
            }
            if (running.isEmpty()) {
                toCreate.add(name);
            } else if (running.size() > 1) {
                running.sort(Comparator.comparing(p -> String.valueOf(p.getMetadata().getCreationTimestamp())));
                toDelete.addAll(running.subList(1, running.size()));
            }
        }
        podsByNode.forEach((node, pods) -> {
            if (!wanted.containsKey(node)) {
                toDelete.addAll(pods);
            }
        });
        if (!"OnDelete".equals(ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getType())) {
            toDelete.addAll(rollingUpdateVictims(ds, nodes, wanted, podsByNode, hash, now, minReady, toDelete));
        }
        if (!toDelete.isEmpty()) {
            expectations.expectDeletions(key, toDelete.stream().map(Keys::of).distinct().toList());
            for (Pod p : toDelete.stream().distinct().toList()) {
                try {
                    client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
                    recorder.event(ds, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + p.getMetadata().getName());
                } catch (KubernetesClientException e) {
                    expectations.deletionObserved(key, Keys.of(p));
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
        }
        if (!toCreate.isEmpty()) {
            expectations.expectCreations(key, toCreate.size());
            int created = 0;
            try {
                for (String node : toCreate) {
                    createPod(ds, node, hash);
                    created++;
                }
            } finally {
                if (created < toCreate.size()) {
                    expectations.lower(key, toCreate.size() - created, 0);
                }
            }
        }
    }

    /** Old-template pods to delete now: unavailable ones first, then up to maxUnavailable nodes down at once. */
    private static List<Pod> rollingUpdateVictims(DaemonSet ds, List<Node> nodes, Map<String, Boolean> wanted,
                                                  Map<String, List<Pod>> podsByNode, String hash, Instant now,
                                                  int minReady, List<Pod> alreadyDeleting) {
        int desired = (int) wanted.values().stream().filter(b -> b).count();
        var ru = ds.getSpec().getUpdateStrategy() == null ? null : ds.getSpec().getUpdateStrategy().getRollingUpdate();
        IntOrString maxUnavailableSpec = ru == null ? null : ru.getMaxUnavailable();
        int maxUnavailable = maxUnavailableSpec == null ? 1 : IntOrPercent.scaled(maxUnavailableSpec, desired, true, 0);
        if (maxUnavailable == 0) {
            maxUnavailable = 1;
        }
        int unavailable = 0;
        List<Pod> oldAvailable = new ArrayList<>();
        List<Pod> victims = new ArrayList<>();
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            if (!wanted.getOrDefault(name, false)) {
                continue;
            }
            List<Pod> pods = podsByNode.getOrDefault(name, List.of()).stream().filter(p -> !alreadyDeleting.contains(p)).toList();
            if (pods.isEmpty()) {
                unavailable++;
                continue;
            }
            Pod p = pods.get(0);
            boolean old = !hash.equals(p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION_LABEL));
            boolean available = Pods.isAvailable(p, minReady, now);
            if (!available) {
                unavailable++;
                if (old) {
                    victims.add(p);
                }
            } else if (old) {
                oldAvailable.add(p);
            }
        }
        for (Pod p : oldAvailable) {
            if (unavailable >= maxUnavailable) {
                break;
            }
            victims.add(p);
            unavailable++;
        }
        return victims;
    }

    private void createPod(DaemonSet ds, String node, String hash) {
        Pod pod = PodTemplates.newPod(ds.getSpec().getTemplate(), ds);
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(pod.getMetadata().getLabels());
        labels.put(REVISION_LABEL, hash);
        pod.getMetadata().setLabels(labels);
        PodSpec spec = pod.getSpec();
        spec.setTolerations(daemonTolerations(spec));
        var term = new NodeSelectorTermBuilder().withMatchFields(new NodeSelectorRequirementBuilder()
                .withKey("metadata.name").withOperator("In").withValues(node).build()).build();
        spec.setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder(spec.getAffinity() == null
                ? new io.fabric8.kubernetes.api.model.Affinity() : spec.getAffinity())
                .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(term).endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
        try {
            Pod created = client.pods().inNamespace(ds.getMetadata().getNamespace()).resource(pod).create();
            recorder.event(ds, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            recorder.event(ds, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    private void updateStatus(DaemonSet ds, DaemonSet cached, List<Node> nodes, Map<String, List<Pod>> podsByNode,
                              String hash, Instant now, int minReady) {
        int desired = 0;
        int current = 0;
        int misscheduled = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        for (Node node : nodes) {
            String name = node.getMetadata().getName();
            boolean run = shouldRun(ds, node);
            List<Pod> pods = podsByNode.getOrDefault(name, List.of());
            if (run) {
                desired++;
            }
            if (pods.isEmpty()) {
                continue;
            }
            if (!run) {
                misscheduled++;
                continue;
            }
            current++;
            Pod p = pods.get(0);
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
            if (p.getMetadata().getLabels() != null && hash.equals(p.getMetadata().getLabels().get(REVISION_LABEL))) {
                updated++;
            }
        }
        DaemonSetStatus old = cached.getStatus();
        DaemonSetStatus status = new DaemonSetStatusBuilder()
                .withDesiredNumberScheduled(desired).withCurrentNumberScheduled(current)
                .withNumberMisscheduled(misscheduled).withNumberReady(ready).withNumberAvailable(available)
                .withNumberUnavailable(Math.max(0, desired - available)).withUpdatedNumberScheduled(updated)
                .withObservedGeneration(ds.getMetadata().getGeneration())
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .withConditions(old == null ? null : old.getConditions()).build();
        if (status.equals(old)) {
            return;
        }
        ds.setStatus(status);
        client.apps().daemonSets().inNamespace(ds.getMetadata().getNamespace()).resource(ds).updateStatus();
        if (minReady > 0 && ready > available) {
            enqueueAfter(Keys.of(ds), java.time.Duration.ofSeconds(minReady));
        }
    }
}
