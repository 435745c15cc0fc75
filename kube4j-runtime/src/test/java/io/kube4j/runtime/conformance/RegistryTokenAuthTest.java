package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.AuthConfig;
import io.kube4j.cri.v1.ContainerStatus;
import io.kube4j.cri.v1.Image;
import io.kube4j.cri.v1.PodSandboxConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The registry v2 Bearer flow against a real distribution registry with {@code auth: token}: the
 * test's token server checks the user name and password kube4j sends and signs the JWT.
 */
class RegistryTokenAuthTest {
    private static final String USER = "puller";
    private static final String PASSWORD = "s3cret-Pa55";
    private static Path dir;
    private static TokenServer tokens;
    private static LocalRegistry registry;
    private static String digest;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kube4j-token-auth");
        tokens = TokenServer.start(TestCertificates.ca(dir, "token-signer"), USER, PASSWORD);
        registry = LocalRegistry.start(null, tokens.registryAuthYaml(), USER + ":" + PASSWORD);
        digest = registry.pushWithDigest(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "kube4j/busybox:v1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (tokens != null) {
            tokens.close();
        }
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    private static String image() {
        return registry.host() + "/kube4j/busybox:v1";
    }

    private static String credentials(String user, String password) {
        return "configs:\n  \"" + registry.host() + "\":\n    auth:\n      username: " + user + "\n      password: " + password + "\n";
    }

    @Test
    void pullsWithTheCredentialsFromRegistriesYamlAndRunsTheImage() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(credentials(USER, PASSWORD))) {
            String ref = runtime.pull(image());

            Image image = runtime.status(image());
            assertThat(image.getId()).isEqualTo(ref);
            assertThat(image.getRepoTagsList()).contains(image());
            assertThat(image.getRepoDigestsList()).contains(registry.host() + "/kube4j/busybox@" + digest);
            assertThat(runtime.list()).anySatisfy(i -> assertThat(i.getRepoDigestsList()).contains(registry.host() + "/kube4j/busybox@" + digest));
            assertThat(tokens.requests()).anyMatch(r -> r.startsWith(USER + " [repository:kube4j/busybox:pull] -> 200"));

            CriClient client = runtime.client();
            PodSandboxConfig config = CriClient.sandboxConfig("token-pulled", dir.resolve("logs"));
            String sandbox = client.runSandbox(config);
            try {
                String id = client.startNew(sandbox, config, CriClient.containerConfig("token-pulled", image(), "sh", "-c", "exit 3").build());
                await().atMost(Duration.ofSeconds(60)).until(() -> client.status(id).getFinishedAt() > 0);
                ContainerStatus status = client.status(id);
                assertThat(status.getExitCode()).isEqualTo(3);
                assertThat(status.getImageRef()).endsWith("@" + digest);
            } finally {
                client.removeAllSandboxes();
            }
        }
    }

    @Test
    void credentialsInThePullRequestWinOverRegistriesYaml() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(credentials(USER, "wrong"))) {
            runtime.pull(image(), AuthConfig.newBuilder().setUsername(USER).setPassword(PASSWORD).build());
            assertThat(runtime.status(image()).getRepoDigestsList()).contains(registry.host() + "/kube4j/busybox@" + digest);
        }
    }

    @Test
    void aLocalCopyDoesNotStandInForAPullTheRegistryRefuses() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start("")) {
            runtime.pull(image(), AuthConfig.newBuilder().setUsername(USER).setPassword(PASSWORD).build());
            assertThat(runtime.has(image())).isTrue();

            // imagePullPolicy Always re-pulls to check the credentials: a pod without them must not get the image.
            Status status = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());
            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(runtime.has(image())).isTrue();
        }
    }

    @Test
    void aPullWithoutCredentialsIsUnauthenticatedAndStoresNothing() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start("")) {
            Status status = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());

            assertThat(status.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(status.getDescription()).contains("cannot pull " + image())
                    .contains("refused anonymous access").contains(tokens.realm());
            assertThat(runtime.has(image())).isFalse();
            assertThat(runtime.list()).isEmpty();
        }
    }

    @Test
    void wrongCredentialsAreUnauthenticatedWhetherFromRegistriesYamlOrFromThePullRequest() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(credentials(USER, "wrong-password"))) {
            Status fromConfig = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());
            assertThat(fromConfig.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(fromConfig.getDescription()).contains("refused the credentials of user \"" + USER + "\"");

            Status fromRequest = runtime.pullFailure(image(), AuthConfig.newBuilder().setUsername("intruder").setPassword(PASSWORD).build());
            assertThat(fromRequest.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(fromRequest.getDescription()).contains("user \"intruder\"");
            assertThat(runtime.has(image())).isFalse();
        }
    }
}
