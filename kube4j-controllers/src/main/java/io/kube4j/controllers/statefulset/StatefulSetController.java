package io.kube4j.controllers.statefulset;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.deployment.TemplateHash;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.ControllerHistory;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.PodTemplates;
import io.kube4j.controllers.util.Pods;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Gives each replica of a StatefulSet a stable identity: pod {@code <name>-<ordinal>}, hostname and
 * subdomain, and PVCs from volumeClaimTemplates that outlive the pod. OrderedReady creates pods one
 * at a time in ordinal order (and removes them in reverse) waiting for each to be ready; Parallel
 * does not wait. RollingUpdate replaces pods at or above the partition from the highest ordinal
 * down, one at a time; OnDelete leaves that to the user. Template revisions are recorded as
 * ControllerRevisions.
 */
public final class StatefulSetController extends Controller {
    public static final String POD_NAME_LABEL = "statefulset.kubernetes.io/pod-name";
    public static final String POD_INDEX_LABEL = "apps.kubernetes.io/pod-index";
    public static final String REVISION_LABEL = ControllerHistory.REVISION_LABEL;

    private final KubernetesClient client;
    private final Informers informers;
    private final ControllerHistory history;
    private final EventRecorder recorder;
    private final Clock clock;

    public StatefulSetController(ControllerContext ctx) {
        super("statefulset-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("statefulset-controller");
        this.clock = ctx.clock();
        informers.of(StatefulSet.class).addEventHandler(Handlers.any(this::enqueue));
        this.history = new ControllerHistory(client, informers);
        informers.of(PersistentVolumeClaim.class);
        informers.of(Pod.class).addEventHandler(Handlers.any(p -> {
            OwnerReference ref = OwnerRefs.controllerOf(p);
            if (ref != null && "StatefulSet".equals(ref.getKind())) {
                enqueue(Keys.of(p.getMetadata().getNamespace(), ref.getName()));
            }
        }));
    }

    static Integer ordinal(StatefulSet sts, Pod pod) {
        String prefix = sts.getMetadata().getName() + "-";
        String name = pod.getMetadata().getName();
        if (!name.startsWith(prefix)) {
            return null;
        }
        try {
            return Integer.parseInt(name.substring(prefix.length()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String revisionOf(Pod p) {
        return p.getMetadata().getLabels() == null ? null : p.getMetadata().getLabels().get(REVISION_LABEL);
    }

    @Override
    public void sync(String key) {
        StatefulSet cached = informers.get(StatefulSet.class, key);
        if (cached == null) {
            return;
        }
        StatefulSet sts = new StatefulSetBuilder(cached).build();
        String ns = sts.getMetadata().getNamespace();
        String updateRevision = ensureRevision(sts);
        TreeMap<Integer, Pod> pods = new TreeMap<>();
        for (Pod p : informers.inNamespace(Pod.class, ns)) {
            if (OwnerRefs.isControlledBy(p, sts)) {
                Integer ord = ordinal(sts, p);
                if (ord != null) {
                    pods.put(ord, p);
                }
            }
        }
        int replicas = sts.getSpec().getReplicas() == null ? 1 : sts.getSpec().getReplicas();
        int start = sts.getSpec().getOrdinals() == null || sts.getSpec().getOrdinals().getStart() == null ? 0
                : sts.getSpec().getOrdinals().getStart();
        boolean parallel = "Parallel".equals(sts.getSpec().getPodManagementPolicy());
        int minReady = sts.getSpec().getMinReadySeconds() == null ? 0 : sts.getSpec().getMinReadySeconds();
        Instant now = clock.instant();
        String currentRevision = sts.getStatus() == null || sts.getStatus().getCurrentRevision() == null
                ? updateRevision : sts.getStatus().getCurrentRevision();

        if (sts.getMetadata().getDeletionTimestamp() == null) {
            manage(sts, pods, replicas, start, parallel, minReady, now, updateRevision);
        }
        writeStatus(sts, cached, pods, updateRevision, currentRevision, minReady, now, replicas);
    }

    private void manage(StatefulSet sts, TreeMap<Integer, Pod> pods, int replicas, int start, boolean parallel,
                        int minReady, Instant now, String updateRevision) {
        int end = start + replicas;
        // Failed pods are replaced under the same name.
        for (Pod p : new ArrayList<>(pods.values())) {
            if ("Failed".equals(Pods.phase(p)) && p.getMetadata().getDeletionTimestamp() == null) {
                deletePod(sts, p);
                return;
            }
        }
        for (int ord = start; ord < end; ord++) {
            Pod p = pods.get(ord);
            if (p == null) {
                createPod(sts, ord, updateRevision);
                if (!parallel) {
                    return;
                }
                continue;
            }
            if (!parallel && (p.getMetadata().getDeletionTimestamp() != null || !Pods.isAvailable(p, minReady, now))) {
                if (minReady > 0 && Pods.isReady(p)) {
                    enqueueAfter(Keys.of(sts), Duration.ofSeconds(minReady));
                }
                return;
            }
        }
        // Condemned pods: ordinals outside [start, end), the highest first.
        List<Pod> condemned = new ArrayList<>();
        for (Map.Entry<Integer, Pod> e : pods.descendingMap().entrySet()) {
            if (e.getKey() < start || e.getKey() >= end) {
                condemned.add(e.getValue());
            }
        }
        for (Pod p : condemned) {
            if (p.getMetadata().getDeletionTimestamp() != null) {
                if (!parallel) {
                    return;
                }
                continue;
            }
            deletePod(sts, p);
            if (!parallel) {
                return;
            }
        }
        var strategy = sts.getSpec().getUpdateStrategy();
        if (strategy != null && "OnDelete".equals(strategy.getType())) {
            return;
        }
        int partition = strategy == null || strategy.getRollingUpdate() == null
                || strategy.getRollingUpdate().getPartition() == null ? 0 : strategy.getRollingUpdate().getPartition();
        for (int ord = end - 1; ord >= start; ord--) {
            if (ord - start < partition) {
                break;
            }
            Pod p = pods.get(ord);
            if (p == null || p.getMetadata().getDeletionTimestamp() != null) {
                return;
            }
            if (!updateRevision.substring(sts.getMetadata().getName().length() + 1).equals(revisionOf(p))) {
                deletePod(sts, p);
                return;
            }
            if (!Pods.isAvailable(p, minReady, now)) {
                return;
            }
        }
    }

    /** The ControllerRevision for the current template. */
    private String ensureRevision(StatefulSet sts) {
        return history.ensure(sts, sts.getSpec().getTemplate(), TemplateHash.compute(sts.getSpec().getTemplate(),
                sts.getStatus() == null ? null : sts.getStatus().getCollisionCount()));
    }

    private void createPod(StatefulSet sts, int ord, String revision) {
        String ns = sts.getMetadata().getNamespace();
        String podName = sts.getMetadata().getName() + "-" + ord;
        Pod pod = PodTemplates.newPod(sts.getSpec().getTemplate(), sts);
        pod.getMetadata().setGenerateName(null);
        pod.getMetadata().setName(podName);
        Map<String, String> labels = pod.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                : new LinkedHashMap<>(pod.getMetadata().getLabels());
        labels.put(POD_NAME_LABEL, podName);
        labels.put(POD_INDEX_LABEL, Integer.toString(ord));
        labels.put(REVISION_LABEL, revision.substring(sts.getMetadata().getName().length() + 1));
        pod.getMetadata().setLabels(labels);
        pod.getSpec().setHostname(podName);
        if (sts.getSpec().getServiceName() != null && !sts.getSpec().getServiceName().isEmpty()) {
            pod.getSpec().setSubdomain(sts.getSpec().getServiceName());
        }
        if (sts.getSpec().getVolumeClaimTemplates() != null) {
            List<Volume> volumes = pod.getSpec().getVolumes() == null ? new ArrayList<>() : new ArrayList<>(pod.getSpec().getVolumes());
            for (PersistentVolumeClaim template : sts.getSpec().getVolumeClaimTemplates()) {
                String claim = template.getMetadata().getName() + "-" + podName;
                ensureClaim(sts, template, claim, labels);
                volumes.removeIf(v -> template.getMetadata().getName().equals(v.getName()));
                volumes.add(new VolumeBuilder().withName(template.getMetadata().getName())
                        .withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim().build());
            }
            pod.getSpec().setVolumes(volumes);
        }
        try {
            client.pods().inNamespace(ns).resource(pod).create();
            recorder.event(sts, EventRecorder.NORMAL, "SuccessfulCreate", "create Pod " + podName + " in StatefulSet "
                    + sts.getMetadata().getName() + " successful");
        } catch (KubernetesClientException e) {
            if (e.getCode() == 409) {
                return;
            }
            recorder.event(sts, EventRecorder.WARNING, "FailedCreate", "create Pod " + podName + " in StatefulSet "
                    + sts.getMetadata().getName() + " failed error: " + e.getMessage());
            throw e;
        }
    }

    private void ensureClaim(StatefulSet sts, PersistentVolumeClaim template, String claim, Map<String, String> podLabels) {
        String ns = sts.getMetadata().getNamespace();
        if (informers.get(PersistentVolumeClaim.class, Keys.of(ns, claim)) != null) {
            return;
        }
        Map<String, String> labels = new LinkedHashMap<>();
        if (template.getMetadata().getLabels() != null) {
            labels.putAll(template.getMetadata().getLabels());
        }
        if (sts.getSpec().getSelector() != null && sts.getSpec().getSelector().getMatchLabels() != null) {
            labels.putAll(sts.getSpec().getSelector().getMatchLabels());
        }
        PersistentVolumeClaim pvc = new PersistentVolumeClaimBuilder(template).editMetadata().withName(claim)
                .withNamespace(ns).withLabels(labels).withResourceVersion(null).withUid(null).endMetadata()
                .withStatus(null).build();
        try {
            client.persistentVolumeClaims().inNamespace(ns).resource(pvc).create();
            recorder.event(sts, EventRecorder.NORMAL, "SuccessfulCreate", "create Claim " + claim + " Pod "
                    + podLabels.get(POD_NAME_LABEL) + " in StatefulSet " + sts.getMetadata().getName() + " success");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
        }
    }

    private void deletePod(StatefulSet sts, Pod p) {
        try {
            client.pods().inNamespace(p.getMetadata().getNamespace()).withName(p.getMetadata().getName()).delete();
            recorder.event(sts, EventRecorder.NORMAL, "SuccessfulDelete", "delete Pod " + p.getMetadata().getName()
                    + " in StatefulSet " + sts.getMetadata().getName() + " successful");
        } catch (KubernetesClientException e) {
            if (e.getCode() != 404) {
                throw e;
            }
        }
    }

    private void writeStatus(StatefulSet sts, StatefulSet cached, TreeMap<Integer, Pod> pods, String updateRevision,
                             String currentRevision, int minReady, Instant now, int replicas) {
        String updateHash = updateRevision.substring(sts.getMetadata().getName().length() + 1);
        String currentHash = currentRevision.length() > sts.getMetadata().getName().length()
                ? currentRevision.substring(sts.getMetadata().getName().length() + 1) : "";
        int count = 0;
        int ready = 0;
        int available = 0;
        int updated = 0;
        int current = 0;
        for (Pod p : pods.values()) {
            if (p.getMetadata().getDeletionTimestamp() != null || Pods.isTerminal(p)) {
                continue;
            }
            count++;
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
            if (updateHash.equals(revisionOf(p))) {
                updated++;
            }
            if (currentHash.equals(revisionOf(p))) {
                current++;
            }
        }
        // Once every replica runs the update revision, it becomes the current one.
        if (updated == replicas && count == replicas && ready == replicas) {
            currentRevision = updateRevision;
            current = updated;
        }
        StatefulSetStatus old = cached.getStatus();
        StatefulSetStatus status = new StatefulSetStatusBuilder()
                .withObservedGeneration(sts.getMetadata().getGeneration())
                .withReplicas(count).withReadyReplicas(ready).withAvailableReplicas(available)
                .withCurrentReplicas(current).withUpdatedReplicas(updated)
                .withCurrentRevision(currentRevision).withUpdateRevision(updateRevision)
                .withCollisionCount(old == null ? null : old.getCollisionCount())
                .withConditions(old == null ? null : old.getConditions()).build();
        if (Objects.equals(status, old)) {
            return;
        }
        sts.setStatus(status);
        client.apps().statefulSets().inNamespace(sts.getMetadata().getNamespace()).resource(sts).updateStatus();
    }
}
