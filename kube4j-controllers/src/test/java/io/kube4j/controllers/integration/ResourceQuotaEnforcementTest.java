package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quota against a secure API server (admission on) and the resourcequota controller on its service account, as
 * `kube4j server` runs them: the API server enforces the limits the controller has counted.
 */
class ResourceQuotaEnforcementTest {
    @TempDir
    Path dir;

    @Test
    void aQuotaLimitsOnceItsControllerHasCountedIt() throws Exception {
        try (TestServer server = TestServer.at(dir).withConfig(ServiceAccountCredentialsTest::secure).start();
             KubernetesClient admin = ServiceAccountCredentialsTest.client(dir.resolve("admin.kubeconfig"));
             KubernetesClient managerClient = ServiceAccountCredentialsTest.client(
                     dir.resolve("kube-controller-manager.kubeconfig"));
             ControllerManager manager = ControllerManager.start(managerClient, new ControllerManagerOptions()
                     .leaderElect(false).controllers(Set.of("resourcequota")))) {
            assertThat(manager.awaitRunning(Duration.ofSeconds(60))).as("controllers started").isTrue();
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("q").endMetadata().build())
                    .create();
            admin.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata()
                    .withName("cms").endMetadata().withNewSpec().withHard(Map.of("count/configmaps", new Quantity("1")))
                    .endSpec().build()).create();
            // the API server enforces the limits the controller copies into status (refusing, "status unknown",
            // while one is not counted): a client waits for the status, as upstream's e2e waits "for resource quota
            // status to be calculated"; the controller counts a new quota at once. Admission reads quotas from the
            // watch cache (upstream: its informer), so the wait reads there (resourceVersion=0)
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(admin
                    .resourceQuotas().inNamespace("q").list(new ListOptionsBuilder().withResourceVersion("0").build())
                    .getItems().get(0).getStatus().getUsed()).containsKey("count/configmaps"));
            admin.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                    .endMetadata().build()).create();
            assertThatThrownBy(() -> admin.configMaps().inNamespace("q").resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("second").endMetadata().build()).create())
                    .isInstanceOf(KubernetesClientException.class)
                    .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
                    .hasMessageContaining("exceeded quota: cms, requested: count/configmaps=1, "
                            + "used: count/configmaps=1, limited: count/configmaps=1");
        }
    }
}
