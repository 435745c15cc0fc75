package io.kube4j.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The storage-class facts the binder decides on (the volume matching itself is kube4j-api's VolumeMatching). */
class StorageClassesTest {

    static PersistentVolumeClaim pvc(String name, String size, String cls, String... modes) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name)
                .endMetadata().withNewSpec().withAccessModes(modes).withStorageClassName(cls).withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    @Test
    void theDefaultClassIsTheNewestMarkedOne() {
        StorageClass old = sc("old", "2024-01-01T00:00:00Z", true);
        StorageClass newer = sc("newer", "2025-01-01T00:00:00Z", true);
        StorageClass plain = sc("plain", "2026-01-01T00:00:00Z", false);
        assertThat(StorageClasses.defaultClass(List.of(old, newer, plain))).isSameAs(newer);
        assertThat(StorageClasses.defaultClass(List.of(plain))).isNull();
        assertThat(StorageClasses.claimHasClass(pvc("c", "1Gi", "", "ReadWriteOnce"))).isTrue();
        assertThat(StorageClasses.claimHasClass(pvc("c", "1Gi", null, "ReadWriteOnce"))).isFalse();
    }

    private static StorageClass sc(String name, String created, boolean dflt) {
        return new StorageClassBuilder().withNewMetadata().withName(name).withCreationTimestamp(created)
                .withAnnotations(dflt ? Map.of(StorageClasses.DEFAULT_CLASS_ANNOTATION, "true") : Map.of()).endMetadata()
                .withProvisioner("kubernetes.io/no-provisioner").build();
    }
}
