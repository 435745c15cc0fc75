package io.kube4j.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.api.storage.VolumeMatching;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The binding half of upstream's PersistentVolume controller (pkg/controller/volume/persistentvolume): binds
 * Pending claims to matching volumes, keeps both sides' phases (volume Available/Bound/Released/Failed, claim
 * Pending/Bound/Lost) and annotations, gives a claim without a class the default StorageClass, leaves claims of a
 * WaitForFirstConsumer class to the scheduler (which pre-binds a volume on its node), and applies the reclaim policy
 * of a volume whose claim is gone. Claims and volumes share one queue, keyed {@code pvc:ns/name} and {@code pv:name};
 * everything is resynced every 15 s, as upstream's syncPeriod.
 */
public final class PersistentVolumeBinderController extends Controller {
    static final String BOUND_BY_CONTROLLER = "pv.kubernetes.io/bound-by-controller";
    static final String BIND_COMPLETED = "pv.kubernetes.io/bind-completed";
    static final String SELECTED_NODE = "volume.kubernetes.io/selected-node";
    static final String STORAGE_PROVISIONER = "volume.kubernetes.io/storage-provisioner";
    static final String BETA_STORAGE_PROVISIONER = "volume.beta.kubernetes.io/storage-provisioner";
    static final String PENDING = "Pending";
    static final String BOUND = "Bound";
    static final String LOST = "Lost";
    static final String RELEASED = "Released";
    static final String FAILED = "Failed";
    static final Duration SYNC_PERIOD = Duration.ofSeconds(15);
    private static final String CLAIM = "pvc:";
    private static final String VOLUME = "pv:";
    private static final String RESYNC = "resync";

    private final KubernetesClient client;
    private final Informers informers;
    private final EventRecorder events;
    private final Clock clock;
    private final VolumeDeleter deleter = new VolumeDeleter();

    public PersistentVolumeBinderController(ControllerContext ctx) {
        // one worker, as upstream's claim worker: bindings of different claims race for the same volumes
        super("persistentvolume-binder-controller", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.events = ctx.recorder("persistentvolume-controller");
        this.clock = ctx.clock();
        informers.of(PersistentVolumeClaim.class).addEventHandler(Handlers.of(
                c -> enqueue(CLAIM + Keys.of(c)), (o, n) -> enqueue(CLAIM + Keys.of(n)), this::claimDeleted));
        informers.of(PersistentVolume.class).addEventHandler(Handlers.of(
                this::volumeChanged, (o, n) -> volumeChanged(n), this::volumeDeleted));
        informers.of(StorageClass.class).addEventHandler(Handlers.any(c -> enqueueUnboundClaims()));
        informers.of(Pod.class);
        enqueueAfter(RESYNC, SYNC_PERIOD);
    }

    private void claimDeleted(PersistentVolumeClaim claim) {
        String volume = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
        if (volume != null && !volume.isEmpty()) {
            enqueue(VOLUME + volume);
        }
    }

    private void volumeChanged(PersistentVolume volume) {
        enqueue(VOLUME + volume.getMetadata().getName());
        ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
        if (ref != null) {
            enqueue(CLAIM + Keys.of(ref.getNamespace(), ref.getName()));
        }
        if (ref == null || empty(ref.getUid())) {
            // a volume that may be free: waiting claims look again now rather than at the next resync
            enqueueUnboundClaims();
        }
    }

    private void volumeDeleted(PersistentVolume volume) {
        ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
        if (ref != null) {
            enqueue(CLAIM + Keys.of(ref.getNamespace(), ref.getName()));
        }
    }

    private void enqueueUnboundClaims() {
        for (PersistentVolumeClaim c : informers.list(PersistentVolumeClaim.class)) {
            if (!hasAnnotation(c.getMetadata().getAnnotations(), BIND_COMPLETED)) {
                enqueue(CLAIM + Keys.of(c));
            }
        }
    }

    @Override
    public void sync(String key) {
        if (RESYNC.equals(key)) {
            informers.list(PersistentVolumeClaim.class).forEach(c -> enqueue(CLAIM + Keys.of(c)));
            informers.list(PersistentVolume.class).forEach(v -> enqueue(VOLUME + v.getMetadata().getName()));
            enqueueAfter(RESYNC, SYNC_PERIOD);
        } else if (key.startsWith(CLAIM)) {
            PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, key.substring(CLAIM.length()));
            if (claim != null) {
                syncClaim(claim);
            }
        } else if (key.startsWith(VOLUME)) {
            PersistentVolume volume = informers.get(PersistentVolume.class, key.substring(VOLUME.length()));
            if (volume != null) {
                syncVolume(volume);
            }
        }
    }

