package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.AuthConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registry serving HTTPS with a certificate from a test CA, behind {@code auth: htpasswd}: the CA
 * comes from registries.yaml's {@code tls.ca_file}, the basic-auth credentials from its {@code auth}.
 */
class RegistryTlsBasicAuthTest {
    private static final String USER = "basic-user";
    private static final String PASSWORD = "basic-Pa55word";
    private static Path dir;
    private static TestCertificates.Pair ca;
    private static LocalRegistry registry;
    private static String digest;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kube4j-tls-basic");
        Path htpasswd = Htpasswd.write(dir.resolve("htpasswd"), USER, PASSWORD);
        Assumptions.assumeTrue(htpasswd != null, "perl crypt() cannot make bcrypt hashes here, and no htpasswd is installed");
        ca = TestCertificates.ca(dir, "registry-ca");
        TestCertificates.Pair server = TestCertificates.server(dir, "registry", ca);
        registry = LocalRegistry.start(server, "auth:\n  htpasswd:\n    realm: kube4j-test\n    path: " + htpasswd + "\n",
                USER + ":" + PASSWORD);
        digest = registry.pushWithDigest(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "private/busybox:v2");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    private static String image() {
        return registry.host() + "/private/busybox:v2";
    }

    private static String config(String tls, String auth) {
        return "configs:\n  \"" + registry.host() + "\":\n" + tls + auth;
    }

    private static String caFile() {
        return "    tls:\n      ca_file: " + ca.cert() + "\n";
    }

    private static String auth(String password) {
        return "    auth:\n      username: " + USER + "\n      password: " + password + "\n";
    }

    @Test
    void pullsOverHttpsWithTheConfiguredCaAndBasicAuth() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(config(caFile(), auth(PASSWORD)))) {
            String ref = runtime.pull(image());

            assertThat(runtime.status(image()).getId()).isEqualTo(ref);
            assertThat(runtime.status(image()).getRepoDigestsList()).contains(registry.host() + "/private/busybox@" + digest);
        }
    }

    @Test
    void withoutTheCaTheCertificateIsRejectedAndTheErrorSaysWhatToConfigure() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(config("", auth(PASSWORD)))) {
            Status status = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());

            assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(status.getDescription()).contains("https://" + registry.host() + ": TLS handshake failed")
                    .contains("configs.\"" + registry.host() + "\".tls.ca_file")
                    // a TLS server is not retried over plain HTTP, whose "HTTP 400" would only confuse
                    .doesNotContain("http://" + registry.host());
            assertThat(runtime.has(image())).isFalse();
        }
    }

    @Test
    void insecureSkipVerifyAcceptsTheCertificateWithoutTheCa() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(config("    tls:\n      insecure_skip_verify: true\n", auth(PASSWORD)))) {
            runtime.pull(image());
            assertThat(runtime.status(image()).getRepoDigestsList()).contains(registry.host() + "/private/busybox@" + digest);
        }
    }

    @Test
    void missingOrWrongBasicCredentialsAreUnauthenticated() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start(config(caFile(), ""))) {
            Status none = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());
            assertThat(none.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(none.getDescription()).contains("requires a user name and password")
                    .contains("configs.\"" + registry.host() + "\".auth");

            Status wrong = runtime.pullFailure(image(), AuthConfig.newBuilder().setUsername(USER).setPassword("nope").build());
            assertThat(wrong.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
            assertThat(wrong.getDescription()).contains("denied user \"" + USER + "\"").contains("HTTP 401")
                    .doesNotContain("http://" + registry.host());
            assertThat(runtime.has(image())).isFalse();

            runtime.pull(image(), AuthConfig.newBuilder().setUsername(USER).setPassword(PASSWORD).build());
            assertThat(runtime.has(image())).isTrue();
        }
    }

    /** distribution 2.8 serves htpasswd over plain HTTP too (without even a warning); so may a registry on loopback. */
    @Test
    void basicAuthAlsoWorksAgainstAPlainHttpRegistry() throws Exception {
        Path htpasswd = dir.resolve("htpasswd");
        try (LocalRegistry plain = LocalRegistry.start(null, "auth:\n  htpasswd:\n    realm: kube4j-test\n    path: " + htpasswd + "\n",
                USER + ":" + PASSWORD);
             PullingRuntime runtime = PullingRuntime.start("configs:\n  \"" + plain.host() + "\":\n" + auth(PASSWORD))) {
            String pushed = plain.pushWithDigest(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "plain/busybox:v1");

            Status denied = runtime.pullFailure(plain.host() + "/plain/busybox:v1", AuthConfig.newBuilder().setUsername(USER)
                    .setPassword("nope").build());
            assertThat(denied.getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);

            runtime.pull(plain.host() + "/plain/busybox:v1");
            assertThat(runtime.status(plain.host() + "/plain/busybox:v1").getRepoDigestsList())
                    .contains(plain.host() + "/plain/busybox@" + pushed);
        }
    }
}
