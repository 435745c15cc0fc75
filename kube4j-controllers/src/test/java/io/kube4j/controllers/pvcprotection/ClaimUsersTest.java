package io.kube4j.controllers.pvcprotection;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

/** Which pods hold a claim and which pod events may free one, as upstream's pvc-protection controller decides. */
class ClaimUsersTest {

    @Test
    void aScheduledPodNamingTheClaimUsesItEvenWhenFinished() {
        PersistentVolumeClaim claim = claim("data", null);
        assertThat(ClaimUsers.podUsesClaim(pod("p", "node-a", "Running", "data"), claim)).isTrue();
        assertThat(ClaimUsers.podUsesClaim(pod("p", "node-a", "Succeeded", "data"), claim)).isTrue();
        assertThat(ClaimUsers.podUsesClaim(pod("p", "node-a", "Running", "other"), claim)).isFalse();
        assertThat(ClaimUsers.podUsesClaim(pod("p", null, "Pending", "data"), claim))
                .as("an unscheduled pod never started").isFalse();
        Pod elsewhere = pod("p", "node-a", "Running", "data");
        elsewhere.getMetadata().setNamespace("other-ns");
        assertThat(ClaimUsers.podUsesClaim(elsewhere, claim)).isFalse();
    }

    @Test
    void anEphemeralClaimIsHeldByItsOwnPodUntilItShutsDown() {
        Pod pod = ephemeralPod("web", "scratch");
        PersistentVolumeClaim owned = claim("web-scratch", "pod-uid");
        assertThat(ClaimUsers.podUsesClaim(pod, owned)).isTrue();
        assertThat(ClaimUsers.podUsesClaim(pod, claim("web-scratch", "someone-else"))).as("not the pod's claim").isFalse();
        assertThat(ClaimUsers.podUsesClaim(pod, claim("web-scratch", null))).isFalse();

        pod.getMetadata().setDeletionTimestamp("2026-01-01T00:00:00Z");
        pod.getMetadata().setDeletionGracePeriodSeconds(30L);
        assertThat(ClaimUsers.podUsesClaim(pod, owned)).as("still shutting down").isTrue();
        pod.getMetadata().setDeletionGracePeriodSeconds(0L);
        assertThat(ClaimUsers.podUsesClaim(pod, owned)).as("shut down").isFalse();
    }

    @Test
    void onlyPodEventsThatMayFreeAClaimEnqueueIt() {
        assertThat(ClaimUsers.claimsFreedBy(pod("p", "node-a", "Running", "data"), false)).isEmpty();
        assertThat(ClaimUsers.claimsFreedBy(pod("p", "node-a", "Running", "data"), true)).containsExactly("data");
        assertThat(ClaimUsers.claimsFreedBy(pod("p", "node-a", "Failed", "data"), false)).containsExactly("data");
        assertThat(ClaimUsers.claimsFreedBy(pod("p", null, "Pending", "data"), false)).containsExactly("data");
        assertThat(ClaimUsers.claimsFreedBy(ephemeralPod("web", "scratch"), true)).containsExactly("web-scratch");
    }

    @Test
    void aDeletedPodIsTerminatedOnceNoContainerRuns() {
        Pod pod = new PodBuilder(pod("p", "node-a", "Running", "data")).editMetadata()
                .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().editStatus()
                .addNewContainerStatus().withName("c").withNewState().withNewRunning().endRunning().endState()
                .endContainerStatus().endStatus().build();
        assertThat(ClaimUsers.isTerminated(pod)).isFalse();
        pod.getStatus().getContainerStatuses().get(0).getState().setRunning(null);
        pod.getStatus().getContainerStatuses().get(0).getState()
                .setTerminated(new io.fabric8.kubernetes.api.model.ContainerStateTerminated());
        assertThat(ClaimUsers.isTerminated(pod)).isTrue();
    }

    static Pod pod(String name, String node, String phase, String claim) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("uid-" + name).endMetadata()
                .withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
                .endVolume().endSpec().withNewStatus().withPhase(phase).endStatus().build();
    }

    private static Pod ephemeralPod(String name, String volume) {
        return new PodBuilder().withNewMetadata().withNamespace("ns").withName(name).withUid("pod-uid").endMetadata()
                .withNewSpec().withNodeName("node-a").addNewContainer().withName("c").withImage("busybox").endContainer()
                .addNewVolume().withName(volume).withNewEphemeral().withNewVolumeClaimTemplate().withNewSpec()
                .withAccessModes("ReadWriteOnce").endSpec().endVolumeClaimTemplate().endEphemeral().endVolume()
                .endSpec().withNewStatus().withPhase("Running").endStatus().build();
    }

    static PersistentVolumeClaim claim(String name, String controllerUid) {
        PersistentVolumeClaimBuilder b = new PersistentVolumeClaimBuilder().withNewMetadata().withNamespace("ns")
                .withName(name).withUid("uid-" + name).endMetadata().withNewSpec().withAccessModes("ReadWriteOnce")
                .endSpec();
        if (controllerUid != null) {
            b.editMetadata().addNewOwnerReference().withApiVersion("v1").withKind("Pod").withName("web")
                    .withUid(controllerUid).withController(true).endOwnerReference().endMetadata();
        }
        return b.build();
    }
}