    // ---------------------------------------------------------------- claims

    void syncClaim(PersistentVolumeClaim claim) {
        if (!hasAnnotation(claim.getMetadata().getAnnotations(), BIND_COMPLETED)) {
            syncUnboundClaim(claim);
        } else {
            syncBoundClaim(claim);
        }
    }

    private void syncUnboundClaim(PersistentVolumeClaim claim) {
        String requested = claim.getSpec().getVolumeName();
        if (empty(requested)) {
            StorageClass cls = classOf(claim);
            boolean delayBinding = StorageClasses.delaysBinding(cls);
            PersistentVolume volume = VolumeMatching.bestMatch(claim, informers.list(PersistentVolume.class), delayBinding);
            if (volume != null) {
                bind(volume, claim);
                return;
            }
            if (assignDefaultStorageClass(claim)) {
                return;
            }
            if (delayBinding && !hasAnnotation(claim.getMetadata().getAnnotations(), SELECTED_NODE)) {
                waitingForConsumer(claim);
            } else if (!StorageClasses.ofClaim(claim).isEmpty()) {
                provision(claim, cls);
                return;
            } else {
                events.event(claim, EventRecorder.NORMAL, "FailedBinding",
                        "no persistent volumes available for this claim and no storage class is set");
            }
            updateClaimStatus(claim, PENDING, null);
            return;
        }
        // the user asked for a particular volume
        PersistentVolume volume = informers.get(PersistentVolume.class, requested);
        if (volume == null) {
            updateClaimStatus(claim, PENDING, null);
            return;
        }
        if (volume.getSpec().getClaimRef() == null) {
            String mismatch = VolumeMatching.mismatch(volume, claim);
            if (mismatch != null) {
                events.event(claim, EventRecorder.WARNING, "VolumeMismatch",
                        "Cannot bind to requested volume \"" + requested + "\": " + mismatch);
                updateClaimStatus(claim, PENDING, null);
            } else {
                bind(volume, claim);
            }
        } else if (VolumeMatching.isBoundToClaim(volume, claim)) {
            // pre-bound both ways: finish the binding (the volume gets the claim's uid)
            bind(volume, claim);
        } else {
            events.event(claim, EventRecorder.WARNING, "FailedBinding",
                    "volume \"" + requested + "\" already bound to a different claim.");
            if (!hasAnnotation(claim.getMetadata().getAnnotations(), BOUND_BY_CONTROLLER)) {
                updateClaimStatus(claim, PENDING, null);
            } else {
                throw new IllegalStateException("invalid binding of claim " + Keys.of(claim) + " to volume " + requested
                        + ": volume already claimed by " + Keys.of(volume.getSpec().getClaimRef().getNamespace(),
                        volume.getSpec().getClaimRef().getName()));
            }
        }
    }

