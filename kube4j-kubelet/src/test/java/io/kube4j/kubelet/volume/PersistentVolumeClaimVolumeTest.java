package io.kube4j.kubelet.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.kube4j.cri.v1.Mount;
import io.kube4j.kubelet.env.ObjectSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistentVolumeClaimVolumeTest {
    @TempDir
    Path dir;
    final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
    final Map<String, PersistentVolume> volumes = new HashMap<>();
    final ObjectSource objects = new ObjectSource() {
        @Override
        public ConfigMap configMap(String namespace, String name) {
            return null;
        }

        @Override
        public Secret secret(String namespace, String name) {
            return null;
        }

        @Override
        public List<Service> services(String namespace) {
            return List.of();
        }

        @Override
        public PersistentVolumeClaim persistentVolumeClaim(String namespace, String name) {
            return claims.get(namespace + "/" + name);
        }

        @Override
        public PersistentVolume persistentVolume(String name) {
            return volumes.get(name);
        }
    };

    VolumeManager manager() {
        return new VolumeManager(dir.resolve("kubelet"), objects, (pod, sa, audience, seconds) -> "token", Map::of);
    }

    static Pod pod(boolean readOnlyClaim, String subPath) {
        return new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("uid-1").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("busybox")
                .addNewVolumeMount().withName("data").withMountPath("/data").withSubPath(subPath).endVolumeMount().endContainer()
                .addNewVolume().withName("data").withNewPersistentVolumeClaim("claim", readOnlyClaim).endVolume()
                .addNewVolume().withName("scratch").withNewEmptyDir().endEmptyDir().endVolume()
                .endSpec().build();
    }

    void claim(String phase, String volumeName, String uid) {
        claims.put("ns/claim", new PersistentVolumeClaimBuilder().withNewMetadata().withName("claim").withNamespace("ns").withUid(uid)
                .endMetadata().withNewSpec().withVolumeName(volumeName).endSpec().withNewStatus().withPhase(phase).endStatus().build());
    }

    void hostPathVolume(String name, Path path, String type, String claimUid) {
        volumes.put(name, new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNewHostPath().withPath(path.toString()).withType(type).endHostPath()
                .withNewClaimRef().withNamespace("ns").withName("claim").withUid(claimUid).endClaimRef().endSpec().build());
    }

    @Test
    void aMissingClaimKeepsThePodWaitingWithUpstreamsMessage() {
        assertThatThrownBy(() -> manager().setUp(pod(false, null), "10.0.0.1", ""))
                .isInstanceOf(VolumeException.class)
                .hasMessage("Unable to attach or mount volumes: unmounted volumes=[data scratch], unattached volumes=[data scratch], "
                        + "failed to process volumes=[data]: error processing PVC ns/claim: failed to fetch PVC from API server: "
                        + "persistentvolumeclaims \"claim\" not found");
        assertThat(dir.resolve("kubelet/pods/uid-1")).doesNotExist();
    }

    @Test
    void anUnboundClaimKeepsThePodWaiting() {
        claim("Pending", null, "c-1");
        assertThatThrownBy(() -> manager().setUp(pod(false, null), "10.0.0.1", ""))
                .hasMessageEndingWith("failed to process volumes=[data]: error processing PVC ns/claim: PVC is not bound");
    }

    @Test
    void aVolumeBoundToAnotherClaimIsRefused() {
        claim("Bound", "pv-1", "c-1");
        hostPathVolume("pv-1", dir.resolve("disk"), "DirectoryOrCreate", "someone-else");
        assertThatThrownBy(() -> manager().setUp(pod(false, null), "10.0.0.1", ""))
                .hasMessageEndingWith("found PV object pv-1 but its pv.Spec.ClaimRef.UID someone-else does not point to claim.UID c-1");
    }

    @Test
    void aBoundHostPathVolumeIsMountedWithSubPathAndReadOnly() throws Exception {
        claim("Bound", "pv-1", "c-1");
        Path disk = dir.resolve("disk");
        hostPathVolume("pv-1", disk, "DirectoryOrCreate", "c-1");
        VolumeManager manager = manager();
        Pod pod = pod(true, "sub");
        Map<String, Path> paths = manager.setUp(pod, "10.0.0.1", "");
        assertThat(paths.get("data")).isEqualTo(disk);
        assertThat(disk).isDirectory();
        List<Mount> mounts = manager.mounts(pod, pod.getSpec().getContainers().get(0), paths);
        assertThat(mounts).singleElement().satisfies(m -> {
            assertThat(m.getHostPath()).isEqualTo(disk.resolve("sub").toRealPath().toString());
            assertThat(m.getContainerPath()).isEqualTo("/data");
            assertThat(m.getReadonly()).isTrue();
        });
        assertThat(disk.resolve("sub")).isDirectory();

        Pod writable = pod(false, null);
        assertThat(manager.mounts(writable, writable.getSpec().getContainers().get(0), manager.setUp(writable, "10.0.0.1", "")))
                .singleElement().satisfies(m -> assertThat(m.getReadonly()).isFalse());
        // the pod's volumes go with the pod; the persistent volume's data stays
        Files.writeString(disk.resolve("sub/kept"), "x");
        manager.tearDown("uid-1");
        assertThat(disk.resolve("sub/kept")).hasContent("x");
    }

    @Test
    void aLocalVolumeMustExist() throws Exception {
        claim("Bound", "pv-local", "c-1");
        Path local = dir.resolve("local");
        volumes.put("pv-local", new PersistentVolumeBuilder().withNewMetadata().withName("pv-local").endMetadata().withNewSpec()
                .withNewLocal().withPath(local.toString()).endLocal()
                .withNewClaimRef().withNamespace("ns").withName("claim").withUid("c-1").endClaimRef().endSpec().build());
        assertThatThrownBy(() -> manager().setUp(pod(false, null), "10.0.0.1", ""))
                .hasMessage("MountVolume.SetUp failed for volume \"data\" : path \"" + local + "\" does not exist");
        Files.createDirectories(local);
        assertThat(manager().setUp(pod(false, null), "10.0.0.1", "")).containsEntry("data", local);
    }
}
