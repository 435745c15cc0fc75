package io.kube4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimVolumeSource;
import io.kube4j.kubelet.env.ObjectSource;

import java.nio.file.Path;

/**
 * Upstream's claim-to-volume step of the kubelet's volume manager: a pod's persistentVolumeClaim is followed to the
 * PersistentVolume it is bound to, and that volume to a path on this node. This kubelet mounts the two kinds of
 * persistent volume that are paths on the node: {@code hostPath} and {@code local}.
 */
final class ClaimedVolumes {
    /** Where a claimed volume lives on the node; {@code hostPathType} is empty for a local volume. */
    record Claimed(String pvName, Path path, String hostPathType, boolean local) {
    }

    /** A claim cannot be followed to a volume; the message is upstream's, for the pod's FailedMount event. */
    static final class ClaimException extends Exception {
        ClaimException(String message) {
            super(message);
        }
    }

    private ClaimedVolumes() {
    }

    static Claimed resolve(ObjectSource objects, String namespace, PersistentVolumeClaimVolumeSource source) throws ClaimException {
        String claimName = source.getClaimName();
        String prefix = "error processing PVC " + namespace + "/" + claimName + ": ";
        PersistentVolumeClaim claim = objects.persistentVolumeClaim(namespace, claimName);
        if (claim == null) {
            throw new ClaimException(prefix + "failed to fetch PVC from API server: persistentvolumeclaims \"" + claimName + "\" not found");
        }
        if (claim.getMetadata().getDeletionTimestamp() != null) {
            throw new ClaimException(prefix + "PVC is being deleted");
        }
        if (claim.getStatus() == null || !"Bound".equals(claim.getStatus().getPhase())) {
            throw new ClaimException(prefix + "PVC is not bound");
        }
        String pvName = claim.getSpec() == null ? null : claim.getSpec().getVolumeName();
        if (pvName == null || pvName.isEmpty()) {
            throw new ClaimException(prefix + "PVC has empty pvc.Spec.VolumeName");
        }
        PersistentVolume pv = objects.persistentVolume(pvName);
        if (pv == null) {
            throw new ClaimException(prefix + "failed to fetch PV " + pvName + " from API server: persistentvolumes \"" + pvName + "\" not found");
        }
        ObjectReference claimRef = pv.getSpec() == null ? null : pv.getSpec().getClaimRef();
        if (claimRef == null) {
            throw new ClaimException(prefix + "found PV object " + pvName
                    + " but it has a nil pv.Spec.ClaimRef indicating it is not yet bound to the claim");
        }
        String claimUid = claim.getMetadata().getUid();
        if (claimRef.getUid() == null || !claimRef.getUid().equals(claimUid)) {
            throw new ClaimException(prefix + "found PV object " + pvName + " but its pv.Spec.ClaimRef.UID " + claimRef.getUid()
                    + " does not point to claim.UID " + claimUid);
        }
        if (pv.getSpec().getHostPath() != null) {
            String type = pv.getSpec().getHostPath().getType();
            return new Claimed(pvName, Path.of(pv.getSpec().getHostPath().getPath()), type == null ? "" : type, false);
        }
        if (pv.getSpec().getLocal() != null) {
            return new Claimed(pvName, Path.of(pv.getSpec().getLocal().getPath()), "", true);
        }
        throw new ClaimException(prefix + "PV " + pvName + " is of a type this kubelet cannot mount (only hostPath and local)");
    }
}
