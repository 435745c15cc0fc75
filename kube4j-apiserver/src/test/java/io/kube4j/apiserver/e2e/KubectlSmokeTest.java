package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class KubectlSmokeTest {

    @TempDir
    static Path dir;
    static TestServer server;
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        kubectl = new Kubectl(server.kubeconfig(), dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void versionAndResources() {
        Kubectl.Result version = kubectl.run("version");
        assertThat(version.all()).contains("Server Version: v1.32.0-kube4j");
        Kubectl.Result resources = kubectl.run("api-resources");
        assertThat(resources.exit()).as(resources.all()).isZero();
        assertThat(resources.out()).contains("deployments", "deploy", "apps/v1");
    }
}
