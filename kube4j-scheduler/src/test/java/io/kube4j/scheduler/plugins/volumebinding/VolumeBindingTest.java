package io.kube4j.scheduler.plugins.volumebinding;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.kube4j.scheduler.framework.Code;
import io.kube4j.scheduler.framework.CycleState;
import io.kube4j.scheduler.framework.NodeInfo;
import io.kube4j.scheduler.framework.PodInfo;
import io.kube4j.scheduler.framework.Status;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VolumeBindingTest {
    private final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    private final List<PersistentVolume> volumes = new ArrayList<>();
    private final Map<String, StorageClass> classes = new HashMap<>();
    private final List<Runnable> claimListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.concurrent.atomic.AtomicInteger claimReads = new java.util.concurrent.atomic.AtomicInteger();
    private final io.kube4j.scheduler.testing.FakeHandle base = new io.kube4j.scheduler.testing.FakeHandle()
            .node(Nodes.node("a").build()).node(Nodes.node("b").build());
    private final VolumeBinding plugin = new VolumeBinding(new io.kube4j.scheduler.framework.Handle() {
        @Override public io.kube4j.scheduler.framework.Snapshot snapshot() { return base.snapshot(); }
        @Override public io.kube4j.scheduler.framework.Parallelizer parallelizer() { return base.parallelizer(); }
        @Override public io.fabric8.kubernetes.client.KubernetesClient client() { return null; }
        @Override public io.kube4j.scheduler.framework.Framework framework() { return null; }
        @Override public PersistentVolumeClaim pvc(String ns, String name) {
            claimReads.incrementAndGet();
            return claims.get(ns + "/" + name);
        }
        @Override public void onClaimChange(Runnable listener) { claimListeners.add(listener); }
        @Override public List<PersistentVolume> persistentVolumes() { return volumes; }
        @Override public StorageClass storageClass(String name) { return classes.get(name); }
    });

    private static PodInfo podWithClaim(String claim) {
        return Pods.pod("p").edit(b -> b.editSpec().addNewVolume().withName("data").withNewPersistentVolumeClaim().withClaimName(claim)
                .endPersistentVolumeClaim().endVolume().endSpec()).info();
    }

    private void claim(String name, String cls, String volumeName) {
        claims.put("default/" + name, new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withStorageClassName(cls).withVolumeName(volumeName).withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build());
    }

    private void volume(String name, String cls, String size, String onNode) {
        volumes.add(new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withStorageClassName(cls).withAccessModes("ReadWriteOnce").withCapacity(Map.of("storage", new Quantity(size)))
                .withNewNodeAffinity().withNewRequired().withNodeSelectorTerms(new NodeSelectorTermBuilder()
                        .withMatchExpressions(new NodeSelectorRequirement("kubernetes.io/hostname", "In", List.of(onNode))).build())
                .endRequired().endNodeAffinity().endSpec().withNewStatus().withPhase("Available").endStatus().build());
    }

    private void storageClass(String name, String mode, String provisioner) {
        classes.put(name, new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withVolumeBindingMode(mode).withProvisioner(provisioner).build());
    }

    @Test
    void podsWithoutClaimsSkip() {
        assertThat(plugin.preFilter(new CycleState(), Pods.pod("p").info()).isSkip()).isTrue();
    }

    @Test
    void missingAndUnboundImmediateClaimsAreUnresolvable() {
        Status missing = plugin.preFilter(new CycleState(), podWithClaim("nope"));
        assertThat(missing.code()).isEqualTo(Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
        assertThat(missing.reasons()).containsExactly("persistentvolumeclaim \"nope\" not found");
        storageClass("fast", "Immediate", "example.com/csi");
        claim("data", "fast", null);
        assertThat(plugin.preFilter(new CycleState(), podWithClaim("data")).reasons()).containsExactly("pod has unbound immediate PersistentVolumeClaims");
    }

    @Test
    void boundClaimRestrictsToTheVolumesNode() {
        storageClass("local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner");
        volume("pv-a", "local", "5Gi", "a");
        claim("data", "local", "pv-a");
        CycleState s = new CycleState();
        PodInfo pod = podWithClaim("data");
        assertThat(plugin.preFilter(s, pod).isSuccess()).isTrue();
        assertThat(plugin.filter(s, pod, base.nodeInfo("a")).isSuccess()).isTrue();
        assertThat(plugin.filter(s, pod, base.nodeInfo("b")).reasons()).containsExactly("node(s) had volume node affinity conflict");
    }

    @Test
    void waitForFirstConsumerFindsALocalVolumeOnTheNode() {
        storageClass("local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner");
        volume("pv-b-small", "local", "500Mi", "b");
        volume("pv-b", "local", "2Gi", "b");
        claim("data", "local", null);
        CycleState s = new CycleState();
        PodInfo pod = podWithClaim("data");
        assertThat(plugin.preFilter(s, pod).isSuccess()).isTrue();
        assertThat(plugin.filter(s, pod, base.nodeInfo("a")).reasons()).containsExactly("node(s) didn't find available persistent volumes to bind");
        assertThat(plugin.filter(s, pod, base.nodeInfo("b")).isSuccess()).isTrue();
        NodeInfo b = base.nodeInfo("b");
        assertThat(plugin.matchVolume(claims.get("default/data"), b, java.util.Set.of()).getMetadata().getName()).isEqualTo("pv-b");
    }

    @Test
    void dynamicProvisioningFitsAnyNode() {
        storageClass("csi", "WaitForFirstConsumer", "example.com/csi");
        claim("data", "csi", null);
        CycleState s = new CycleState();
        PodInfo pod = podWithClaim("data");
        plugin.preFilter(s, pod);
        assertThat(plugin.filter(s, pod, base.nodeInfo("a")).isSuccess()).isTrue();
    }

    /** What the informer does on a claim event: the lister holds the new claim, then the listeners run. */
    private void claimEvent(PersistentVolumeClaim changed) {
        claims.put("default/" + changed.getMetadata().getName(), changed);
        claimListeners.forEach(Runnable::run);
    }

    @Test
    void preBindWaitsForTheClaimToBeBoundOnClaimEventsNotOnAClock() throws Exception {
        claim("data", "local", null);
        java.util.concurrent.CompletableFuture<Boolean> bound = java.util.concurrent.CompletableFuture.supplyAsync(
                () -> plugin.awaitClaimBound("default", "data", "pv-a", java.util.concurrent.TimeUnit.MINUTES.toNanos(10)));
        org.awaitility.Awaitility.await().until(() -> claimReads.get() == 1);
        // no event, no new read: the waiter is not polling the lister
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(5))
                .until(() -> claimReads.get() == 1);
        assertThat(bound).isNotDone();

        // an event that does not bind it (volumeName set, bind-completed not yet) is read and waited past
        PersistentVolumeClaim named = new PersistentVolumeClaimBuilder(claims.get("default/data")).editSpec()
                .withVolumeName("pv-a").endSpec().build();
        claimEvent(named);
        org.awaitility.Awaitility.await().until(() -> claimReads.get() == 2);
        assertThat(bound).isNotDone();

        claimEvent(new PersistentVolumeClaimBuilder(named).editMetadata()
                .addToAnnotations("pv.kubernetes.io/bind-completed", "yes").endMetadata().build());
        assertThat(bound.get(30, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void preBindGivesUpAtItsTimeoutWhenTheClaimIsNeverBound() {
        claim("data", "local", null);
        assertThat(plugin.awaitClaimBound("default", "data", "pv-a", java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(200)))
                .isFalse();
        assertThat(VolumeBinding.BIND_TIMEOUT_MILLIS).isEqualTo(600_000);
    }

    @Test
    void aVolumeAssumedForAnotherPodIsNotOfferedAgain() {
        storageClass("local", "WaitForFirstConsumer", "kubernetes.io/no-provisioner");
        volume("pv-b", "local", "2Gi", "b");
        claim("data", "local", null);
        PodInfo first = podWithClaim("data");
        CycleState s = new CycleState();
        plugin.preFilter(s, first);
        assertThat(plugin.reserve(s, first, "b").isSuccess()).isTrue();
        assertThat(plugin.matchVolume(claims.get("default/data"), base.nodeInfo("b"), java.util.Set.of())).isNull();
        plugin.unreserve(s, first, "b");
        assertThat(plugin.matchVolume(claims.get("default/data"), base.nodeInfo("b"), java.util.Set.of())).isNotNull();
    }
}
