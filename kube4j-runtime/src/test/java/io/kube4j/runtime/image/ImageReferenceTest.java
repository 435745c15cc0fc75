package io.kube4j.runtime.image;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceTest {

    @Test
    void officialImagesLiveInDockerHubsLibrary() {
        assertThat(ImageReference.parse("busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("busybox:1.36").toString()).isEqualTo("docker.io/library/busybox:1.36");
        assertThat(ImageReference.parse("index.docker.io/library/busybox").toString()).isEqualTo("docker.io/library/busybox:latest");
        assertThat(ImageReference.parse("busybox").familiarName()).isEqualTo("busybox:latest");
    }

    @Test
    void aFirstComponentWithADotColonOrLocalhostIsARegistry() {
        assertThat(ImageReference.parse("user/app").repository()).isEqualTo("docker.io/user/app");
        assertThat(ImageReference.parse("registry.k8s.io/pause:3.9").domain()).isEqualTo("registry.k8s.io");
        ImageReference local = ImageReference.parse("localhost:5000/team/app:v2");
        assertThat(local.domain()).isEqualTo("localhost:5000");
        assertThat(local.path()).isEqualTo("team/app");
        assertThat(local.tag()).isEqualTo("v2");
        assertThat(ImageReference.parse("127.0.0.1:5000/app").toString()).isEqualTo("127.0.0.1:5000/app:latest");
    }

    @Test
    void digestsAreKeptAndATagIsOptionalWithThem() {
        String digest = "sha256:" + "a".repeat(64);
        ImageReference byDigest = ImageReference.parse("busybox@" + digest);
        assertThat(byDigest.hasTag()).isFalse();
        assertThat(byDigest.toString()).isEqualTo("docker.io/library/busybox@" + digest);
        assertThat(ImageReference.parse("busybox:1@" + digest).digest()).isEqualTo(digest);
    }

    @Test
    void badReferencesSayWhatIsWrong() {
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageReference.parse("Busybox")).hasMessageContaining("lowercase");
        assertThatThrownBy(() -> ImageReference.parse("busybox:bad tag")).hasMessageContaining("bad tag");
        assertThatThrownBy(() -> ImageReference.parse("busybox@sha256:123")).hasMessageContaining("bad digest");
        assertThatThrownBy(() -> ImageReference.parse("a//b")).hasMessageContaining("invalid image reference");
    }
}
