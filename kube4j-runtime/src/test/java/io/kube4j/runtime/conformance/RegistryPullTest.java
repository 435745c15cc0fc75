package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.ContainerStatus;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.ImageStatusRequest;
import io.kube4j.cri.v1.PodSandboxConfig;
import io.kube4j.cri.v1.PullImageRequest;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** PullImage from a registry on loopback into an empty image store, then a container from it. */
class RegistryPullTest {
    private static LocalRegistry registry;
    private static RuntimeServer server;
    private static CriClient client;
    private static Path base;
    private static String bridge;

    @BeforeAll
    static void start() throws Exception {
        registry = LocalRegistry.start();
        registry.push(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "kube4j/busybox:v1");
        base = Files.createTempDirectory("kube4j-pull");
        bridge = "k4jp" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        server = RuntimeServer.start(RuntimeOptions.defaults(base.resolve("root"), base.resolve("cri.sock"))
                .withImportDir(base.resolve("no-archives"))
                .withNetwork("10.203." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24", bridge, false));
        client = new CriClient(server.socket());
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (client != null) {
                client.removeAllSandboxes();
                client.close();
            }
        } finally {
            if (server != null) {
                server.close();
            }
            if (registry != null) {
                registry.close();
            }
            new ProcessBuilder("ip", "link", "del", bridge).start().waitFor();
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
    }

    private static String pull(String image) {
        return client.img().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
                .getImageRef();
    }

    private static Image status(String image) {
        return client.img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
                .getImage();
    }

    @Test
    void pullsByTagAndByDigestAndRunsThePulledImage() {
        String name = registry.host() + "/kube4j/busybox:v1";
        assertThat(client.img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(name)).build())
                .hasImage()).isFalse();

        String ref = pull(name);
        Image image = status(name);
        assertThat(image.getId()).isEqualTo(ref);
        assertThat(image.getRepoTagsList()).contains(name);
        String digested = image.getRepoDigestsList().stream().filter(d -> d.startsWith(registry.host())).findFirst().orElseThrow();
        assertThat(pull(digested)).isEqualTo(ref);

        PodSandboxConfig config = CriClient.sandboxConfig("pulled", base.resolve("logs"));
        String sandbox = client.runSandbox(config);
        String id = client.startNew(sandbox, config, CriClient.containerConfig("pulled", name, "sh", "-c", "exit 0").build());
        await().atMost(Duration.ofSeconds(60)).until(() -> client.status(id).getFinishedAt() > 0);
        ContainerStatus status = client.status(id);
        assertThat(status.getExitCode()).isZero();
        assertThat(status.getImageId()).isEqualTo(ref);
        // containerd's: the image by its tag and the reference by its digest, which the kubelet shows as imageID
        assertThat(status.getImage().getImage()).isEqualTo(name);
        assertThat(status.getImageRef()).isEqualTo(digested);
    }

    @Test
    void archivesDroppedIntoTheImportDirectoryAppearAndRemovedImagesStayRemoved() throws Exception {
        Files.createDirectories(base.resolve("no-archives"));
        Files.copy(TestImages.busyboxArchiveDir().resolve("busybox.tar"), base.resolve("no-archives/busybox.tar"));
        await().atMost(Duration.ofSeconds(30)).until(() -> client.img().imageStatus(ImageStatusRequest.newBuilder()
                .setImage(ImageSpec.newBuilder().setImage("busybox")).build()).hasImage());
        assertThat(status("docker.io/library/busybox:latest").getRepoTagsList()).contains("docker.io/library/busybox:latest");

        client.img().removeImage(io.kube4j.cri.v1.RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage("busybox")).build());
        client.img().removeImage(io.kube4j.cri.v1.RemoveImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage("busybox")).build());
        assertThat(client.img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage("busybox")).build())
                .hasImage()).isFalse();
        assertThat(client.img().listImages(io.kube4j.cri.v1.ListImagesRequest.getDefaultInstance()).getImagesList())
                .noneSatisfy(i -> assertThat(i.getRepoTagsList()).contains("docker.io/library/busybox:latest"));
    }

    /**
     * containerd's PullImage resolves the reference at the registry every time: a stored copy does not answer for a
     * registry that has gone, so imagePullPolicy Always fails offline as upstream's does.
     */
    @Test
    void aPullAsksTheRegistryEvenWhenTheImageIsStored() throws Exception {
        String name;
        try (LocalRegistry gone = LocalRegistry.start()) {
            gone.push(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "kube4j/busybox:again");
            name = gone.host() + "/kube4j/busybox:again";
            pull(name);
        }
        assertThat(status(name).getRepoTagsList()).contains(name);

        assertThatThrownBy(() -> pull(name)).satisfies(e -> {
            assertThat(Status.fromThrowable(e).getCode()).isNotEqualTo(Status.Code.OK);
            assertThat(Status.fromThrowable(e).getDescription()).contains("cannot pull " + name);
        });
        // the stored copy stays for IfNotPresent and Never
        assertThat(status(name).getRepoTagsList()).contains(name);
    }

    @Test
    void aMissingTagIsNotFoundAndAnUnreachableRegistryIsAnError() {
        assertThatThrownBy(() -> pull(registry.host() + "/kube4j/busybox:no-such-tag"))
                .satisfies(e -> {
                    assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.NOT_FOUND);
                    assertThat(Status.fromThrowable(e).getDescription()).contains("no-such-tag");
                });
        assertThatThrownBy(() -> pull("127.0.0.1:1/kube4j/busybox:v1"))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getDescription()).contains("cannot pull"));
        assertThatThrownBy(() -> pull("busybox:bad tag!"))
                .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    }
}
