package io.kube4j.controllers.deployment;

import static io.kube4j.controllers.deployment.DeploymentUtil.active;
import static io.kube4j.controllers.deployment.DeploymentUtil.replicas;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.ControllerRefManager;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.OwnerReferencePatcher;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.Selectors;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Rolls a Deployment's pod template out through ReplicaSets: one new ReplicaSet per template
 * (named by the pod-template-hash), old ones scaled down as the new one becomes available
 * (RollingUpdate within maxSurge/maxUnavailable, or all at once for Recreate), with revisions,
 * history cleanup, pause, proportional scaling and the Progressing/Available conditions.
 */
public final class DeploymentController extends Controller {
    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final Clock clock;
    private final OwnerReferencePatcher patcher;

    public DeploymentController(ControllerContext ctx) {
        super("deployment-controller", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder("deployment-controller");
        this.clock = ctx.clock();
        this.patcher = new OwnerReferencePatcher(client);
        informers.of(Deployment.class).addEventHandler(Handlers.any(this::enqueue));
        informers.of(ReplicaSet.class).addEventHandler(Handlers.of(this::rsAdded, this::rsUpdated, this::rsDeleted));
        informers.of(Pod.class).addEventHandler(Handlers.of(p -> { }, (o, n) -> { }, this::podDeleted));
    }

    // ---- event handlers: find the deployments a change concerns ----

    private Deployment resolve(String namespace, OwnerReference ref) {
        if (ref == null || !"Deployment".equals(ref.getKind())) {
            return null;
        }
        Deployment d = informers.get(Deployment.class, Keys.of(namespace, ref.getName()));
        return d != null && Objects.equals(d.getMetadata().getUid(), ref.getUid()) ? d : null;
    }

    private void enqueueSelecting(ReplicaSet rs) {
        for (Deployment d : informers.inNamespace(Deployment.class, rs.getMetadata().getNamespace())) {
            if (!Selectors.isEmpty(d.getSpec().getSelector())
                    && Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels())) {
                enqueue(d);
            }
        }
    }

    private void rsAdded(ReplicaSet rs) {
        OwnerReference ref = OwnerRefs.controllerOf(rs);
        if (ref != null) {
            Deployment d = resolve(rs.getMetadata().getNamespace(), ref);
            if (d != null) {
                enqueue(d);
            }
            return;
        }
        enqueueSelecting(rs);
    }

