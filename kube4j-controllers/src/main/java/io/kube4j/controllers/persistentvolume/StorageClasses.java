package io.kube4j.controllers.persistentvolume;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.kube4j.api.storage.VolumeMatching;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Map;

/**
 * The storage-class facts the binder decides on, read as upstream's storage helpers read them: the beta annotation
 * wins over {@code spec.storageClassName}, an absent class is "", and the default class is the newest one marked
 * default.
 */
final class StorageClasses {
    static final String BETA_CLASS_ANNOTATION = VolumeMatching.BETA_CLASS_ANNOTATION;
    static final String DEFAULT_CLASS_ANNOTATION = "storageclass.kubernetes.io/is-default-class";
    static final String BETA_DEFAULT_CLASS_ANNOTATION = "storageclass.beta.kubernetes.io/is-default-class";
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

    static boolean isDefault(StorageClass cls) {
        Map<String, String> a = cls.getMetadata().getAnnotations();
        return "true".equals(annotation(a, DEFAULT_CLASS_ANNOTATION)) || "true".equals(annotation(a, BETA_DEFAULT_CLASS_ANNOTATION));
    }

    /** Among several default classes the newest wins, then the first by name, as upstream's GetDefaultClass. */
    static StorageClass defaultClass(Collection<StorageClass> classes) {
        return classes.stream().filter(StorageClasses::isDefault)
                .min(Comparator.comparing((StorageClass c) -> created(c), Comparator.reverseOrder())
                        .thenComparing(c -> c.getMetadata().getName()))
                .orElse(null);
    }

    private static Instant created(StorageClass c) {
        Instant t = Times.parse(c.getMetadata().getCreationTimestamp());
        return t == null ? Instant.EPOCH : t;
    }

    private static String annotation(Map<String, String> annotations, String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
