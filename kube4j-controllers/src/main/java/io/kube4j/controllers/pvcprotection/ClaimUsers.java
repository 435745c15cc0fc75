package io.kube4j.controllers.pvcprotection;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.kube4j.controllers.util.OwnerRefs;
import io.kube4j.controllers.util.Pods;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Which pods hold a claim, as upstream's pvc-protection controller decides it. A scheduled pod that names the claim
 * in a {@code persistentVolumeClaim} volume uses it for as long as the pod object exists, even once it has finished:
 * the kubelet may still be unmounting it. A generic ephemeral volume's claim ({@code <pod>-<volume>}, controlled by
 * the pod) is held only until the pod is shut down, which breaks the cycle of a pod finalizer that waits for its
 * claim. An unscheduled pod holds nothing: the kubelet never starts a pod whose claim is being deleted.
 */
final class ClaimUsers {
    private ClaimUsers() {
    }

    static boolean podUsesClaim(Pod pod, PersistentVolumeClaim claim) {
        if (pod.getSpec() == null || empty(pod.getSpec().getNodeName()) || pod.getSpec().getVolumes() == null
                || !Objects.equals(pod.getMetadata().getNamespace(), claim.getMetadata().getNamespace())) {
            return false;
        }
        String name = claim.getMetadata().getName();
        for (Volume v : pod.getSpec().getVolumes()) {
            if (v.getPersistentVolumeClaim() != null && name.equals(v.getPersistentVolumeClaim().getClaimName())) {
                return true;
            }
            if (v.getEphemeral() != null && !isShutDown(pod) && name.equals(ephemeralClaimName(pod, v))
                    && isForPod(claim, pod)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The claims a pod event may free, or none: upstream looks only at deleted, terminated or unscheduled pods, since
     * a running scheduled pod can only keep a claim.
     */
    static List<String> claimsFreedBy(Pod pod, boolean deleted) {
        if (!deleted && !isTerminated(pod) && pod.getSpec() != null && !empty(pod.getSpec().getNodeName())) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        if (pod.getSpec() != null && pod.getSpec().getVolumes() != null) {
            for (Volume v : pod.getSpec().getVolumes()) {
                if (v.getPersistentVolumeClaim() != null) {
                    names.add(v.getPersistentVolumeClaim().getClaimName());
                } else if (v.getEphemeral() != null) {
                    names.add(ephemeralClaimName(pod, v));
                }
            }
        }
        return names;
    }

    /** Upstream's podIsShutDown: the kubelet is done with it (deleted with grace 0) or it was force-deleted. */
    static boolean isShutDown(Pod pod) {
        Long grace = pod.getMetadata().getDeletionGracePeriodSeconds();
        return pod.getMetadata().getDeletionTimestamp() != null && grace != null && grace == 0;
    }

    /** Upstream's IsPodTerminated: finished, or being deleted with no container running any more. */
    static boolean isTerminated(Pod pod) {
        if (Pods.isTerminal(pod)) {
            return true;
        }
        if (pod.getMetadata().getDeletionTimestamp() == null) {
            return false;
        }
        List<ContainerStatus> statuses = pod.getStatus() == null ? null : pod.getStatus().getContainerStatuses();
        if (statuses != null) {
            for (ContainerStatus s : statuses) {
                if (s.getState() == null || (s.getState().getTerminated() == null && s.getState().getWaiting() == null)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Upstream's ephemeral.VolumeClaimName. */
    static String ephemeralClaimName(Pod pod, Volume volume) {
        return pod.getMetadata().getName() + "-" + volume.getName();
    }

    /** Upstream's ephemeral.VolumeIsForPod: a claim of that name not controlled by the pod belongs to someone else. */
    private static boolean isForPod(PersistentVolumeClaim claim, Pod pod) {
        return OwnerRefs.isControlledBy(claim, pod);
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
