package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

class KubectlSmokeTest {

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @Test
    void versionAndResources() {
        Kubectl.Result version = cluster.kubectl().run("version");
        assertThat(version.all()).contains("Server Version: v1.32.0-kube4j");
        assertThat(cluster.kubectl().run("api-resources").ok().out()).contains("deployments", "deploy", "apps/v1");
    }
}
