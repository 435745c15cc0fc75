package io.kube4j.api.storage;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The PV controller's and the scheduler's matching of claims to volumes (moved from the controllers' VolumeMatcherTest). */
class VolumeMatchingTest {

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
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("small");
        assertThat(VolumeMatching.bestMatch(pvc("c", "20Gi", "", "ReadWriteOnce"), vols, false)).isNull();
    }

    @Test
    void classMustBeEqualAndEmptyMatchesOnlyEmpty() {
        List<PersistentVolume> vols = List.of(pv("fast", "1Gi", "fast", "ReadWriteOnce"), pv("none", "5Gi", null, "ReadWriteOnce"));
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "fast", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("fast");
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("none");
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", null, "ReadWriteOnce"), vols, false).getMetadata().getName())
                .isEqualTo("none");
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "slow", "ReadWriteOnce"), vols, false)).isNull();
    }

    @Test
    void accessModesMustBeASupersetAndTheFewestModesAreTriedFirst() {
        PersistentVolume rwoRox = pv("rwo-rox", "1Gi", "", "ReadWriteOnce", "ReadOnlyMany");
        PersistentVolume rwoBig = pv("rwo-big", "5Gi", "", "ReadWriteOnce");
        List<PersistentVolume> vols = List.of(rwoRox, rwoBig);
        // the exact mode set wins even though it is bigger
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false)).isSameAs(rwoBig);
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadOnlyMany"), vols, false)).isSameAs(rwoRox);
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadWriteMany"), vols, false)).isNull();
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
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "", "ReadWriteOnce"), vols, false)).isSameAs(plain);
        PersistentVolumeClaim gold = new PersistentVolumeClaimBuilder(pvc("c", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withSelector(new LabelSelectorBuilder().withMatchLabels(Map.of("tier", "gold")).build()).endSpec().build();
        assertThat(VolumeMatching.bestMatch(gold, vols, false)).isSameAs(labelled);
        PersistentVolumeClaim blockClaim = new PersistentVolumeClaimBuilder(pvc("c", "1Gi", "", "ReadWriteOnce")).editSpec()
                .withVolumeMode("Block").endSpec().build();
        assertThat(VolumeMatching.bestMatch(blockClaim, vols, false)).isSameAs(block);
    }

    @Test
    void aPreBoundVolumeWinsEvenWhenDelayedAndNotAvailable() {
        PersistentVolume prebound = new PersistentVolumeBuilder(pv("pre", "10Gi", "other", "ReadWriteOnce")).editSpec()
                .withNewClaimRef().withNamespace("ns").withName("c").endClaimRef().endSpec().editStatus().withPhase("Pending")
                .endStatus().build();
        PersistentVolume small = pv("small", "1Gi", "other", "ReadWriteOnce");
        List<PersistentVolume> vols = List.of(small, prebound);
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "other", "ReadWriteOnce"), vols, false)).isSameAs(prebound);
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "other", "ReadWriteOnce"), vols, true)).isSameAs(prebound);
        // delayed binding: without a pre-bound volume the controller leaves the choice to the scheduler
        assertThat(VolumeMatching.bestMatch(pvc("d", "1Gi", "other", "ReadWriteOnce"), vols, true)).isNull();
        // a pre-binding carrying another claim's uid is not this claim's
        PersistentVolume otherUid = new PersistentVolumeBuilder(prebound).editSpec().editClaimRef().withUid("uid-old")
                .endClaimRef().endSpec().build();
        assertThat(VolumeMatching.isBoundToClaim(otherUid, pvc("c", "1Gi", "other", "ReadWriteOnce"))).isFalse();
    }

    @Test
    void aRequestedVolumeIsCheckedWithUpstreamsMessages() {
        PersistentVolume v = pv("v", "1Gi", "fast", "ReadWriteOnce");
        assertThat(VolumeMatching.mismatch(v, pvc("c", "1Gi", "fast", "ReadWriteOnce"))).isNull();
        assertThat(VolumeMatching.mismatch(v, pvc("c", "2Gi", "fast", "ReadWriteOnce"))).isEqualTo("requested PV is too small");
        assertThat(VolumeMatching.mismatch(v, pvc("c", "1Gi", "slow", "ReadWriteOnce"))).isEqualTo("storageClassName does not match");
        assertThat(VolumeMatching.mismatch(v, pvc("c", "1Gi", "fast", "ReadWriteMany"))).isEqualTo("incompatible accessMode");
    }

    @Test
    void onANodeTheSmallestReachableVolumeWithTheModesWinsAndExcludedOnesAreSkipped() {
        PersistentVolume small = pv("small", "1Gi", "local", "ReadWriteOnce");
        PersistentVolume far = pv("far", "1Gi", "local", "ReadWriteOnce");
        PersistentVolume big = pv("big", "5Gi", "local", "ReadWriteOnce", "ReadOnlyMany");
        PersistentVolume rox = pv("rox", "1Gi", "local", "ReadOnlyMany");
        List<PersistentVolume> vols = List.of(big, far, small, rox);
        PersistentVolumeClaim claim = pvc("c", "1Gi", "local", "ReadWriteOnce");
        java.util.function.Predicate<PersistentVolume> notFar = v -> !v.getMetadata().getName().equals("far");

        assertThat(VolumeMatching.findMatchingVolume(claim, vols, notFar, java.util.Set.of())).isSameAs(small);
        assertThat(VolumeMatching.findMatchingVolume(claim, vols, notFar, java.util.Set.of("small"))).isSameAs(big);
        assertThat(VolumeMatching.findMatchingVolume(claim, vols, v -> false, java.util.Set.of())).isNull();
        // the scheduler checks access modes itself: rox never fits a ReadWriteOnce claim
        assertThat(VolumeMatching.findMatchingVolume(claim, List.of(rox), v -> true, java.util.Set.of())).isNull();
        // a volume not yet Available is left alone
        PersistentVolume pending = new PersistentVolumeBuilder(small).editStatus().withPhase("Pending").endStatus().build();
        assertThat(VolumeMatching.findMatchingVolume(claim, List.of(pending), v -> true, java.util.Set.of())).isNull();
    }

    @Test
    void aPreBoundVolumeTheNodeCannotReachMeansNoMatchOnThatNode() {
        PersistentVolume prebound = new PersistentVolumeBuilder(pv("pre", "1Gi", "local", "ReadWriteOnce"))
                .editSpec().withNewClaimRef().withNamespace("ns").withName("c").endClaimRef().endSpec().build();
        PersistentVolume other = pv("other", "1Gi", "local", "ReadWriteOnce");
        PersistentVolumeClaim claim = pvc("c", "1Gi", "local", "ReadWriteOnce");
        assertThat(VolumeMatching.findMatchingVolume(claim, List.of(other, prebound), v -> true, java.util.Set.of()))
                .isSameAs(prebound);
        assertThat(VolumeMatching.findMatchingVolume(claim, List.of(other, prebound),
                v -> !v.getMetadata().getName().equals("pre"), java.util.Set.of())).isNull();
    }

    @Test
    void theBetaAnnotationNamesTheClassBeforeTheSpecField() {
        PersistentVolume annotated = new PersistentVolumeBuilder(pv("a", "1Gi", "spec-class", "ReadWriteOnce"))
                .editMetadata().addToAnnotations(VolumeMatching.BETA_CLASS_ANNOTATION, "beta-class").endMetadata().build();
        assertThat(VolumeMatching.classOfVolume(annotated)).isEqualTo("beta-class");
        assertThat(VolumeMatching.classOfClaim(pvc("c", "1Gi", null, "ReadWriteOnce"))).isEmpty();
        assertThat(VolumeMatching.bestMatch(pvc("c", "1Gi", "beta-class", "ReadWriteOnce"), List.of(annotated), false))
                .isSameAs(annotated);
    }
}
