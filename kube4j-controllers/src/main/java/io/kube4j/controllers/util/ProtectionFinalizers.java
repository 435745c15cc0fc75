package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.List;

/**
 * Upstream's protectionutil for the pvc- and pv-protection controllers: when an object's protection finalizer must
 * be added (it is missing and the object is not being deleted) and when its removal must be considered (the object
 * is being deleted and still carries it).
 */
public final class ProtectionFinalizers {
    private ProtectionFinalizers() {
    }

    public static boolean has(HasMetadata obj, String finalizer) {
        List<String> finalizers = obj.getMetadata().getFinalizers();
        return finalizers != null && finalizers.contains(finalizer);
    }

    public static boolean isDeletionCandidate(HasMetadata obj, String finalizer) {
        return obj.getMetadata().getDeletionTimestamp() != null && has(obj, finalizer);
    }

    public static boolean needToAdd(HasMetadata obj, String finalizer) {
        return obj.getMetadata().getDeletionTimestamp() == null && !has(obj, finalizer);
    }

    /** The finalizers with {@code finalizer} appended (when missing) or removed, as a new list. */
    public static List<String> with(HasMetadata obj, String finalizer, boolean present) {
        List<String> finalizers = obj.getMetadata().getFinalizers() == null ? new ArrayList<>()
                : new ArrayList<>(obj.getMetadata().getFinalizers());
        finalizers.removeIf(finalizer::equals);
        if (present) {
            finalizers.add(finalizer);
        }
        return finalizers;
    }
}
