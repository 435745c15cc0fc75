package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.kube4j.cri.v1.AuthConfig;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.ImageSpec;
import io.kube4j.cri.v1.ImageStatusRequest;
import io.kube4j.cri.v1.ListImagesRequest;
import io.kube4j.cri.v1.PullImageRequest;
import io.kube4j.runtime.RuntimeOptions;
import io.kube4j.runtime.RuntimeServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** A kube4j runtime with its own empty image store and the given registries.yaml, driven over CRI. */
final class PullingRuntime implements AutoCloseable {
    private final Path base;
    private final String bridge;
    private final RuntimeServer server;
    private final CriClient client;

    private PullingRuntime(Path base, String bridge, RuntimeServer server) {
        this.base = base;
        this.bridge = bridge;
        this.server = server;
        this.client = new CriClient(server.socket());
    }

    static PullingRuntime start(String registriesYaml) throws IOException {
        Path base = Files.createTempDirectory("kube4j-pull");
        Path config = base.resolve("registries.yaml");
        Files.writeString(config, registriesYaml);
        String bridge = "k4jr" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x100000, 0xffffff));
        try {
            RuntimeServer server = RuntimeServer.start(RuntimeOptions.defaults(base.resolve("root"), base.resolve("cri.sock"))
                    .withImportDir(base.resolve("no-archives"))
                    .withNetwork("10.204." + ThreadLocalRandom.current().nextInt(1, 250) + ".0/24", bridge, false)
                    .withRegistriesConfig(config));
            return new PullingRuntime(base, bridge, server);
        } catch (RuntimeException | Error e) {
            try {
                new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            throw e;
        }
    }

    CriClient client() {
        return client;
    }

    String pull(String image) {
        return pull(image, AuthConfig.getDefaultInstance());
    }

    String pull(String image, AuthConfig auth) {
        return client.img().pullImage(PullImageRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image))
                .setAuth(auth).build()).getImageRef();
    }

    /** The status of a failed pull; fails the test when the pull succeeds. */
    Status pullFailure(String image, AuthConfig auth) {
        try {
            pull(image, auth);
        } catch (StatusRuntimeException e) {
            System.out.println("pull of " + image + " failed as expected: " + e.getStatus());
            return e.getStatus();
        }
        throw new AssertionError("pull of " + image + " succeeded");
    }

    /** The status of a failed pull that must end within {@code seconds}; fails the test when the pull succeeds. */
    Status pullFailure(String image, AuthConfig auth, int seconds) {
        try {
            client.img().withDeadlineAfter(seconds, java.util.concurrent.TimeUnit.SECONDS).pullImage(PullImageRequest.newBuilder()
                    .setImage(ImageSpec.newBuilder().setImage(image)).setAuth(auth).build());
        } catch (StatusRuntimeException e) {
            return e.getStatus();
        }
        throw new AssertionError("pull of " + image + " succeeded");
    }

    Image status(String image) {
        return client.img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
                .getImage();
    }

    boolean has(String image) {
        return client.img().imageStatus(ImageStatusRequest.newBuilder().setImage(ImageSpec.newBuilder().setImage(image)).build())
                .hasImage();
    }

    List<Image> list() {
        return client.img().listImages(ListImagesRequest.getDefaultInstance()).getImagesList();
    }

    @Override
    public void close() throws Exception {
        try {
            client.close();
        } finally {
            server.close();
            // the bridge exists only if a sandbox ran; deleting a missing one fails harmlessly
            new ProcessBuilder("ip", "link", "del", bridge).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
            new ProcessBuilder("rm", "-rf", base.toString()).start().waitFor();
        }
    }
}
