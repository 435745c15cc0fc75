package io.kube4j.controllers.replicaset;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Expectations;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.ControllerRefManager;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.OwnerReferencePatcher;
import io.kube4j.controllers.util.PodTemplates;
import io.kube4j.controllers.util.Pods;
import io.kube4j.controllers.util.PodsByController;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * Keeps the number of active pods of each ReplicaSet (or ReplicationController) equal to its
 * replicas: creates from the template, deletes the lowest-ranked, adopts matching orphans,
 * releases pods whose labels stopped matching, and reports counts through the status subresource.
 */
public final class ReplicaSetController<T extends HasMetadata> extends Controller {
    /** Upstream's burstReplicas: the most pods created or deleted in one sync. */
    static final int BURST_REPLICAS = 500;

    private final ReplicatedKind<T> kind;
    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder recorder;
    private final Clock clock;
    private final ExecutorService apiCalls;
    private final OwnerReferencePatcher patcher;
    private final Expectations expectations;

    public ReplicaSetController(ControllerContext ctx, ReplicatedKind<T> kind) {
        super(kind.controllerName(), ctx.options().concurrentSyncs());
        this.kind = kind;
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.recorder = ctx.recorder(kind.controllerName());
        this.clock = ctx.clock();
        this.apiCalls = ctx.apiCalls();
        this.patcher = new OwnerReferencePatcher(client);
        this.expectations = new Expectations(clock);
        informers.of(kind.type()).addEventHandler(Handlers.of(this::enqueue, (o, n) -> enqueue(n), this::ownerDeleted));
        informers.of(Pod.class).addEventHandler(Handlers.of(this::podAdded, this::podUpdated, this::podDeleted));
        PodsByController.ensureIndex(informers);
    }

    public static ReplicaSetController<io.fabric8.kubernetes.api.model.apps.ReplicaSet> forReplicaSets(ControllerContext ctx) {
        return new ReplicaSetController<>(ctx, new ReplicaSetKind());
    }

    public static ReplicaSetController<io.fabric8.kubernetes.api.model.ReplicationController> forReplicationControllers(
            ControllerContext ctx) {
        return new ReplicaSetController<>(ctx, new ReplicationControllerKind());
    }

    Expectations expectations() {
        return expectations;
    }

    private void ownerDeleted(T obj) {
        String key = Keys.of(obj);
        expectations.delete(key);
        enqueue(key);
    }

    private T resolveControllerRef(String namespace, OwnerReference ref) {
        if (ref == null || !kind.kind().equals(ref.getKind())) {
            return null;
        }
        T owner = informers.get(kind.type(), Keys.of(namespace, ref.getName()));
        if (owner == null || !Objects.equals(owner.getMetadata().getUid(), ref.getUid())) {
            return null;
        }
        return owner;
    }

    private List<T> ownersSelecting(Pod pod) {
        List<T> result = new ArrayList<>();
        for (T owner : informers.inNamespace(kind.type(), pod.getMetadata().getNamespace())) {
            if (kind.selects(owner, pod.getMetadata().getLabels())) {
                result.add(owner);
            }
        }
        return result;
    }

    private void podAdded(Pod pod) {
        if (pod.getMetadata().getDeletionTimestamp() != null) {
            podDeleted(pod);
            return;
        }
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        if (ref != null) {
            T owner = resolveControllerRef(pod.getMetadata().getNamespace(), ref);
            if (owner != null) {
                expectations.creationObserved(Keys.of(owner));
                enqueue(owner);
            }
            return;
        }
        ownersSelecting(pod).forEach(this::enqueue);
    }

