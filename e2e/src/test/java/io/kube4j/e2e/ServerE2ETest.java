package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** kube4j server as a user meets it: start, kubectl against it, kill -9, start again, nothing lost. */
class ServerE2ETest {
    @TempDir
    Path tmp;

    @Test
    void kubectlWorksAndDataSurvivesKillDashNine() {
        try (Kube4jServer server = new Kube4jServer(tmp.resolve("data")).start()) {
            Kubectl kubectl = server.kubectl(tmp.resolve("kubectl-cache"));

            String version = kubectl.run("version", "-o", "json").assertOk().stdout();
            assertThat(version).contains("\"gitVersion\": \"v1.32");

            assertThat(kubectl.run("get", "namespaces", "-o", "name").assertOk().stdout())
                    .contains("namespace/default", "namespace/kube-system");

            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: survivor}
                    data: {answer: "42"}
                    """, "create", "-f", "-").assertOk();

            server.kill();
            server.start();

            assertThat(kubectl.run("get", "configmap", "survivor", "-o", "jsonpath={.data.answer}").assertOk().stdout())
                    .isEqualTo("42");
        }
    }
}
