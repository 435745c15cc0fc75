package io.kube4j.controllers.pvcprotection;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.ProtectionFinalizers;
import java.util.Objects;

/**
 * Upstream's pvc-protection controller (pkg/controller/volume/pvcprotection): a claim being deleted keeps its
 * {@code kubernetes.io/pvc-protection} finalizer - and so stays Terminating - while a pod uses it (see
 * {@link ClaimUsers}); once none does, the finalizer goes and the API server removes the claim. Claims created
 * without the finalizer (before the StorageObjectInUseProtection admission plugin ran) get it here.
 */
public final class PvcProtectionController extends Controller {
    public static final String FINALIZER = "kubernetes.io/pvc-protection";

    private final KubernetesClient client;
    private final Informers informers;

    public PvcProtectionController(ControllerContext ctx) {
        super("pvc-protection-controller", 2);
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(PersistentVolumeClaim.class).addEventHandler(Handlers.of(
                this::claimChanged, (o, n) -> claimChanged(n), c -> { }));
        informers.of(Pod.class).addEventHandler(Handlers.of(
                p -> podChanged(p, false), this::podUpdated, p -> podChanged(p, true)));
    }

    private void claimChanged(PersistentVolumeClaim claim) {
        if (ProtectionFinalizers.needToAdd(claim, FINALIZER) || ProtectionFinalizers.isDeletionCandidate(claim, FINALIZER)) {
            enqueue(claim);
        }
    }

    private void podUpdated(Pod old, Pod pod) {
        podChanged(pod, false);
        // an update may hide the deletion of a pod and the creation of another of the same name: the old one's
        // claims may be free now even if the new pod does not name them
        if (!Objects.equals(old.getMetadata().getUid(), pod.getMetadata().getUid())) {
            podChanged(old, true);
        }
    }

    private void podChanged(Pod pod, boolean deleted) {
        for (String claim : ClaimUsers.claimsFreedBy(pod, deleted)) {
            enqueue(Keys.of(pod.getMetadata().getNamespace(), claim));
        }
    }

    @Override
    public void sync(String key) {
        PersistentVolumeClaim claim = informers.get(PersistentVolumeClaim.class, key);
        if (claim == null) {
            return;
        }
        if (ProtectionFinalizers.isDeletionCandidate(claim, FINALIZER)) {
            if (!isBeingUsed(claim)) {
                setFinalizer(claim, false);
            }
            return;
        }
        if (ProtectionFinalizers.needToAdd(claim, FINALIZER)) {
            setFinalizer(claim, true);
        }
    }

    /**
     * The informer's pods first (cheap, and enough to keep the claim); when they show no user, a live list of the
     * namespace's pods, since a pod just created may not have reached the cache yet and losing the claim under it
     * cannot be undone.
     */
    boolean isBeingUsed(PersistentVolumeClaim claim) {
        String namespace = claim.getMetadata().getNamespace();
        for (Pod pod : informers.inNamespace(Pod.class, namespace)) {
            if (ClaimUsers.podUsesClaim(pod, claim)) {
                return true;
            }
        }
        for (Pod pod : client.pods().inNamespace(namespace).list().getItems()) {
            if (ClaimUsers.podUsesClaim(pod, claim)) {
                return true;
            }
        }
        return false;
    }

    /** An update (not a patch), as upstream's role allows: a stale cache makes it conflict and the key retry. */
    private void setFinalizer(PersistentVolumeClaim claim, boolean present) {
        PersistentVolumeClaim copy = new PersistentVolumeClaimBuilder(claim).editMetadata()
                .withFinalizers(ProtectionFinalizers.with(claim, FINALIZER, present)).endMetadata().build();
        client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(copy).update();
    }
}
