package io.kube4j.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Bad flags of the component commands: one line that says what to fix, a non-zero exit, nothing started. */
class ComponentCommandsTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream savedErr;

    @BeforeEach
    void capture() {
        savedErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restore() {
        System.setErr(savedErr);
    }

    private String oneLine() {
        String text = err.toString(StandardCharsets.UTF_8).strip();
        assertThat(text).doesNotContain("\n").doesNotContain("Exception");
        return text;
    }

    @Test
    void apiserverRefusesAPortThatIsNotOne() {
        assertThat(Kube4j.run("apiserver", "--data-dir", dir.toString(), "--port", "99999")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j apiserver: --port 99999 is not a TCP port (1-65535)");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void apiserverAndServerRefuseAServiceCidrTheyCannotAllocateFrom() {
        assertThat(Kube4j.run("apiserver", "--data-dir", dir.toString(), "--service-cidr", "10.0.0.0/8"))
                .isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j apiserver: --service-cidr: the service CIDR 10.0.0.0/8 must have a"
                + " prefix of /12 to /29");
        err.reset();
        assertThat(Kube4j.run("server", "--data-dir", dir.toString(), "--service-cidr", "10.78.0.0")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j server: --service-cidr: the service CIDR 10.78.0.0 is not an IPv4"
                + " CIDR such as 10.43.0.0/16");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void apiserverRefusesAMissingTokenFileBeforeWritingAnything() {
        assertThat(Kube4j.run("apiserver", "--data-dir", dir.toString(), "--port", "6443", "--token-auth-file",
                dir.resolve("nope.csv").toString())).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j apiserver: --token-auth-file " + dir.resolve("nope.csv")
                + " does not exist");
        assertThat(dir.resolve("store")).doesNotExist();
        assertThat(dir.resolve("tls")).doesNotExist();
    }

    @Test
    void tokenCreateNeedsAKubeconfigAndAValidTtl() {
        assertThat(Kube4j.run("token", "create")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j token create: needs --data-dir DIR or --kubeconfig FILE (an admin "
                + "kubeconfig)");
    }

    @Test
    void tokenTtlsAndJoinTokens() {
        assertThat(TokenCommand.parseTtl("24h")).isEqualTo(java.time.Duration.ofHours(24));
        assertThat(TokenCommand.parseTtl("30m")).isEqualTo(java.time.Duration.ofMinutes(30));
        assertThat(TokenCommand.parseTtl("7d")).isEqualTo(java.time.Duration.ofDays(7));
        assertThat(TokenCommand.parseTtl("0")).isEqualTo(java.time.Duration.ZERO);
        for (String bad : new String[] {"", "h", "-1h", "12", "1w", "abc"}) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> TokenCommand.parseTtl(bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--ttl");
        }
        String ca = java.util.Base64.getEncoder().encodeToString("PEM".getBytes(StandardCharsets.UTF_8));
        // sha256("PEM")
        assertThat(TokenCommand.joinToken(ca, "abcdef.0123456789abcdef")).isEqualTo(
                "K10" + sha256("PEM") + "::abcdef.0123456789abcdef");
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void serverNeedsADataDirectory() {
        assertThat(Kube4j.run("server", "--disable-agent")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j server: needs --data-dir DIR (where the server keeps its state)");
    }

    @Test
    void schedulerNamesTheBadFieldOfItsConfiguration() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("kubeconfig"), """
                apiVersion: v1
                kind: Config
                clusters: [{name: c, cluster: {server: "http://127.0.0.1:1"}}]
                users: [{name: u, user: {}}]
                contexts: [{name: x, context: {cluster: c, user: u}}]
                current-context: x
                """);
        Path config = Files.writeString(dir.resolve("sched.yaml"), """
                apiVersion: kubescheduler.config.k8s.io/v1
                kind: KubeSchedulerConfiguration
                profiles:
                - schedulerName: default-scheduler
                  plugins:
                    score:
                      enabled: [{name: NoSuchPlugin}]
                """);
        assertThat(Kube4j.run("scheduler", "--kubeconfig", kubeconfig.toString(), "--config", config.toString()))
                .isEqualTo(1);
        assertThat(oneLine()).startsWith("kube4j scheduler: ").contains("NoSuchPlugin");
    }

    @Test
    void missingKubeconfigIsOneLine() {
        assertThat(Kube4j.run("controller-manager", "--kubeconfig", dir.resolve("nope").toString())).isEqualTo(1);
        assertThat(oneLine()).contains("does not exist: pass --kubeconfig FILE");
    }

    @Test
    void controllerManagerNamesABadAutoscalerFlagBeforeStarting() throws Exception {
        Path kubeconfig = Files.writeString(dir.resolve("cm.kubeconfig"), "apiVersion: v1\nkind: Config\n");
        assertThat(Kube4j.run("controller-manager", "--kubeconfig", kubeconfig.toString(),
                "--horizontal-pod-autoscaler-sync-period", "soon")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j controller-manager: --horizontal-pod-autoscaler-sync-period soon "
                + "is not a duration of at least 1s, such as 15s or 1m");
        err.reset();
        assertThat(Kube4j.run("controller-manager", "--kubeconfig", kubeconfig.toString(),
                "--horizontal-pod-autoscaler-tolerance", "1.5")).isEqualTo(1);
        assertThat(oneLine()).contains("--horizontal-pod-autoscaler-tolerance must be at least 0 and below 1");
        err.reset();
        assertThat(Kube4j.run("controller-manager", "--kubeconfig", kubeconfig.toString(),
                "--resource-quota-sync-period", "0s")).isEqualTo(1);
        assertThat(oneLine()).isEqualTo("kube4j controller-manager: --resource-quota-sync-period 0s "
                + "is not a duration of at least 1s, such as 15s or 1m");
    }

    @Test
    void controllerManagerTakesTheQuotaResyncPeriod() {
        ControllerManagerCommand defaults = new ControllerManagerCommand();
        new picocli.CommandLine(defaults).parseArgs("--kubeconfig", "unused");
        assertThat(defaults.options().resourceQuotaSyncPeriod()).isEqualTo(java.time.Duration.ofMinutes(5));
        ControllerManagerCommand given = new ControllerManagerCommand();
        new picocli.CommandLine(given).parseArgs("--kubeconfig", "unused", "--resource-quota-sync-period", "1m30s");
        assertThat(given.options().resourceQuotaSyncPeriod()).isEqualTo(java.time.Duration.ofSeconds(90));
    }

    @Test
    void serverRefusesABadEvictionThresholdBeforeStarting() {
        assertThat(Kube4j.run("server", "--data-dir", dir.toString(), "--eviction-hard", "memory.available<lots"))
                .isEqualTo(1);
        assertThat(oneLine()).startsWith("kube4j server: --eviction-hard memory.available<lots: ");
        assertThat(dir.resolve("store")).doesNotExist();
    }

    @Test
    void imagesImportPutsAnOciArchiveWhereTheRuntimeScansAndRefusesOthers() throws Exception {
        Path oci = dir.resolve("oci");
        Files.createDirectories(oci.resolve("blobs"));
        Files.writeString(oci.resolve("index.json"), "{\"schemaVersion\":2,\"manifests\":[]}");
        Files.writeString(oci.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Path archive = dir.resolve("app.tar");
        Process tar = new ProcessBuilder("tar", "-cf", archive.toString(), "-C", oci.toString(), "index.json",
                "oci-layout", "blobs").start();
        assertThat(tar.waitFor()).isZero();
        Path data = dir.resolve("data");
        assertThat(Kube4j.run("images", "import", archive.toString(), "--data-dir", data.toString())).isZero();
        assertThat(data.resolve("images/app.tar")).hasSameBinaryContentAs(archive);

        Path notOci = dir.resolve("plain.tar");
        Process plain = new ProcessBuilder("tar", "-cf", notOci.toString(), "-C", oci.toString(), "oci-layout").start();
        assertThat(plain.waitFor()).isZero();
        err.reset();
        assertThat(Kube4j.run("images", "import", notOci.toString(), "--data-dir", data.toString())).isEqualTo(1);
        assertThat(oneLine()).startsWith("kube4j images import: " + notOci + " is not an OCI image archive");
        assertThat(data.resolve("images/plain.tar")).doesNotExist();
    }
}
