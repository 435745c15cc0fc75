package io.kube4j.controllers.pvprotection;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.util.ProtectionFinalizers;

/**
 * Upstream's pv-protection controller (pkg/controller/volume/pvprotection): a volume being deleted keeps its
 * {@code kubernetes.io/pv-protection} finalizer while its phase is Bound - the PV binder's word that a claim still
 * holds it - and loses it otherwise, so the API server removes it. Volumes created without the finalizer get it here.
 */
public final class PvProtectionController extends Controller {
    public static final String FINALIZER = "kubernetes.io/pv-protection";
    static final String BOUND = "Bound";

    private final KubernetesClient client;
    private final Informers informers;

    public PvProtectionController(ControllerContext ctx) {
        super("pv-protection-controller", 1);
        this.client = ctx.client();
        this.informers = ctx.informers();
        informers.of(PersistentVolume.class).addEventHandler(Handlers.of(
                this::volumeChanged, (o, n) -> volumeChanged(n), v -> { }));
    }

    private void volumeChanged(PersistentVolume volume) {
        if (ProtectionFinalizers.needToAdd(volume, FINALIZER) || ProtectionFinalizers.isDeletionCandidate(volume, FINALIZER)) {
            enqueue(volume);
        }
    }

    @Override
    public void sync(String key) {
        PersistentVolume volume = informers.get(PersistentVolume.class, key);
        if (volume == null) {
            return;
        }
        if (ProtectionFinalizers.isDeletionCandidate(volume, FINALIZER)) {
            if (!isBound(volume)) {
                setFinalizer(volume, false);
            }
            return;
        }
        if (ProtectionFinalizers.needToAdd(volume, FINALIZER)) {
            setFinalizer(volume, true);
        }
    }

    static boolean isBound(PersistentVolume volume) {
        return volume.getStatus() != null && BOUND.equals(volume.getStatus().getPhase());
    }

    private void setFinalizer(PersistentVolume volume, boolean present) {
        PersistentVolume copy = new PersistentVolumeBuilder(volume).editMetadata()
                .withFinalizers(ProtectionFinalizers.with(volume, FINALIZER, present)).endMetadata().build();
        client.persistentVolumes().resource(copy).update();
    }
}
