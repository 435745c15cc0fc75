package io.kube4j.api.storage;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kube4j.api.selector.SelectorParseException;
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
import java.util.function.Predicate;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Which PersistentVolume fits a PersistentVolumeClaim, as upstream's storage volume helpers decide it
 * (component-helpers FindMatchingVolume), for both of its callers: the PV controller, which binds claims with no
 * node in view ({@link #bestMatch}, over upstream's access-mode index), and the scheduler, which matches the claims
 * of a WaitForFirstConsumer class on one node ({@link #findMatchingVolume} with the node's affinity test).
 *
 * <p>A volume pre-bound to the claim always wins; otherwise the smallest Available volume of the claim's class,
 * selector and volume mode with at least the requested size.
 */
public final class VolumeMatching {
    public static final String AVAILABLE = "Available";
    /** The beta annotation that names a class, read before spec.storageClassName as upstream does. */
    public static final String BETA_CLASS_ANNOTATION = "volume.beta.kubernetes.io/storage-class";

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VolumeMatching() {
    }

    /**
     * The PV controller's choice (upstream's findBestMatchForClaim): volumes are grouped by their access-mode set,
     * and the sets holding every requested mode are searched fewest modes first. With {@code delayBinding} (the
     * claim's class binds WaitForFirstConsumer) only a volume pre-bound to the claim is chosen: the scheduler picks
     * the rest, on a node. Null when none fits (yet).
     */
    public static PersistentVolume bestMatch(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
                                             boolean delayBinding) {
        List<String> requested = modes(claim.getSpec().getAccessModes());
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
            PersistentVolume best = match(claim, byModes.get(set), null, Set.of(), delayBinding);
            if (best != null) {
                return best;
            }
        }
        return null;
    }

    /**
     * The scheduler's choice for a claim on a node (upstream's FindMatchingVolume with a node): volumes in
     * {@code excluded} (assumed for other claims) are skipped, {@code fitsNode} tells whether a volume's node
     * affinity admits the node, and access modes are checked volume by volume. A volume pre-bound to the claim
     * that the node cannot reach means no match at all. Null when none fits.
     */
    public static PersistentVolume findMatchingVolume(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
                                                      Predicate<PersistentVolume> fitsNode, Set<String> excluded) {
        return match(claim, volumes, Objects.requireNonNull(fitsNode), excluded, true);
    }

    /** {@code fitsNode} null is the controller's path: no node, access modes already grouped by the caller. */
    private static PersistentVolume match(PersistentVolumeClaim claim, Collection<PersistentVolume> volumes,
                                          Predicate<PersistentVolume> fitsNode, Set<String> excluded,
                                          boolean delayBinding) {
        BigDecimal requested = requestedSize(claim);
        String requestedClass = classOfClaim(claim);
        PersistentVolume smallest = null;
        BigDecimal smallestSize = null;
        for (PersistentVolume v : volumes) {
            if (excluded.contains(v.getMetadata().getName())) {
                continue;
            }
            if (v.getSpec().getClaimRef() != null && !isBoundToClaim(v, claim)) {
                continue;
            }
            BigDecimal size = capacity(v);
            if (size.compareTo(requested) < 0 || volumeModeMismatch(v, claim)
                    || v.getMetadata().getDeletionTimestamp() != null) {
                continue;
            }
            // the most expensive test, after the cheap ones
            boolean reachable = fitsNode == null || fitsNode.test(v);
            if (isBoundToClaim(v, claim)) {
                // pre-bound by a user (or the scheduler): no other volume may be chosen
                return reachable ? v : null;
            }
            if (fitsNode == null && delayBinding) {
                continue;
            }
            String phase = v.getStatus() == null ? null : v.getStatus().getPhase();
            // a volume not yet marked Available would likely fail to bind on a conflict; it is retried later
            if (!AVAILABLE.equals(phase)) {
                continue;
            }
            if (claim.getSpec().getSelector() != null
                    && !selects(claim.getSpec().getSelector(), v.getMetadata().getLabels())) {
                continue;
            }
            if (!classOfVolume(v).equals(requestedClass) || !reachable) {
                continue;
            }
            if (fitsNode != null && !accessModesMatch(claim, v)) {
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
     * Why a volume the claim names in spec.volumeName cannot be bound to it, in upstream's words (checkVolumeSatisfyClaim);
     * null when it can.
     */
    public static String mismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
        if (volume.getMetadata().getDeletionTimestamp() != null) {
            return "the volume is marked for deletion \"" + volume.getMetadata().getName() + "\"";
        }
        if (capacity(volume).compareTo(requestedSize(claim)) < 0) {
            return "requested PV is too small";
        }
        if (!classOfVolume(volume).equals(classOfClaim(claim))) {
            return "storageClassName does not match";
        }
        if (volumeModeMismatch(volume, claim)) {
            return "incompatible volumeMode";
        }
        if (!accessModesMatch(claim, volume)) {
            return "incompatible accessMode";
        }
        return null;
    }

    /** Upstream's IsVolumeBoundToClaim: the claimRef names the claim, and its uid, when set, is the claim's. */
    public static boolean isBoundToClaim(PersistentVolume volume, PersistentVolumeClaim claim) {
        ObjectReference ref = volume.getSpec() == null ? null : volume.getSpec().getClaimRef();
        if (ref == null) {
            return false;
        }
        if (!Objects.equals(ref.getName(), claim.getMetadata().getName())
                || !Objects.equals(ref.getNamespace(), claim.getMetadata().getNamespace())) {
            return false;
        }
        return ref.getUid() == null || ref.getUid().isEmpty() || ref.getUid().equals(claim.getMetadata().getUid());
    }

    /** An unset volume mode is Filesystem on both sides. */
    public static boolean volumeModeMismatch(PersistentVolume volume, PersistentVolumeClaim claim) {
        String vm = volume.getSpec().getVolumeMode() == null ? "Filesystem" : volume.getSpec().getVolumeMode();
        String cm = claim.getSpec().getVolumeMode() == null ? "Filesystem" : claim.getSpec().getVolumeMode();
        return !vm.equals(cm);
    }

    /** Upstream's CheckAccessModes: the volume offers every mode the claim asks for. */
    public static boolean accessModesMatch(PersistentVolumeClaim claim, PersistentVolume volume) {
        return modes(volume.getSpec().getAccessModes()).containsAll(modes(claim.getSpec().getAccessModes()));
    }

    public static BigDecimal requestedSize(PersistentVolumeClaim claim) {
        var resources = claim.getSpec().getResources();
        return bytes(resources == null || resources.getRequests() == null ? null
                : resources.getRequests().get("storage"));
    }

    public static BigDecimal capacity(PersistentVolume volume) {
        Map<String, Quantity> cap = volume.getSpec().getCapacity();
        return bytes(cap == null ? null : cap.get("storage"));
    }

    /** The class a claim asks for (upstream's GetPersistentVolumeClaimClass); "" when it asks for none. */
    public static String classOfClaim(PersistentVolumeClaim claim) {
        return classOf(claim.getMetadata(), claim.getSpec() == null ? null : claim.getSpec().getStorageClassName());
    }

    /** The class of a volume (upstream's GetPersistentVolumeClass); "" when it has none. */
    public static String classOfVolume(PersistentVolume volume) {
        return classOf(volume.getMetadata(), volume.getSpec() == null ? null : volume.getSpec().getStorageClassName());
    }

    /** The beta annotation wins over the spec field, as upstream reads both; "" when neither names a class. */
    private static String classOf(ObjectMeta metadata, String specClass) {
        String beta = metadata == null || metadata.getAnnotations() == null ? null
                : metadata.getAnnotations().get(BETA_CLASS_ANNOTATION);
        if (beta != null) {
            return beta;
        }
        return specClass == null ? "" : specClass;
    }

    /**
     * The claim's selector against a volume's labels, with the API's own label selector semantics. A selector
     * that does not parse (upstream fails the match with an error) selects no volume.
     */
    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        ObjectNode json = NODES.objectNode();
        if (selector.getMatchLabels() != null) {
            ObjectNode matchLabels = json.putObject("matchLabels");
            selector.getMatchLabels().forEach(matchLabels::put);
        }
        if (selector.getMatchExpressions() != null) {
            var expressions = json.putArray("matchExpressions");
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                ObjectNode e = expressions.addObject();
                e.put("key", r.getKey());
                e.put("operator", r.getOperator());
                var values = e.putArray("values");
                if (r.getValues() != null) {
                    r.getValues().forEach(values::add);
                }
            }
        }
        try {
            return io.kube4j.api.selector.LabelSelector.fromJson(json).matches(labels == null ? Map.of() : labels);
        } catch (SelectorParseException e) {
            return false;
        }
    }

    private static BigDecimal bytes(Quantity q) {
        return q == null || q.getAmount() == null ? BigDecimal.ZERO : Quantity.getAmountInBytes(q);
    }

    private static List<String> modes(List<String> modes) {
        return modes == null ? List.of() : modes;
    }
}
