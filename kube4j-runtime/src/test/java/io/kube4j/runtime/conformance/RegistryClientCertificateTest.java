package io.kube4j.runtime.conformance;

import io.grpc.Status;
import io.kube4j.cri.v1.AuthConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A registry that requires a TLS client certificate: registries.yaml's tls.cert_file and tls.key_file. */
class RegistryClientCertificateTest {
    private static Path dir;
    private static TestCertificates.Pair ca;
    private static TestCertificates.Pair client;
    private static LocalRegistry registry;
    private static String digest;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("kube4j-mtls");
        ca = TestCertificates.ca(dir, "mtls-ca");
        client = TestCertificates.client(dir, "node-1", ca);
        registry = LocalRegistry.start(TestCertificates.server(dir, "mtls-registry", ca), ca.cert(), client, "", null);
        digest = registry.pushWithDigest(TestImages.busyboxArchiveDir().resolve("busybox.tar"), "mtls/busybox:v1");
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        new ProcessBuilder("rm", "-rf", dir.toString()).start().waitFor();
    }

    private static String image() {
        return registry.host() + "/mtls/busybox:v1";
    }

    @Test
    void pullsWithTheClientCertificateFromRegistriesYaml() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start("configs:\n  \"" + registry.host() + "\":\n    tls:\n      ca_file: "
                + ca.cert() + "\n      cert_file: " + client.cert() + "\n      key_file: " + client.key() + "\n")) {
            runtime.pull(image());
            assertThat(runtime.status(image()).getRepoDigestsList()).contains(registry.host() + "/mtls/busybox@" + digest);
        }
    }

    @Test
    void withoutAClientCertificateThePullFails() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start("configs:\n  \"" + registry.host() + "\":\n    tls:\n      ca_file: "
                + ca.cert() + "\n")) {
            Status status = runtime.pullFailure(image(), AuthConfig.getDefaultInstance());
            assertThat(status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(status.getDescription()).contains("cannot pull " + image()).contains("https://" + registry.host())
                    .contains("configs.\"" + registry.host() + "\".tls.cert_file and key_file");
            assertThat(runtime.has(image())).isFalse();
        }
    }

    /** Every refusal is reported, none waits out a timeout: JDK 17's HTTP/2 client missed about one in 300. */
    @Test
    void everyRefusalIsReportedAtOnce() throws Exception {
        try (PullingRuntime runtime = PullingRuntime.start("configs:\n  \"" + registry.host() + "\":\n    tls:\n      ca_file: "
                + ca.cert() + "\n")) {
            for (int i = 0; i < 150; i++) {
                Status status = runtime.pullFailure(image(), AuthConfig.getDefaultInstance(), 20);
                assertThat(status.getCode()).as("pull %d", i).isEqualTo(Status.Code.FAILED_PRECONDITION);
            }
        }
    }
}