    private void syncBoundClaim(PersistentVolumeClaim claim) {
        String name = claim.getSpec().getVolumeName();
        if (empty(name)) {
            updateClaimStatusWithEvent(claim, LOST, "ClaimLost",
                    "Bound claim has lost reference to PersistentVolume. Data on the volume is lost!");
            return;
        }
        PersistentVolume volume = informers.get(PersistentVolume.class, name);
        if (volume == null) {
            updateClaimStatusWithEvent(claim, LOST, "ClaimLost",
                    "Bound claim has lost its PersistentVolume. Data on the volume is lost!");
            return;
        }
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null || Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
            // unbound volume (or a cache behind our own write) is bound again; a proper one is only checked
            bind(volume, claim);
        } else {
            updateClaimStatusWithEvent(claim, LOST, "ClaimMisbound",
                    "Two claims are bound to the same volume, this one is bound incorrectly");
        }
    }

    private StorageClass classOf(PersistentVolumeClaim claim) {
        String name = StorageClasses.ofClaim(claim);
        return name.isEmpty() ? null : informers.get(StorageClass.class, name);
    }

    /** Upstream's retroactive default class: a claim that names no class gets the default one, once there is one. */
    private boolean assignDefaultStorageClass(PersistentVolumeClaim claim) {
        if (StorageClasses.claimHasClass(claim)) {
            return false;
        }
        StorageClass dflt = StorageClasses.defaultClass(informers.list(StorageClass.class));
        if (dflt == null) {
            return false;
        }
        PersistentVolumeClaim copy = new PersistentVolumeClaimBuilder(claim).editSpec()
                .withStorageClassName(dflt.getMetadata().getName()).endSpec().build();
        claims(claim).resource(copy).update();
        return true;
    }

    /** WaitForFirstConsumer: tell the user which unscheduled pods the claim waits for, if any. */
    private void waitingForConsumer(PersistentVolumeClaim claim) {
        List<String> pods = new ArrayList<>();
        for (Pod p : informers.inNamespace(Pod.class, claim.getMetadata().getNamespace())) {
            if (empty(p.getSpec().getNodeName()) && usesClaim(p, claim.getMetadata().getName())) {
                pods.add(p.getMetadata().getName());
            }
        }
        if (pods.isEmpty()) {
            events.event(claim, EventRecorder.NORMAL, "WaitForFirstConsumer",
                    "waiting for first consumer to be created before binding");
        } else if (pods.size() == 1) {
            events.event(claim, EventRecorder.NORMAL, "WaitForPodScheduled", "waiting for pod " + pods.get(0) + " to be scheduled");
        } else {
            events.event(claim, EventRecorder.NORMAL, "WaitForPodScheduled",
                    "waiting for pods " + String.join(",", pods) + " to be scheduled");
        }
    }

    private static boolean usesClaim(Pod pod, String claimName) {
        if (pod.getSpec().getVolumes() == null) {
            return false;
        }
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() != null && claimName.equals(v.getPersistentVolumeClaim().getClaimName())) {
                return true;
            }
            if (v.getEphemeral() != null && claimName.equals(pod.getMetadata().getName() + "-" + v.getName())) {
                return true;
            }
        }
        return false;
    }

    /**
     * kube4j has no in-tree provisioner: a class naming a {@code kubernetes.io/} provisioner fails as upstream's
     * controller does without that plugin, any other provisioner is external and is told about the claim through
     * the storage-provisioner annotations.
     */
    private void provision(PersistentVolumeClaim claim, StorageClass cls) {
        if (cls == null) {
            events.event(claim, EventRecorder.WARNING, "ProvisioningFailed",
                    "storageclass.storage.k8s.io \"" + StorageClasses.ofClaim(claim) + "\" not found");
            return;
        }
        String provisioner = cls.getProvisioner();
        if (provisioner == null || provisioner.startsWith("kubernetes.io/")) {
            events.event(claim, EventRecorder.WARNING, "ProvisioningFailed", "no volume plugin matched name: " + provisioner);
            return;
        }
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        if (!provisioner.equals(annotations == null ? null : annotations.get(STORAGE_PROVISIONER))
                || !provisioner.equals(annotations.get(BETA_STORAGE_PROVISIONER))) {
            PersistentVolumeClaim copy = new PersistentVolumeClaimBuilder(claim).editMetadata()
                    .addToAnnotations(STORAGE_PROVISIONER, provisioner)
                    .addToAnnotations(BETA_STORAGE_PROVISIONER, provisioner).endMetadata().build();
            claim = claims(claim).resource(copy).update();
        }
        events.event(claim, EventRecorder.NORMAL, "ExternalProvisioning", "Waiting for a volume to be created either by the "
                + "external provisioner '" + provisioner + "' or manually by the system administrator. If volume creation "
                + "is delayed, please verify that the provisioner is running and correctly registered.");
    }

    // ---------------------------------------------------------------- volumes

    void syncVolume(PersistentVolume volume) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null || empty(ref.getUid())) {
            // unused, or pre-bound to a claim whose sync finishes the binding
            updateVolumePhase(volume, VolumeMatching.AVAILABLE, "");
            return;
        }
        String phase = phase(volume);
        String claimKey = Keys.of(ref.getNamespace(), ref.getName());
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, claimKey);
        if (claim == null && !RELEASED.equals(phase) && !FAILED.equals(phase)) {
            // the claim may be newer than our cache (bound by the scheduler): never release on the cache alone
            claim = claims(ref.getNamespace()).withName(ref.getName()).get();
        }
        if (claim != null && !Objects.equals(claim.getMetadata().getUid(), ref.getUid())) {
            PersistentVolumeClaim fresh = claims(ref.getNamespace()).withName(ref.getName()).get();
            claim = fresh != null && Objects.equals(fresh.getMetadata().getUid(), ref.getUid()) ? fresh : null;
        }
        if (claim == null) {
            if (!RELEASED.equals(phase) && !FAILED.equals(phase)) {
                volume = updateVolumePhase(volume, RELEASED, "");
            }
            reclaim(volume);
            return;
        }
        String claimVolume = claim.getSpec().getVolumeName();
        if (empty(claimVolume)) {
            if (VolumeMatching.volumeModeMismatch(volume, claim)) {
                events.event(volume, EventRecorder.WARNING, "VolumeMismatch", "Cannot bind PersistentVolume to requested "
                        + "PersistentVolumeClaim \"" + claim.getMetadata().getName() + "\" due to incompatible volumeMode.");
                events.event(claim, EventRecorder.WARNING, "VolumeMismatch", "Cannot bind PersistentVolume \""
                        + volume.getMetadata().getName() + "\" to requested PersistentVolumeClaim due to incompatible volumeMode.");
                return;
            }
            // the claim's sync completes (or re-establishes) the binding
            enqueue(CLAIM + claimKey);
        } else if (claimVolume.equals(volume.getMetadata().getName())) {
            updateVolumePhase(volume, BOUND, "");
        } else {
            // bound to a claim that is bound elsewhere
            if (hasAnnotation(volume.getMetadata().getAnnotations(), VolumeDeleter.PROVISIONED_BY)
                    && "Delete".equals(volume.getSpec().getPersistentVolumeReclaimPolicy())) {
                if (!RELEASED.equals(phase) && !FAILED.equals(phase)) {
                    volume = updateVolumePhase(volume, RELEASED, "");
                }
                reclaim(volume);
            } else {
                unbindVolume(volume);
            }
        }
    }

    /** The volume is free again: a controller binding is undone, a user's pre-binding keeps its name but loses the uid. */
    private void unbindVolume(PersistentVolume volume) {
        PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume);
        if (hasAnnotation(volume.getMetadata().getAnnotations(), BOUND_BY_CONTROLLER)) {
            b.editSpec().withClaimRef(null).endSpec().editMetadata().removeFromAnnotations(BOUND_BY_CONTROLLER).endMetadata();
        } else {
            b.editSpec().editClaimRef().withUid(null).endClaimRef().endSpec();
        }
        PersistentVolume updated = client.persistentVolumes().resource(b.build()).update();
        updateVolumePhase(updated, VolumeMatching.AVAILABLE, "");
    }

    /** The reclaim policy of a Released volume (upstream's reclaimVolume), synchronously. */
    private void reclaim(PersistentVolume volume) {
        String policy = volume.getSpec().getPersistentVolumeReclaimPolicy();
        switch (policy == null ? "" : policy) {
            case "Retain" -> { }
            case "Recycle" -> updateVolumePhaseWithEvent(volume, FAILED, "VolumeFailedRecycle",
                    "No recycler plugin found for the volume!");
            case "Delete" -> deleteVolume(volume);
            default -> updateVolumePhaseWithEvent(volume, FAILED, "VolumeUnknownReclaimPolicy",
                    "Volume has unrecognized PersistentVolumeReclaimPolicy");
        }
    }

    private void deleteVolume(PersistentVolume volume) {
        // decide on the live object: the claim may be back, or the volume already on its way out
        PersistentVolume fresh = client.persistentVolumes().withName(volume.getMetadata().getName()).get();
        if (fresh == null || fresh.getMetadata().getDeletionTimestamp() != null || !isReleased(fresh)) {
            return;
        }
        VolumeDeleter.Outcome outcome = deleter.delete(fresh);
        if (outcome instanceof VolumeDeleter.Failed failed) {
            updateVolumePhaseWithEvent(fresh, FAILED, "VolumeFailedDelete", failed.message());
        } else if (outcome instanceof VolumeDeleter.Deleted) {
            try {
                client.persistentVolumes().withName(fresh.getMetadata().getName()).delete();
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
    }

    /** Upstream's isVolumeReleased: bound (with a uid) to a claim that is gone, replaced, or bound elsewhere. */
    private boolean isReleased(PersistentVolume volume) {
        ObjectReference ref = volume.getSpec().getClaimRef();
        if (ref == null || empty(ref.getUid())) {
            return false;
        }
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, Keys.of(ref.getNamespace(), ref.getName()));
        if (claim != null && Objects.equals(claim.getMetadata().getUid(), ref.getUid())) {
            String bound = claim.getSpec().getVolumeName();
            return !empty(bound) && !bound.equals(volume.getMetadata().getName());
        }
        return true;
    }

    // ---------------------------------------------------------------- binding

    /** Both halves of a binding, each written only if it changes: volume spec, volume status, claim, claim status. */
    private void bind(PersistentVolume volume, PersistentVolumeClaim claim) {
        volume = bindVolumeToClaim(volume, claim);
        volume = updateVolumePhase(volume, BOUND, "");
        claim = bindClaimToVolume(claim, volume);
        updateClaimStatus(claim, BOUND, volume);
    }

    private PersistentVolume bindVolumeToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
        boolean boundByController = !VolumeMatching.isBoundToClaim(volume, claim);
        ObjectReference ref = volume.getSpec().getClaimRef();
        PersistentVolumeBuilder b = new PersistentVolumeBuilder(volume);
        boolean dirty = false;
        if (ref == null || !Objects.equals(ref.getName(), claim.getMetadata().getName())
                || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())
                || !Objects.equals(ref.getUid(), claim.getMetadata().getUid())) {
            b.editSpec().withClaimRef(new ObjectReferenceBuilder().withKind("PersistentVolumeClaim").withApiVersion("v1")
                    .withNamespace(claim.getMetadata().getNamespace()).withName(claim.getMetadata().getName())
                    .withUid(claim.getMetadata().getUid()).withResourceVersion(claim.getMetadata().getResourceVersion())
                    .build()).endSpec();
            dirty = true;
        }
        if (boundByController && !hasAnnotation(volume.getMetadata().getAnnotations(), BOUND_BY_CONTROLLER)) {
            b.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, "yes").endMetadata();
            dirty = true;
        }
        return dirty ? client.persistentVolumes().resource(b.build()).update() : volume;
    }

    private PersistentVolumeClaim bindClaimToVolume(PersistentVolumeClaim claim, PersistentVolume volume) {
        String name = volume.getMetadata().getName();
        Map<String, String> annotations = claim.getMetadata().getAnnotations();
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder(claim);
        boolean dirty = false;
        if (!name.equals(claim.getSpec().getVolumeName())) {
            b.editSpec().withVolumeName(name).endSpec();
            if (!hasAnnotation(annotations, BOUND_BY_CONTROLLER)) {
                b.editMetadata().addToAnnotations(BOUND_BY_CONTROLLER, "yes").endMetadata();
            }
            dirty = true;
        }
        if (!hasAnnotation(annotations, BIND_COMPLETED)) {
            b.editMetadata().addToAnnotations(BIND_COMPLETED, "yes").endMetadata();
            dirty = true;
        }
        return dirty ? claims(claim).resource(b.build()).update() : claim;
    }

    // ---------------------------------------------------------------- status writes

    private PersistentVolume updateVolumePhase(PersistentVolume volume, String phase, String message) {
        PersistentVolumeStatus status = volume.getStatus() == null ? new PersistentVolumeStatus() : volume.getStatus();
        String oldMessage = status.getMessage() == null ? "" : status.getMessage();
        if (phase.equals(status.getPhase()) && oldMessage.equals(message)) {
            return volume;
        }
        PersistentVolume copy = new PersistentVolumeBuilder(volume).withNewStatus()
                .withPhase(phase).withMessage(message.isEmpty() ? null : message).withReason(status.getReason())
                .withLastPhaseTransitionTime(phase.equals(status.getPhase()) ? status.getLastPhaseTransitionTime()
                        : Times.format(clock.instant()))
                .endStatus().build();
        return client.persistentVolumes().resource(copy).updateStatus();
    }

    private void updateVolumePhaseWithEvent(PersistentVolume volume, String phase, String reason, String message) {
        if (phase.equals(phase(volume))) {
            return;
        }
        updateVolumePhase(volume, phase, message);
        events.event(volume, EventRecorder.WARNING, reason, message);
    }

    /** Phase, and the bound volume's access modes and (when becoming bound) capacity; cleared without a volume. */
    private PersistentVolumeClaim updateClaimStatus(PersistentVolumeClaim claim, String phase, PersistentVolume volume) {
        PersistentVolumeClaimStatus old = claim.getStatus() == null ? new PersistentVolumeClaimStatus() : claim.getStatus();
        PersistentVolumeClaimStatus status = new io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder(old)
                .withPhase(phase).build();
        if (volume == null) {
            status.setAccessModes(null);
            status.setCapacity(null);
        } else {
            List<String> modes = volume.getSpec().getAccessModes();
            status.setAccessModes(modes == null ? null : new ArrayList<>(modes));
            if (!phase.equals(old.getPhase())) {
                // the capacity is taken once, when the claim becomes bound: a later difference may be deliberate
                Quantity cap = volume.getSpec().getCapacity() == null ? null : volume.getSpec().getCapacity().get("storage");
                Quantity had = old.getCapacity() == null ? null : old.getCapacity().get("storage");
                if (cap != null && (had == null || Quantity.getAmountInBytes(had).compareTo(Quantity.getAmountInBytes(cap)) != 0)) {
                    status.setCapacity(new LinkedHashMap<>(volume.getSpec().getCapacity()));
                }
            }
        }
        if (Objects.equals(phase, old.getPhase()) && sameList(status.getAccessModes(), old.getAccessModes())
                && sameMap(status.getCapacity(), old.getCapacity())) {
            return claim;
        }
        PersistentVolumeClaim copy = new PersistentVolumeClaimBuilder(claim).withStatus(status).build();
        return claims(claim).resource(copy).updateStatus();
    }

    private void updateClaimStatusWithEvent(PersistentVolumeClaim claim, String phase, String reason, String message) {
        if (claim.getStatus() != null && phase.equals(claim.getStatus().getPhase())) {
            return;
        }
        updateClaimStatus(claim, phase, null);
        events.event(claim, EventRecorder.WARNING, reason, message);
    }

    // ---------------------------------------------------------------- helpers

    private io.fabric8.kubernetes.client.dsl.MixedOperation<PersistentVolumeClaim,
            io.fabric8.kubernetes.api.model.PersistentVolumeClaimList,
            io.fabric8.kubernetes.client.dsl.Resource<PersistentVolumeClaim>> allClaims() {
        return client.persistentVolumeClaims();
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<PersistentVolumeClaim,
            io.fabric8.kubernetes.api.model.PersistentVolumeClaimList,
            io.fabric8.kubernetes.client.dsl.Resource<PersistentVolumeClaim>> claims(String namespace) {
        return allClaims().inNamespace(namespace);
    }

    private io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<PersistentVolumeClaim,
            io.fabric8.kubernetes.api.model.PersistentVolumeClaimList,
            io.fabric8.kubernetes.client.dsl.Resource<PersistentVolumeClaim>> claims(PersistentVolumeClaim claim) {
        return claims(claim.getMetadata().getNamespace());
    }

    private static String phase(PersistentVolume volume) {
        return volume.getStatus() == null ? null : volume.getStatus().getPhase();
    }

    private static boolean sameList(List<String> a, List<String> b) {
        return Objects.equals(a == null || a.isEmpty() ? null : a, b == null || b.isEmpty() ? null : b);
    }

    private static boolean sameMap(Map<String, Quantity> a, Map<String, Quantity> b) {
        Map<String, Quantity> x = a == null || a.isEmpty() ? null : new HashMap<>(a);
        Map<String, Quantity> y = b == null || b.isEmpty() ? null : new HashMap<>(b);
        return Objects.equals(x, y);
    }

    private static boolean hasAnnotation(Map<String, String> annotations, String key) {
        return annotations != null && annotations.containsKey(key);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