    private void podUpdated(Pod old, Pod cur) {
        if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
            return;
        }
        boolean labelsChanged = !Objects.equals(old.getMetadata().getLabels(), cur.getMetadata().getLabels());
        if (cur.getMetadata().getDeletionTimestamp() != null) {
            podDeleted(cur);
            if (labelsChanged) {
                podDeleted(old);
            }
            return;
        }
        OwnerReference curRef = OwnerRefs.controllerOf(cur);
        OwnerReference oldRef = OwnerRefs.controllerOf(old);
        boolean refChanged = !Objects.equals(curRef, oldRef);
        if (refChanged && oldRef != null) {
            T oldOwner = resolveControllerRef(old.getMetadata().getNamespace(), oldRef);
            if (oldOwner != null) {
                enqueue(oldOwner);
            }
        }
        if (curRef != null) {
            T owner = resolveControllerRef(cur.getMetadata().getNamespace(), curRef);
            if (owner != null) {
                enqueue(owner);
                int minReady = kind.minReadySeconds(owner);
                if (minReady > 0 && !Pods.isReady(old) && Pods.isReady(cur)) {
                    // Becoming available is not an event: look again once minReadySeconds have passed.
                    enqueueAfter(Keys.of(owner), Duration.ofSeconds(minReady).plusSeconds(1));
                }
            }
            return;
        }
        if (labelsChanged || refChanged) {
            ownersSelecting(cur).forEach(this::enqueue);
        }
    }

    private void podDeleted(Pod pod) {
        OwnerReference ref = OwnerRefs.controllerOf(pod);
        T owner = resolveControllerRef(pod.getMetadata().getNamespace(), ref);
        if (owner == null) {
            return;
        }
        String key = Keys.of(owner);
        expectations.deletionObserved(key, Keys.of(pod));
        enqueue(key);
    }

    @Override
    public void sync(String key) throws Exception {
        T owner = informers.get(kind.type(), key);
        if (owner == null) {
            expectations.delete(key);
            return;
        }
        boolean needsSync = expectations.satisfied(key);
        List<Pod> candidates = PodsByController.claimable(informers, owner.getMetadata().getNamespace(),
                owner.getMetadata().getUid());
        List<Pod> active = new ArrayList<>();
        for (Pod p : candidates) {
            if (Pods.isActive(p)) {
                active.add(p);
            }
        }
        List<Pod> pods = claimPods(owner, active);
        Exception manageError = null;
        int diff = pods.size() - kind.replicas(owner);
        if (needsSync && owner.getMetadata().getDeletionTimestamp() == null) {
            try {
                manageReplicas(key, owner, pods);
            } catch (Exception e) {
                manageError = e;
            }
        }
        Instant now = clock.instant();
        ReplicaCounts status = calculateStatus(kind, owner, pods, manageError, diff, now);
        updateStatusIfChanged(owner, status, now);
        if (manageError != null) {
            throw manageError;
        }
        int minReady = kind.minReadySeconds(owner);
        if (minReady > 0 && status.readyReplicas() == kind.replicas(owner)
                && status.availableReplicas() != kind.replicas(owner)) {
            enqueueAfter(key, Duration.ofSeconds(minReady));
        }
    }

    private List<Pod> claimPods(T owner, List<Pod> candidates) {
        ControllerRefManager<Pod> manager = new ControllerRefManager<>(owner,
                p -> kind.selects(owner, p.getMetadata().getLabels()),
                () -> {
                    T fresh = kind.getFresh(client, owner.getMetadata().getNamespace(), owner.getMetadata().getName());
                    return fresh != null && Objects.equals(fresh.getMetadata().getUid(), owner.getMetadata().getUid())
                            && fresh.getMetadata().getDeletionTimestamp() == null;
                }, patcher);
        return manager.claim(candidates);
    }

    private void manageReplicas(String key, T owner, List<Pod> pods) throws Exception {
        int diff = pods.size() - kind.replicas(owner);
        if (diff < 0) {
            int toCreate = Math.min(-diff, BURST_REPLICAS);
            expectations.expectCreations(key, toCreate);
            SlowStart.Result result = SlowStart.run(toCreate, 1, apiCalls, () -> createPod(owner));
            int skipped = toCreate - result.successes();
            if (skipped > 0) {
                expectations.lower(key, skipped, 0);
            }
            if (result.error() != null) {
                throw result.error();
            }
        } else if (diff > 0) {
            int toDelete = Math.min(diff, BURST_REPLICAS);
            List<Pod> victims = PodRanking.podsToDelete(pods, relatedPods(owner), toDelete, clock.instant());
            List<String> victimKeys = victims.stream().map(Keys::of).toList();
            expectations.expectDeletions(key, victimKeys);
            List<CompletableFuture<Exception>> futures = new ArrayList<>();
            for (Pod victim : victims) {
                futures.add(CompletableFuture.supplyAsync(() -> deletePod(key, owner, victim), apiCalls));
            }
            Exception first = null;
            for (CompletableFuture<Exception> f : futures) {
                Exception e = f.get();
                if (e != null && first == null) {
                    first = e;
                }
            }
            if (first != null) {
                throw first;
            }
        }
    }

    /** Pods of sibling controllers (same owner, e.g. one Deployment's ReplicaSets), used to spread deletions. */
    private List<Pod> relatedPods(T owner) {
        List<Pod> related = new ArrayList<>(PodsByController.ownedBy(informers, owner.getMetadata().getUid()));
        OwnerReference ownerRef = OwnerRefs.controllerOf(owner);
        if (ownerRef == null) {
            return related;
        }
        for (T sibling : informers.inNamespace(kind.type(), owner.getMetadata().getNamespace())) {
            OwnerReference siblingOwner = OwnerRefs.controllerOf(sibling);
            if (sibling != owner && siblingOwner != null && Objects.equals(siblingOwner.getUid(), ownerRef.getUid())
                    && !Objects.equals(sibling.getMetadata().getUid(), owner.getMetadata().getUid())) {
                related.addAll(PodsByController.ownedBy(informers, sibling.getMetadata().getUid()));
            }
        }
        return related;
    }

    private void createPod(T owner) {
        Pod pod = PodTemplates.newPod(kind.template(owner), owner);
        try {
            Pod created = client.pods().inNamespace(owner.getMetadata().getNamespace()).resource(pod).create();
            recorder.event(owner, EventRecorder.NORMAL, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
        } catch (KubernetesClientException e) {
            recorder.event(owner, EventRecorder.WARNING, "FailedCreate", "Error creating: " + e.getMessage());
            throw e;
        }
    }

    private Exception deletePod(String key, T owner, Pod pod) {
        try {
            client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
            recorder.event(owner, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted pod: " + pod.getMetadata().getName());
            return null;
        } catch (KubernetesClientException e) {
            expectations.deletionObserved(key, Keys.of(pod));
            if (e.getCode() == 404) {
                return null;
            }
            recorder.event(owner, EventRecorder.WARNING, "FailedDelete", "Error deleting: " + e.getMessage());
            return e;
        }
    }

    static <T extends HasMetadata> ReplicaCounts calculateStatus(ReplicatedKind<T> kind, T owner, List<Pod> pods,
                                                                 Exception manageError, int diff, Instant now) {
        Map<String, String> templateLabels = kind.template(owner) == null || kind.template(owner).getMetadata() == null
                ? Map.of() : kind.template(owner).getMetadata().getLabels();
        int fullyLabeled = 0;
        int ready = 0;
        int available = 0;
        int minReady = kind.minReadySeconds(owner);
        for (Pod p : pods) {
            Map<String, String> labels = p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
            if (templateLabels == null || labels.entrySet().containsAll(templateLabels.entrySet())) {
                fullyLabeled++;
            }
            if (Pods.isReady(p)) {
                ready++;
                if (Pods.isAvailable(p, minReady, now)) {
                    available++;
                }
            }
        }
        ReplicaCounts current = kind.status(owner);
        String failureReason = current.failureReason();
        String failureMessage = current.failureMessage();
        if (manageError != null && failureReason == null) {
            failureReason = diff < 0 ? "FailedCreate" : "FailedDelete";
            failureMessage = manageError.getMessage();
        } else if (manageError == null) {
            failureReason = null;
            failureMessage = null;
        }
        Long generation = owner.getMetadata().getGeneration();
        return new ReplicaCounts(pods.size(), fullyLabeled, ready, available, generation == null ? 0 : generation,
                failureReason, failureMessage);
    }

    private void updateStatusIfChanged(T owner, ReplicaCounts status, Instant now) {
        if (status.equals(kind.status(owner))) {
            return;
        }
        T updated = kind.withStatus(owner, status, now);
        try {
            kind.updateStatus(client, updated);
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {
                throw e;
            }
            // Stale cache: apply the same counts to the current object once, as upstream does.
            T fresh = kind.getFresh(client, owner.getMetadata().getNamespace(), owner.getMetadata().getName());
            if (fresh != null) {
                kind.updateStatus(client, kind.withStatus(fresh, status, now));
            }
        }
    }
}
