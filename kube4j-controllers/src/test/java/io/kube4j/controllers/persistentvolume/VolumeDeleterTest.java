package io.kube4j.controllers.persistentvolume;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeDeleterTest {
    @TempDir
    Path dir;

    @Test
    void aHostPathUnderTmpIsRemovedAnyOtherFailsWithUpstreamsMessage() throws Exception {
        Path data = dir.resolve("data");
        Files.createDirectories(data.resolve("sub"));
        Files.writeString(data.resolve("sub/file"), "x");
        // the check is upstream's unanchored "/tmp/.+": the JUnit temp dir lives under /tmp on this machine
        assertThat(data.toString()).contains("/tmp/");
        VolumeDeleter deleter = new VolumeDeleter();
        assertThat(deleter.delete(hostPath("pv", data.toString()))).isInstanceOf(VolumeDeleter.Deleted.class);
        assertThat(data).doesNotExist();
        assertThat(deleter.delete(hostPath("pv", data.toString()))).as("already gone").isInstanceOf(VolumeDeleter.Deleted.class);
        assertThat(deleter.delete(hostPath("pv", "/srv/data")))
                .isEqualTo(new VolumeDeleter.Failed("host_path deleter only supports /tmp/.+ but received provided /srv/data"));
    }

    @Test
    void localHasNoDeleterAndExternallyProvisionedIsLeftToItsProvisioner() {
        PersistentVolume local = new PersistentVolumeBuilder().withNewMetadata().withName("loc").endMetadata().withNewSpec()
                .withNewLocal().withPath("/tmp/x").endLocal().endSpec().build();
        VolumeDeleter deleter = new VolumeDeleter();
        assertThat(deleter.delete(local)).isEqualTo(new VolumeDeleter.Failed(
                "error getting deleter volume plugin for volume \"loc\": no deletable volume plugin matched"));
        PersistentVolume external = new PersistentVolumeBuilder(local).editMetadata()
                .addToAnnotations(VolumeDeleter.PROVISIONED_BY, "rancher.io/local-path").endMetadata().build();
        assertThat(deleter.delete(external)).isInstanceOf(VolumeDeleter.External.class);
    }

    private static PersistentVolume hostPath(String name, String path) {
        return new PersistentVolumeBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withNewHostPath().withPath(path).endHostPath().endSpec().build();
    }
}
