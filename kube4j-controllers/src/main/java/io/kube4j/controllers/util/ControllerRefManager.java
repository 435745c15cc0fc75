package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * Upstream's ControllerRefManager: of the candidates, keeps the ones this owner controls and whose
 * labels still match, adopts matching orphans, and releases owned objects that no longer match.
 */
public final class ControllerRefManager<T extends HasMetadata> {
    private final HasMetadata owner;
    private final Predicate<T> matches;
    private final BooleanSupplier canAdopt;
    private final OwnerReferencePatcher patcher;
    private Boolean adoptable;

    public ControllerRefManager(HasMetadata owner, Predicate<T> matches, BooleanSupplier canAdopt,
                                OwnerReferencePatcher patcher) {
        this.owner = owner;
        this.matches = matches;
        this.canAdopt = canAdopt;
        this.patcher = patcher;
    }

    public List<T> claim(List<T> candidates) {
        List<T> claimed = new ArrayList<>();
        RuntimeException firstError = null;
        for (T obj : candidates) {
            try {
                if (claimOne(obj)) {
                    claimed.add(obj);
                }
            } catch (RuntimeException e) {
                if (firstError == null) {
                    firstError = e;
                }
            }
        }
        if (firstError != null) {
            throw firstError;
        }
        return claimed;
    }

    private boolean claimOne(T obj) {
        String ownerUid = owner.getMetadata().getUid();
        OwnerReference ref = OwnerRefs.controllerOf(obj);
        if (ref != null) {
            if (!ownerUid.equals(ref.getUid())) {
                return false;
            }
            if (matches.test(obj)) {
                return true;
            }
            if (OwnerRefs.isBeingDeleted(owner)) {
                return false;
            }
            release(obj);
            return false;
        }
        if (OwnerRefs.isBeingDeleted(owner) || OwnerRefs.isBeingDeleted(obj) || !matches.test(obj)) {
            return false;
        }
        if (adoptable == null) {
            adoptable = canAdopt.getAsBoolean();
        }
        if (!adoptable) {
            return false;
        }
        adopt(obj);
        return true;
    }

    private void adopt(T obj) {
        List<OwnerReference> refs = new ArrayList<>();
        if (obj.getMetadata().getOwnerReferences() != null) {
            refs.addAll(obj.getMetadata().getOwnerReferences());
        }
        refs.removeIf(r -> owner.getMetadata().getUid().equals(r.getUid()));
        refs.add(OwnerRefs.newControllerRef(owner));
        // The informer delivers the adopted object later; the cached copy must not be mutated.
        patcher.setOwnerReferences(obj, refs);
    }

    private void release(T obj) {
        List<OwnerReference> refs = new ArrayList<>(obj.getMetadata().getOwnerReferences());
        refs.removeIf(r -> owner.getMetadata().getUid().equals(r.getUid()));
        try {
            patcher.setOwnerReferences(obj, refs);
        } catch (KubernetesClientException e) {
            // Gone or already changed: either way it is no longer ours.
            if (e.getCode() != 404 && e.getCode() != 422 && e.getCode() != 409) {
                throw e;
            }
        }
    }
}