    private void rsUpdated(ReplicaSet old, ReplicaSet cur) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
            return;
        }
        OwnerReference curRef = OwnerRefs.controllerOf(cur);
        OwnerReference oldRef = OwnerRefs.controllerOf(old);
        if (!Objects.equals(curRef, oldRef) && oldRef != null) {
            Deployment d = resolve(old.getMetadata().getNamespace(), oldRef);
            if (d != null) {
                enqueue(d);
            }
        }
        if (curRef != null) {
            Deployment d = resolve(cur.getMetadata().getNamespace(), curRef);
            if (d != null) {
                enqueue(d);
            }
            return;
        }
        if (!Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels()) || oldRef != null) {
            enqueueSelecting(cur);
        }
    }

    private void rsDeleted(ReplicaSet rs) {
        Deployment d = resolve(rs.getMetadata().getNamespace(), OwnerRefs.controllerOf(rs));
        if (d != null) {
            enqueue(d);
        }
    }

    /** Recreate waits for old pods to be gone, and a pod's disappearance changes no ReplicaSet. */
    private void podDeleted(Pod pod) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref == null || !"ReplicaSet".equals(ref.getKind())) {
            return;
        }
        ReplicaSet rs = informers.get(ReplicaSet.class, Keys.of(pod.getMetadata().getNamespace(), ref.getName()));
        if (rs == null) {
            return;
        }
        Deployment d = resolve(rs.getMetadata().getNamespace(), OwnerRefs.controllerOf(rs));
        if (d != null && DeploymentUtil.isRecreate(d)) {
            enqueue(d);
        }
    }

    // ---- sync ----

    @Override
    public void sync(String key) throws Exception {
        Deployment cached = informers.get(Deployment.class, key);
        if (cached == null) {
            return;
        }
        Deployment d = new DeploymentBuilder(cached).build();
        if (Selectors.isEmpty(d.getSpec().getSelector())) {
            recorder.event(d, EventRecorder.WARNING, "SelectingAll",
                    "This deployment is selecting all pods. A non-empty selector is required.");
            return;
        }
        List<ReplicaSet> rsList = claimReplicaSets(d);
        Sync s = new Sync(d, rsList);
        if (d.getMetadata().getDeletionTimestamp() != null) {
            s.syncStatusOnly();
            return;
        }
        s.checkPausedConditions();
        if (DeploymentUtil.isPaused(d)) {
            s.scaleAndCleanup();
            return;
        }
        if (s.isScalingEvent()) {
            s.scaleAndCleanup();
            return;
        }
        if (DeploymentUtil.isRecreate(d)) {
            s.rolloutRecreate();
        } else {
            s.rolloutRolling();
        }
    }

    private List<ReplicaSet> claimReplicaSets(Deployment d) {
        List<ReplicaSet> candidates = informers.inNamespace(ReplicaSet.class, d.getMetadata().getNamespace());
        ControllerRefManager<ReplicaSet> manager = new ControllerRefManager<>(d,
                rs -> Selectors.matches(d.getSpec().getSelector(), rs.getMetadata().getLabels()),
                () -> {
                    Deployment fresh = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                            .withName(d.getMetadata().getName()).get();
                    return fresh != null && Objects.equals(fresh.getMetadata().getUid(), d.getMetadata().getUid())
                            && fresh.getMetadata().getDeletionTimestamp() == null;
                }, patcher);
        return new ArrayList<>(manager.claim(candidates));
    }

    /** The state of one sync: the deployment being written and its ReplicaSets as last written. */
    private final class Sync {
        Deployment d;
        /** The status as the server holds it: d's status may carry a condition not yet written. */
        DeploymentStatus written;
        final List<ReplicaSet> rsList;
        ReplicaSet newRS;
        final List<ReplicaSet> oldRSs = new ArrayList<>();

        Sync(Deployment d, List<ReplicaSet> rsList) {
            this.d = d;
            this.rsList = rsList;
            this.written = copy(d.getStatus());
        }

        Instant now() {
            return clock.instant();
        }

        List<ReplicaSet> allRSs() {
            List<ReplicaSet> all = new ArrayList<>(oldRSs);
            if (newRS != null) {
                all.add(newRS);
            }
            return all;
        }

        ReplicaSet findNewReplicaSet() {
            return rsList.stream().sorted(DeploymentUtil.oldestFirst())
                    .filter(rs -> TemplateHash.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate()))
                    .findFirst().orElse(null);
        }

        void splitReplicaSets(boolean create) {
            ReplicaSet existing = findNewReplicaSet();
            oldRSs.clear();
            for (ReplicaSet rs : rsList) {
                if (existing == null || !rs.getMetadata().getUid().equals(existing.getMetadata().getUid())) {
                    oldRSs.add(rs);
                }
            }
            newRS = getNewReplicaSet(existing, create);
        }

        ReplicaSet getNewReplicaSet(ReplicaSet existing, boolean create) {
            long newRevision = DeploymentUtil.maxRevision(oldRSs) + 1;
            if (existing != null) {
                ReplicaSet copy = new ReplicaSetBuilder(existing).build();
                boolean annotationsChanged = setNewReplicaSetAnnotations(copy, newRevision, true);
                boolean minReadyChanged = !Objects.equals(copy.getSpec().getMinReadySeconds(), d.getSpec().getMinReadySeconds());
                if (annotationsChanged || minReadyChanged) {
                    copy.getSpec().setMinReadySeconds(d.getSpec().getMinReadySeconds());
                    copy = client.apps().replicaSets().inNamespace(copy.getMetadata().getNamespace()).resource(copy).update();
                }
                syncDeploymentRevision(DeploymentUtil.revision(copy));
                if (DeploymentUtil.hasProgressDeadline(d)
                        && DeploymentUtil.condition(d.getStatus(), DeploymentUtil.PROGRESSING) == null) {
                    // written with the status this sync ends with, as NewReplicaSetCreated below
                    DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
                            "FoundNewReplicaSet", "Found new replica set \"" + copy.getMetadata().getName() + "\"", now()));
                }
                return copy;
            }
            if (!create) {
                return null;
            }
            Integer collisionCount = d.getStatus() == null ? null : d.getStatus().getCollisionCount();
            String hash = TemplateHash.compute(d.getSpec().getTemplate(), collisionCount);
            PodTemplateSpec template = TemplateHash.withoutHash(d.getSpec().getTemplate());
            Map<String, String> labels = new LinkedHashMap<>();
            if (template.getMetadata().getLabels() != null) {
                labels.putAll(template.getMetadata().getLabels());
            }
            labels.put(TemplateHash.LABEL, hash);
            template.getMetadata().setLabels(labels);
            var selector = new io.fabric8.kubernetes.api.model.LabelSelectorBuilder(d.getSpec().getSelector()).build();
            Map<String, String> matchLabels = new LinkedHashMap<>();
            if (selector.getMatchLabels() != null) {
                matchLabels.putAll(selector.getMatchLabels());
            }
            matchLabels.put(TemplateHash.LABEL, hash);
            selector.setMatchLabels(matchLabels);
            ReplicaSet rs = new ReplicaSetBuilder()
                    .withNewMetadata().withName(d.getMetadata().getName() + "-" + hash)
                    .withNamespace(d.getMetadata().getNamespace()).withLabels(labels)
                    .withOwnerReferences(OwnerRefs.newControllerRef(d)).endMetadata()
                    .withNewSpec().withReplicas(0).withMinReadySeconds(d.getSpec().getMinReadySeconds())
                    .withSelector(selector).withTemplate(template).endSpec().build();
            int newReplicas = DeploymentUtil.newRSNewReplicas(d, oldRSs, rs);
            rs.getSpec().setReplicas(newReplicas);
            setNewReplicaSetAnnotations(rs, newRevision, false);
            ReplicaSet created;
            boolean alreadyExisted = false;
            try {
                created = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(rs).create();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 409) {
                    recordCreateFailure(e);
                    throw e;
                }
                ReplicaSet found = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                        .withName(rs.getMetadata().getName()).get();
                if (found != null && OwnerRefs.isControlledBy(found, d)
                        && TemplateHash.equalIgnoreHash(found.getSpec().getTemplate(), d.getSpec().getTemplate())) {
                    created = found;
                    alreadyExisted = true;
                } else {
                    // A different object holds this name: change the hash input and try again.
                    DeploymentStatus st = status();
                    st.setCollisionCount(collisionCount == null ? 1 : collisionCount + 1);
                    writeStatus(st);
                    throw new IllegalStateException("hash collision creating " + rs.getMetadata().getName());
                }
            }
            if (!alreadyExisted && newReplicas > 0) {
                recorder.event(d, EventRecorder.NORMAL, "ScalingReplicaSet", "Scaled up replica set "
                        + created.getMetadata().getName() + " from 0 to " + newReplicas);
            }
            syncDeploymentRevision(newRevision);
            if (!alreadyExisted && DeploymentUtil.hasProgressDeadline(d)) {
                // Upstream writes this condition at once, in one status write with the revision annotation. Here the
                // annotation is a write of its own (a status write keeps metadata), so the condition waits for the
                // status write this sync ends with, which also carries observedGeneration: a watcher such as kubectl
                // rollout status sees one write, as upstream, with the spec change not yet observed.
                DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
                        "NewReplicaSetCreated", "Created new replica set \"" + created.getMetadata().getName() + "\"", now()));
            }
            rsList.add(created);
            return created;
        }

        private void recordCreateFailure(KubernetesClientException e) {
            String msg = "Failed to create new replica set: " + e.getMessage();
            recorder.event(d, EventRecorder.WARNING, "FailedCreate", msg);
            if (DeploymentUtil.hasProgressDeadline(d)) {
                DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.REPLICA_FAILURE,
                        "True", "FailedCreate", msg, now()));
                try {
                    writeStatus(d.getStatus());
                } catch (KubernetesClientException ignored) {
                    // the create error is what gets reported
                }
            }
        }

        /** Revision, revision history, desired/max replicas and the deployment's own annotations. */
        boolean setNewReplicaSetAnnotations(ReplicaSet rs, long newRevision, boolean exists) {
            Map<String, String> ann = rs.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(rs.getMetadata().getAnnotations());
            Map<String, String> before = new LinkedHashMap<>(ann);
            if (d.getMetadata().getAnnotations() != null) {
                d.getMetadata().getAnnotations().forEach((k, v) -> {
                    if (!DeploymentUtil.NOT_COPIED_ANNOTATIONS.contains(k)) {
                        ann.put(k, v);
                    }
                });
            }
            String oldRevision = ann.get(DeploymentUtil.REVISION);
            long oldRev = 0;
            try {
                oldRev = oldRevision == null ? 0 : Long.parseLong(oldRevision);
            } catch (NumberFormatException ignored) {
                // treated as no revision
            }
            if (oldRev < newRevision) {
                ann.put(DeploymentUtil.REVISION, Long.toString(newRevision));
                if (exists && oldRevision != null && !oldRevision.isEmpty()) {
                    String history = ann.get(DeploymentUtil.REVISION_HISTORY);
                    ann.put(DeploymentUtil.REVISION_HISTORY,
                            history == null || history.isEmpty() ? oldRevision : history + "," + oldRevision);
                }
            }
            if (!exists) {
                ann.put(DeploymentUtil.DESIRED_REPLICAS, Integer.toString(replicas(d)));
                ann.put(DeploymentUtil.MAX_REPLICAS, Integer.toString(replicas(d) + DeploymentUtil.maxSurge(d)));
            }
            rs.getMetadata().setAnnotations(ann);
            return !ann.equals(before);
        }

        /** The deployment carries the revision of its new ReplicaSet (kubectl rollout history reads it). */
        void syncDeploymentRevision(long revision) {
            Map<String, String> ann = d.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                    : new LinkedHashMap<>(d.getMetadata().getAnnotations());
            String value = Long.toString(revision);
            if (value.equals(ann.get(DeploymentUtil.REVISION))) {
                return;
            }
            ann.put(DeploymentUtil.REVISION, value);
            Deployment copy = new DeploymentBuilder(d).build();
            copy.getMetadata().setAnnotations(ann);
            Deployment updated = client.apps().deployments().inNamespace(d.getMetadata().getNamespace()).resource(copy).update();
            updated.setStatus(d.getStatus());
            d = updated;
        }

        DeploymentStatus status() {
            if (d.getStatus() == null) {
                d.setStatus(new DeploymentStatus());
            }
            return d.getStatus();
        }

        void writeStatus(DeploymentStatus s) {
            Deployment copy = new DeploymentBuilder(d).withStatus(s).build();
            Deployment updated = client.apps().deployments().inNamespace(d.getMetadata().getNamespace())
                    .resource(copy).updateStatus();
            d = updated;
            written = copy(updated.getStatus());
        }

        private static DeploymentStatus copy(DeploymentStatus s) {
            return s == null ? null : new DeploymentStatusBuilder(s).build();
        }

        ReplicaSet scale(ReplicaSet rs, int newScale) {
            int current = replicas(rs);
            String desired = Integer.toString(replicas(d));
            String max = Integer.toString(replicas(d) + DeploymentUtil.maxSurge(d));
            Map<String, String> ann = rs.getMetadata().getAnnotations() == null ? Map.of() : rs.getMetadata().getAnnotations();
            if (current == newScale && desired.equals(ann.get(DeploymentUtil.DESIRED_REPLICAS))
                    && max.equals(ann.get(DeploymentUtil.MAX_REPLICAS))) {
                return rs;
            }
            ReplicaSet copy = new ReplicaSetBuilder(rs).build();
            Map<String, String> newAnn = new LinkedHashMap<>(ann);
            newAnn.put(DeploymentUtil.DESIRED_REPLICAS, desired);
            newAnn.put(DeploymentUtil.MAX_REPLICAS, max);
            copy.getMetadata().setAnnotations(newAnn);
            copy.getSpec().setReplicas(newScale);
            ReplicaSet updated = client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace()).resource(copy).update();
            if (current != newScale) {
                recorder.event(d, EventRecorder.NORMAL, "ScalingReplicaSet", "Scaled " + (newScale > current ? "up" : "down")
                        + " replica set " + rs.getMetadata().getName() + " from " + current + " to " + newScale);
            }
            replace(updated);
            return updated;
        }

        void replace(ReplicaSet updated) {
            String uid = updated.getMetadata().getUid();
            if (newRS != null && uid.equals(newRS.getMetadata().getUid())) {
                newRS = updated;
            }
            oldRSs.replaceAll(rs -> uid.equals(rs.getMetadata().getUid()) ? updated : rs);
            rsList.replaceAll(rs -> uid.equals(rs.getMetadata().getUid()) ? updated : rs);
        }

        // ---- paused, scaling, status only ----

        void syncStatusOnly() {
            splitReplicaSets(false);
            syncDeploymentStatus();
        }

        void checkPausedConditions() {
            if (!DeploymentUtil.hasProgressDeadline(d)) {
                return;
            }
            DeploymentCondition c = DeploymentUtil.condition(d.getStatus(), DeploymentUtil.PROGRESSING);
            boolean pausedCondition = c != null && DeploymentUtil.PAUSED.equals(c.getReason());
            if (DeploymentUtil.isPaused(d) && !pausedCondition) {
                DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING,
                        "Unknown", DeploymentUtil.PAUSED, "Deployment is paused", now()));
                writeStatus(d.getStatus());
            } else if (!DeploymentUtil.isPaused(d) && pausedCondition) {
                DeploymentUtil.setCondition(status(), DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING,
                        "Unknown", DeploymentUtil.RESUMED, "Deployment is resumed", now()));
                writeStatus(d.getStatus());
            }
        }

        boolean isScalingEvent() {
            splitReplicaSets(false);
            for (ReplicaSet rs : active(allRSs())) {
                Integer desired = DeploymentUtil.intAnnotation(rs, DeploymentUtil.DESIRED_REPLICAS);
                if (desired != null && desired != replicas(d)) {
                    return true;
                }
            }
            return false;
        }

        void scaleAndCleanup() {
            splitReplicaSets(false);
            scaleProportionally();
            if (DeploymentUtil.isPaused(d)) {
                cleanup();
            }
            syncDeploymentStatus();
        }

        void scaleProportionally() {
            List<ReplicaSet> activeRSs = active(allRSs());
            ReplicaSet activeOrLatest = null;
            if (activeRSs.size() == 1) {
                activeOrLatest = activeRSs.get(0);
            } else if (activeRSs.isEmpty()) {
                activeOrLatest = newRS != null ? newRS
                        : oldRSs.stream().max(DeploymentUtil.oldestFirst()).orElse(null);
            }
            if (activeOrLatest != null || activeRSs.size() <= 1) {
                if (activeOrLatest != null && replicas(activeOrLatest) != replicas(d)) {
                    scale(activeOrLatest, replicas(d));
                }
                return;
            }
            if (DeploymentUtil.isSaturated(d, newRS)) {
                for (ReplicaSet old : active(new ArrayList<>(oldRSs))) {
                    scale(old, 0);
                }
                return;
            }
            if (DeploymentUtil.isRecreate(d)) {
                return;
            }
            int allReplicas = DeploymentUtil.sumReplicas(activeRSs);
            int allowed = replicas(d) > 0 ? replicas(d) + DeploymentUtil.maxSurge(d) : 0;
            int toAdd = allowed - allReplicas;
            List<ReplicaSet> ordered = new ArrayList<>(activeRSs);
            Comparator<ReplicaSet> bySize = Comparator.comparingInt(DeploymentUtil::replicas);
            if (toAdd > 0) {
                ordered.sort(bySize.reversed().thenComparing(DeploymentUtil.oldestFirst().reversed()));
            } else {
                ordered.sort(bySize.reversed().thenComparing(DeploymentUtil.oldestFirst()));
            }
            Map<String, Integer> sizes = new HashMap<>();
            int added = 0;
            for (ReplicaSet rs : ordered) {
                int p = toAdd != 0 ? DeploymentUtil.proportion(rs, d, toAdd, added) : 0;
                sizes.put(rs.getMetadata().getName(), replicas(rs) + p);
                added += p;
            }
            int leftover = toAdd - added;
            if (leftover != 0 && !ordered.isEmpty()) {
                String first = ordered.get(0).getMetadata().getName();
                sizes.put(first, Math.max(0, sizes.get(first) + leftover));
            }
            for (ReplicaSet rs : ordered) {
                scale(rs, sizes.get(rs.getMetadata().getName()));
            }
        }

        // ---- rolling update ----

        void rolloutRolling() {
            splitReplicaSets(true);
            if (reconcileNewReplicaSet()) {
                syncRolloutStatus();
                return;
            }
            if (reconcileOldReplicaSets()) {
                syncRolloutStatus();
                return;
            }
            if (d.getStatus() != null && DeploymentUtil.complete(d, d.getStatus())) {
                cleanup();
            }
            syncRolloutStatus();
        }

        boolean reconcileNewReplicaSet() {
            if (newRS == null) {
                return false;
            }
            int current = replicas(newRS);
            if (current == replicas(d)) {
                return false;
            }
            if (current > replicas(d)) {
                scale(newRS, replicas(d));
                return true;
            }
            int target = DeploymentUtil.newRSNewReplicas(d, allRSs(), newRS);
            if (target == current) {
                return false;
            }
            scale(newRS, target);
            return true;
        }

        boolean reconcileOldReplicaSets() {
            List<ReplicaSet> activeOld = active(new ArrayList<>(oldRSs));
            if (DeploymentUtil.sumReplicas(activeOld) == 0) {
                return false;
            }
            int allPods = DeploymentUtil.sumReplicas(allRSs());
            int minAvailable = replicas(d) - DeploymentUtil.maxUnavailable(d);
            // Availability counts only pods the ReplicaSets keep (see DeploymentUtil.availableWithinSpec).
            int newUnavailable = newRS == null ? 0 : replicas(newRS) - DeploymentUtil.availableWithinSpec(newRS);
            int maxScaledDown = allPods - minAvailable - newUnavailable;
            if (maxScaledDown <= 0) {
                return false;
            }
            int cleaned = cleanupUnhealthyReplicas(activeOld, maxScaledDown);
            int scaled = scaleDownOldForRollingUpdate(active(new ArrayList<>(oldRSs)));
            return cleaned + scaled > 0;
        }

        /** Old replicas that are not available are removed first: they cost no availability. */
        int cleanupUnhealthyReplicas(List<ReplicaSet> old, int maxCleanup) {
            List<ReplicaSet> sorted = new ArrayList<>(old);
            sorted.sort(DeploymentUtil.oldestFirst());
            int total = 0;
            for (ReplicaSet rs : sorted) {
                if (total >= maxCleanup) {
                    break;
                }
                int unhealthy = replicas(rs) - DeploymentUtil.availableWithinSpec(rs);
                if (replicas(rs) == 0 || unhealthy <= 0) {
                    continue;
                }
                int count = Math.min(maxCleanup - total, unhealthy);
                scale(rs, replicas(rs) - count);
                total += count;
            }
            return total;
        }

        int scaleDownOldForRollingUpdate(List<ReplicaSet> old) {
            int minAvailable = replicas(d) - DeploymentUtil.maxUnavailable(d);
            int available = allRSs().stream().mapToInt(DeploymentUtil::availableWithinSpec).sum();
            if (available <= minAvailable) {
                return 0;
            }
            int total = available - minAvailable;
            List<ReplicaSet> sorted = new ArrayList<>(old);
            sorted.sort(DeploymentUtil.oldestFirst());
            int scaled = 0;
            for (ReplicaSet rs : sorted) {
                if (scaled >= total) {
                    break;
                }
                if (replicas(rs) == 0) {
                    continue;
                }
                int count = Math.min(replicas(rs), total - scaled);
                scale(rs, replicas(rs) - count);
                scaled += count;
            }
            return scaled;
        }

        // ---- recreate ----

        void rolloutRecreate() {
            splitReplicaSets(false);
            boolean scaledDown = false;
            for (ReplicaSet rs : active(new ArrayList<>(oldRSs))) {
                scale(rs, 0);
                scaledDown = true;
            }
            if (scaledDown) {
                syncRolloutStatus();
                return;
            }
            if (oldPodsRunning()) {
                syncRolloutStatus();
                return;
            }
            if (newRS == null) {
                splitReplicaSets(true);
            }
            if (newRS != null && replicas(newRS) != replicas(d)) {
                scale(newRS, replicas(d));
            }
            if (d.getStatus() != null && DeploymentUtil.complete(d, d.getStatus())) {
                cleanup();
            }
            syncRolloutStatus();
        }

        boolean oldPodsRunning() {
            if (oldRSs.stream().mapToInt(DeploymentUtil::statusReplicas).sum() > 0) {
                return true;
            }
            List<String> oldUids = oldRSs.stream().map(rs -> rs.getMetadata().getUid()).toList();
            for (Pod p : informers.inNamespace(Pod.class, d.getMetadata().getNamespace())) {
                OwnerReference ref = OwnerRefs.controllerOf(p);
                if (ref != null && oldUids.contains(ref.getUid()) && !Pods.isTerminal(p)) {
                    return true;
                }
            }
            return false;
        }

        // ---- history and status ----

        void cleanup() {
            int limit = d.getSpec().getRevisionHistoryLimit() == null ? 10 : d.getSpec().getRevisionHistoryLimit();
            List<ReplicaSet> alive = new ArrayList<>(oldRSs.stream()
                    .filter(rs -> rs.getMetadata().getDeletionTimestamp() == null).toList());
            int diff = alive.size() - limit;
            if (diff <= 0) {
                return;
            }
            alive.sort(Comparator.comparingLong(DeploymentUtil::revision).thenComparing(DeploymentUtil.oldestFirst()));
            for (int i = 0; i < diff; i++) {
                ReplicaSet rs = alive.get(i);
                long observed = rs.getStatus() == null || rs.getStatus().getObservedGeneration() == null ? 0
                        : rs.getStatus().getObservedGeneration();
                long gen = rs.getMetadata().getGeneration() == null ? 0 : rs.getMetadata().getGeneration();
                if (DeploymentUtil.statusReplicas(rs) != 0 || replicas(rs) != 0 || gen > observed) {
                    continue;
                }
                try {
                    client.apps().replicaSets().inNamespace(rs.getMetadata().getNamespace())
                            .withName(rs.getMetadata().getName()).delete();
                } catch (KubernetesClientException e) {
                    if (e.getCode() != 404) {
                        throw e;
                    }
                }
            }
        }

        void syncDeploymentStatus() {
            DeploymentStatus s = DeploymentUtil.calculateStatus(allRSs(), newRS, d, now());
            if (!s.equals(written)) {
                writeStatus(s);
            }
        }

        void syncRolloutStatus() {
            Instant now = now();
            DeploymentStatus s = DeploymentUtil.calculateStatus(allRSs(), newRS, d, now);
            if (!DeploymentUtil.hasProgressDeadline(d)) {
                DeploymentUtil.removeCondition(s, DeploymentUtil.PROGRESSING);
            }
            DeploymentCondition current = DeploymentUtil.condition(s, DeploymentUtil.PROGRESSING);
            boolean completeAlready = current != null && DeploymentUtil.NEW_RS_AVAILABLE.equals(current.getReason())
                    && Objects.equals(s.getReplicas(), s.getUpdatedReplicas());
            String rsName = newRS == null ? null : newRS.getMetadata().getName();
            if (DeploymentUtil.hasProgressDeadline(d) && !completeAlready) {
                if (DeploymentUtil.complete(d, s)) {
                    String msg = rsName == null ? "Deployment \"" + d.getMetadata().getName() + "\" has successfully progressed."
                            : "ReplicaSet \"" + rsName + "\" has successfully progressed.";
                    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
                            DeploymentUtil.NEW_RS_AVAILABLE, msg, now));
                } else if (DeploymentUtil.progressing(d, s)) {
                    String msg = rsName == null ? "Deployment \"" + d.getMetadata().getName() + "\" is progressing."
                            : "ReplicaSet \"" + rsName + "\" is progressing.";
                    DeploymentCondition c = DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "True",
                            "ReplicaSetUpdated", msg, now);
                    if (current != null) {
                        if ("True".equals(current.getStatus())) {
                            c.setLastTransitionTime(current.getLastTransitionTime());
                        }
                        DeploymentUtil.removeCondition(s, DeploymentUtil.PROGRESSING);
                    }
                    DeploymentUtil.setCondition(s, c);
                } else if (DeploymentUtil.timedOut(d, s, now)) {
                    String msg = rsName == null ? "Deployment \"" + d.getMetadata().getName() + "\" has timed out progressing."
                            : "ReplicaSet \"" + rsName + "\" has timed out progressing.";
                    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition(DeploymentUtil.PROGRESSING, "False",
                            DeploymentUtil.TIMED_OUT, msg, now));
                }
            }
            ReplicaSetCondition failure = allRSs().stream()
                    .filter(rs -> rs.getStatus() != null && rs.getStatus().getConditions() != null)
                    .flatMap(rs -> rs.getStatus().getConditions().stream())
                    .filter(c -> "ReplicaFailure".equals(c.getType())).findFirst().orElse(null);
            if (failure != null) {
                DeploymentUtil.setCondition(s, DeploymentUtil.newCondition(DeploymentUtil.REPLICA_FAILURE,
                        failure.getStatus(), failure.getReason(), failure.getMessage(), now));
            } else {
                DeploymentUtil.removeCondition(s, DeploymentUtil.REPLICA_FAILURE);
            }
            if (!s.equals(written)) {
                writeStatus(s);
            }
            requeueStuck(s, now);
        }

        /** Progress is not an event: look again when the deadline would pass. */
        void requeueStuck(DeploymentStatus s, Instant now) {
            DeploymentCondition c = DeploymentUtil.condition(s, DeploymentUtil.PROGRESSING);
            if (!DeploymentUtil.hasProgressDeadline(d) || c == null || DeploymentUtil.NEW_RS_AVAILABLE.equals(c.getReason())
                    || DeploymentUtil.TIMED_OUT.equals(c.getReason()) || DeploymentUtil.complete(d, s)) {
                return;
            }
            Instant from = Times.parse(c.getLastUpdateTime());
            if (from == null) {
                return;
            }
            Duration after = Duration.between(now, from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()))
                    .plusSeconds(1);
            enqueueAfter(Keys.of(d), after.isNegative() ? Duration.ZERO : after);
        }
    }
}
