package io.kube4j.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VolumeMatcherTest {

    static PersistentVolume pv(String name, String size, String cls, String... modes) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withCapacity(Map.of("storage", new Quantity(size))).withStorageClassName(cls)
                .withAccessModes(modes).withVolumeMode("Filesystem").withNewHostPath().withPath("/tmp/" + name).endHostPath()
                .endSpec().withNewStatus().withPhase("Available").endStatus().build();
    }

    static PersistentVolumeClaim pvc(String name, String size, String cls, String... modes) {
        return new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name)
                .endMetadata().withNewSpec().withAccessModes(modes).withStorageClassName(cls).withNewResources()
                .addToRequests("storage", new Quantity(size)).endResources().endSpec().build();
    }

    @Test
    void theSmallestAvailableVolumeThatIsBigEnoughWins() {
        List<PersistentVolume> vols = List.of(pv("big", "10Gi", "", "ReadWriteOnce"), pv("small", "1Gi", "", "ReadWriteOnce"),
                pv("tiny", "500Mi", "", "ReadWriteOnce"), pv("mid", "2Gi", "", "ReadWriteOnce"));
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("small");
        assertThat(VolumeMatcher.bestMatch(pvc("c", "20Gi", "", "ReadWriteOnce"), vols, false)).isNull();
    }

    @Test
    void classMustBeEqualAndEmptyMatchesOnlyEmpty() {
        List<PersistentVolume> vols = List.of(pv("fast", "1Gi", "fast", "ReadWriteOnce"), pv("none", "5Gi", null, "ReadWriteOnce"));
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "fast", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("fast");
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("none");
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", null, "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("none");
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "slow", "ReadWriteOnce"), vols, false)).isNull();
    }

    @Test
    void accessModesMustBeASupersetAndTheFewestModesAreTriedFirst() {
        PersistentVolume rwoRox = pv("rwo-rox", "1Gi", "", "ReadWriteOnce", "ReadOnlyMany");
        PersistentVolume rwoBig = pv("rwo-big", "5Gi", "", "ReadWriteOnce");
        List<PersistentVolume> vols = List.of(rwoRox, rwoBig);
        // the exact mode set wins even though it is bigger
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false)).isSameAs(rwoBig);
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadOnlyMany"), vols, false)).isSameAs(rwoRox);
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadWriteMany"), vols, false)).isNull();
    }

    @Test
    void volumeModeSelectorPhaseAndOtherClaimsExclude() {
        PersistentVolume block = new PersistentVolumeBuilder(pv("block", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withVolumeMode("Block").endSpec().build();
        PersistentVolume pending = new PersistentVolumeBuilder(pv("pending", "1Gi", "", "ReadWriteOnce")).editStatus()
                .withPhase("Pending").endStatus().build();
        PersistentVolume other = new PersistentVolumeBuilder(pv("other", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withNewClaimRef().withNamespace("ns").withName("someone-else").endClaimRef().endSpec().build();
        PersistentVolume labelled = new PersistentVolumeBuilder(pv("labelled", "8Gi", "", "ReadWriteOnce")).editMetadata()
                .withLabels(Map.of("tier", "gold")).endMetadata().build();
        PersistentVolume plain = pv("plain", "2Gi", "", "ReadWriteOnce");
        List<PersistentVolume> vols = List.of(block, pending, other, labelled, plain);
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false)).isSameAs(plain);
        PersistentVolumeClaim gold = new PersistentVolumeClaimBuilder(pvc("c", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "gold")).build()).endSpec().build();
        assertThat(VolumeMatcher.bestMatch(gold, vols, false)).isSameAs(labelled);
        PersistentVolumeClaim blockClaim = new PersistentVolumeClaimBuilder(pvc("c", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withVolumeMode("Block").endSpec().build();
        assertThat(VolumeMatcher.bestMatch(blockClaim, vols, false)).isSameAs(block);
    }

    @Test
    void aPreBoundVolumeWinsEvenWhenDelayedAndNotAvailable() {
        PersistentVolume prebound = new PersistentVolumeBuilder(pv("pre", "10Gi", "other", "ReadWriteOnce")).editSpec()
                .withNewClaimRef().withNamespace("ns").withName("c").endClaimRef().endSpec().editStatus().withPhase("Pending")
                .endStatus().build();
        PersistentVolume small = pv("small", "1Gi", "other", "ReadWriteOnce");
        List<PersistentVolume> vols = List.of(small, prebound);
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "other", "ReadWriteOnce"), vols, false)).isSameAs(prebound);
        assertThat(VolumeMatcher.bestMatch(pvc("c", "1Gi", "other", "ReadWriteOnce"), vols, true)).isSameAs(prebound);
        // delayed binding: without a pre-bound volume the controller leaves the choice to the scheduler
        assertThat(VolumeMatcher.bestMatch(pvc("d", "1Gi", "other", "ReadWriteOnce"), vols, true)).isNull();
        // a pre-binding carrying another claim's uid is not this claim's
        PersistentVolume otherUid = new PersistentVolumeBuilder(prebound).editSpec().editClaimRef().withUid("uid-old")
                .endClaimRef().endSpec().build();
        assertThat(VolumeMatcher.isBoundToClaim(otherUid, pvc("c", "1Gi", "other", "ReadWriteOnce"))).isFalse();
    }

    @Test
    void aRequestedVolumeIsCheckedWithUpstreamsMessages() {
        PersistentVolume v = pv("v", "1Gi", "fast", "ReadWriteOnce");
        assertThat(VolumeMatcher.mismatch(v, pvc("c", "1Gi", "fast", "ReadWriteOnce"))).isNull();
        assertThat(VolumeMatcher.mismatch(v, pvc("c", "2Gi", "fast", "ReadWriteOnce"))).isEqualTo("requested PV is too small");
        assertThat(VolumeMatcher.mismatch(v, pvc("c", "1Gi", "slow", "ReadWriteOnce"))).isEqualTo("storageClassName does not match");
        assertThat(VolumeMatcher.mismatch(v, pvc("c", "1Gi", "fast", "ReadWriteMany"))).isEqualTo("incompatible accessMode");
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
