package io.kube4j.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.controllers.util.Selectors;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which PersistentVolume an unbound claim gets, as upstream's PV controller chooses (findBestMatchForClaim over
 * FindMatchingVolume): a volume pre-bound to the claim always wins; otherwise among Available volumes of the
 * claim's class, selector and volume mode with at least the requested size, the volumes whose access-mode set is
 * the smallest superset of the claim's are tried first, and within them the smallest volume wins. A claim whose
 * class binds WaitForFirstConsumer gets only a pre-bound volume: the scheduler picks the rest, on a node.
 */
final class VolumeMatcher {
    static final String AVAILABLE = "Available";

    private VolumeMatcher() {
    }

    /** The volume to bind the claim to, or null when none fits (yet). */
    static PersistentVolume bestMatch(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes, boolean delayBinding) {
        List<String> requested = modes(claim.getSpec().getAccessModes());
        // upstream indexes volumes by their access-mode set and searches the sets holding every requested mode,
        // the fewest modes first
        Map<Set<String>, List<PersistentVolume>> byModes = new LinkedHashMap<>();
        for (PersistentVolume v : volumes) {
            byModes.computeIfAbsent(new TreeSet<>(modes(v.getSpec().getAccessModes())), k -> new ArrayList<>()).add(v);
        }
        List<Set<String>> candidates = new ArrayList<>();
        for (Set<String> set : byModes.keySet()) {
            if (set.containsAll(requested)) {
                candidates.add(set);
            }
        }
        candidates.sort(Comparator.comparingInt(Set::size));
        for (Set<String> set : candidates) {
            PersistentVolume best = bestIn(claim, byModes.get(set), delayBinding);
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    private static PersistentVolume bestIn(PersistentVolumeClaim claim, List<PersistentVolume> volumes, boolean delayBinding) {
        BigDecimal requested = requestedSize(claim);
        String requestedClass = StorageClasses.ofClaim(claim);
        PersistentVolume smallest = null;
        BigDecimal smallestSize = null;
        for (PersistentVolume v : volumes) {
            if (v.getSpec().getClaimRef() != null && !isBoundToClaim(v, claim)) {
                continue;
            }
            BigDecimal size = capacity(v);
            if (size.compareTo(requested) < 0 || volumeModeMismatch(v, claim) || v.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            if (isBoundToClaim(v, claim)) {
                // pre-bound by a user (or the scheduler): no other volume may be chosen
                return v;
            }
            if (delayBinding) {
                continue;
            }
            String phase = v.getStatus() == null ? null : v.getStatus().getPhase();
            // a volume not yet marked Available would likely fail to bind on a conflict; it is retried later
            if (!AVAILABLE.equals(phase)) {
                continue;
            }
            if (claim.getSpec().getSelector() != null && !Selectors.matches(claim.getSpec().getSelector(), v.getMetadata().getLabels())) {
                continue;
            }
            if (!StorageClasses.ofVolume(v).equals(requestedClass)) {
                continue;
            }
            if (smallest == null || smallestSize.compareTo(size) > 0) {
                smallest = v;
                smallestSize = size;
            }
        }
        return smallest;
    }

    /**
     * Why a volume the claim names in spec.volumeName cannot be bound to it, in upstream's words; null when it can.
     */
    static String mismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
        if (volume.getMetadata().getDeletionTimestamp() != null) {
            return "the volume is marked for deletion \"" + volume.getMetadata().getName() + "\"";
        }
        if (capacity(volume).compareTo(requestedSize(claim)) < 0) {
            return "requested PV is too small";
        }
        if (!StorageClasses.ofVolume(volume).equals(StorageClasses.ofClaim(claim))) {
            return "storageClassName does not match";
        }
        if (volumeModeMismatch(volume, claim)) {
            return "incompatible volumeMode";
        }
        if (!modes(volume.getSpec().getAccessModes()).containsAll(modes(claim.getSpec().getAccessModes()))) {
            return "incompatible accessMode";
        }
        return null;
    }

    /** Upstream's IsVolumeBoundToClaim: the claimRef names the claim, and its uid, when set, is the claim's. */
    static boolean isBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
        ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
        if (ref == null) {
            return false;
        }
        if (!Objects.equals(ref.getName(), claim.getMetadata().getName())
                || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())) {
            return false;
        }
        return empty(ref.getUid()) || ref.getUid().equals(claim.getMetadata().getUid());
    }

    /** An unset volume mode is Filesystem on both sides. */
    static boolean volumeModeMismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
        String vm = volume.getSpec().getVolumeMode() == null ? "Filesystem" : volume.getSpec().getVolumeMode();
        String cm = claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
        return !vm.equals(cm);
    }

    static BigDecimal requestedSize(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        Quantity q = resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
        return bytes(q);
    }

    static BigDecimal capacity(PersistentVolume volume) {
        Map<String, Quantity> cap = volume.getSpec().getCapacity();
        return bytes(cap == null ? null : cap.get("storage"));
    }

    private static BigDecimal bytes(Quantity q) {
        return q == null || q.getAmount() == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static List<String> modes(List<String> modes) {
        return modes == null ? List.of() : modes;
    }

    private static boolean empty(String s) {
        return s == null || s.isEmpty();
    }
}
