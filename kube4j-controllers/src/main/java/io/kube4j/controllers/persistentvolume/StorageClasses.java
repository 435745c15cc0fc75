package io.kube4j.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.api.storage.DefaultStorageClass;
import io.kube4j.api.storage.VolumeMatching;
import java.util.Collection;
import java.util.Map;

/**
 * The storage-class facts the binder decides on, read as upstream's storage helpers read them: the beta annotation
 * wins over {@code spec.storageClassName}, an absent class is "", and the default class is the newest one marked
 * default.
 */
final class StorageClasses {
    static final String BETA_CLASS_ANNOTATION = VolumeMatching.BETA_CLASS_ANNOTATION;
    static final String DEFAULT_CLASS_ANNOTATION = DefaultStorageClass.ANNOTATION;
    static final String WAIT_FOR_FIRST_CONSUMER = "WaitForFirstConsumer";

    private StorageClasses() {
    }

    /** The class a claim asks for; "" when it asks for none (the beta annotation first, as volume matching reads it). */
    static String ofClaim(PersistentVolumeClaim claim) {
        return VolumeMatching.classOfClaim(claim);
    }

    /** Whether the claim names a class at all (an explicit "" counts): only a claim that does not may get the default. */
    static boolean claimHasClass(PersistentVolumeClaim claim) {
        return annotation(claim.getMetadata().getAnnotations(), BETA_CLASS_ANNOTATION) != null
                || (claim.getSpec() != null && claim.getSpec().getStorageClassName() != null);
    }

    static String ofVolume(PersistentVolume volume) {
        return VolumeMatching.classOfVolume(volume);
    }

    /** Upstream's IsDelayBindingMode: the claim's class exists and binds WaitForFirstConsumer. */
    static boolean delaysBinding(StorageClass cls) {
        return cls != null && WAIT_FOR_FIRST_CONSUMER.equals(cls.getVolumeBindingMode());
    }

    /** Among several default classes the newest wins, then the first by name: the same choice admission makes. */
    static StorageClass defaultClass(Collection<StorageClass> classes) {
        return DefaultStorageClass.choose(classes, c -> c.getMetadata().getAnnotations(),
                c -> c.getMetadata().getCreationTimestamp(), c -> c.getMetadata().getName()).orElse(null);
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
