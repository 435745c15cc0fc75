package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.AuthConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** registries.yaml mirrors for docker.io: pulls go to the mirrors, in order, and never to the internet. */
class RegistryMirrorTest {
    private static final String BUSYBOX = "docker.io/library/busybox:latest";
    private static LocalRegistry mirror;
    private static String digest;
    private static String rewrittenDigest;

    @BeforeAll
    static void start() throws Exception {
        mirror = LocalRegistry.start();
        Path archive = TestImages.busyboxArchiveDir().resolve("busybox.tar");
        digest = mirror.pushWithDigest(archive, "library/busybox:latest");
        rewrittenDigest = mirror.pushWithDigest(archive, "mirrored/busybox:latest");
    }

    @AfterAll
    static void stop() throws Exception {
        if (mirror != null) {
            mirror.close();
        }
    }

    private static String mirrors(String endpoints, String extra) {
        return "mirrors:\n  docker.io:\n    endpoint: [" + endpoints + "]\n" + extra;
    }

    @Test
    void aMirrorThatIsDownFallsBackToTheNextMirrorAndDockerHubIsNeverAsked() throws Exception {
        String down = "127.0.0.1:" + LocalRegistry.freePort();
        try (RecordingProxySelector network = RecordingProxySelector.install();
             PullingRuntime runtime = PullingRuntime.start(mirrors("\"http://" + down + "\", \"http://" + mirror.host() + "\"", ""))) {
            runtime.pull("busybox");

            assertThat(runtime.status(BUSYBOX).getRepoTagsList()).contains(BUSYBOX);
            assertThat(runtime.status(BUSYBOX).getRepoDigestsList()).contains("docker.io/library/busybox@" + digest);
            assertThat(mirror.accessLog()).contains("GET /v2/library/busybox/manifests/latest");
            assertThat(network.hosts()).containsExactly(down, mirror.host());
        }
    }

    @Test
    void whenEveryMirrorFailsDockerHubIsTriedLastAndTheErrorNamesEachEndpoint() throws Exception {
        String down = "127.0.0.1:" + LocalRegistry.freePort();
        try (RecordingProxySelector network = RecordingProxySelector.install();
             PullingRuntime runtime = PullingRuntime.start(mirrors("\"http://" + down + "\"", ""))) {
            Status status = runtime.pullFailure("busybox:latest", AuthConfig.getDefaultInstance());

            assertThat(status.getDescription()).contains("cannot pull " + BUSYBOX)
                    .contains("http://" + down + ": connection refused").contains("https://registry-1.docker.io");
            // registry-1.docker.io went to the recording proxy's dead port, not to the internet
            assertThat(network.hosts()).containsExactly(down, "registry-1.docker.io");
        }
    }

    @Test
    void rewriteRulesChangeTheRepositoryAskedOfTheMirror() throws Exception {
        try (RecordingProxySelector network = RecordingProxySelector.install();
             PullingRuntime runtime = PullingRuntime.start(mirrors("\"" + mirror.host() + "\"",
                     "    rewrite:\n      \"^library/(.*)\": \"mirrored/$1\"\n"))) {
            runtime.pull(BUSYBOX);

            assertThat(mirror.accessLog()).contains("GET /v2/mirrored/busybox/manifests/latest");
            // The image keeps the name it was asked for; the digest is what the mirror served under the rewritten name.
            assertThat(runtime.status(BUSYBOX).getRepoDigestsList()).contains("docker.io/library/busybox@" + rewrittenDigest);
            assertThat(network.hosts()).containsOnly(mirror.host());
        }
    }
}
