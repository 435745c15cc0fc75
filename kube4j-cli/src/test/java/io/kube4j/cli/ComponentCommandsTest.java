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
}
