package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A quota against a secure API server (admission on) and the resourcequota controller on its service account, as
 * `kube4j server` runs them: the API server enforces the limits the controller has counted.
 */
class ResourceQuotaEnforcementTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> started = new ArrayList<>();
    private KubernetesClient admin;

    @BeforeEach
    void start() throws Exception {
        started.add(TestServer.at(dir).withConfig(ServiceAccountCredentialsTest::secure).start());
        admin = ServiceAccountCredentialsTest.client(dir.resolve("admin.kubeconfig"));
        started.add(admin);
        KubernetesClient managerClient = ServiceAccountCredentialsTest.client(
                dir.resolve("kube-controller-manager.kubeconfig"));
        started.add(managerClient);
        ControllerManager manager = ControllerManager.start(managerClient, new ControllerManagerOptions()
                .leaderElect(false).controllers(Set.of("resourcequota")));
        started.add(manager);
        assertThat(manager.awaitRunning(Duration.ofSeconds(60))).as("controllers started").isTrue();
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("q").endMetadata().build())
                .create();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = started.size() - 1; i >= 0; i--) {
            started.get(i).close();
        }
    }

    @Test
    void aQuotaLimitsOnceItsControllerHasCountedIt() throws Exception {
        admin.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("cms").endMetadata().withNewSpec().withHard(Map.of("count/configmaps", new Quantity("1")))
                .endSpec().build()).create();
        // the API server enforces the limits the controller copies into status (refusing, "status unknown",
        // while one is not counted): a client waits for the status, as upstream's e2e waits "for resource quota
        // status to be calculated"; the controller counts a new quota at once. Admission reads quotas from the
        // watch cache (upstream: its informer), so the wait reads there (resourceVersion=0)
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(cachedUsed())
                .containsKey("count/configmaps"));
        admin.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName("first")
                .endMetadata().build()).create();
        assertThatThrownBy(() -> admin.configMaps().inNamespace("q").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("second").endMetadata().build()).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
                .hasMessageContaining("exceeded quota: cms, requested: count/configmaps=1, "
                        + "used: count/configmaps=1, limited: count/configmaps=1");
    }

    @Test
    void aCountOfAKindWithoutInformerKeepsLimitingAfterARecount() throws Exception {
        admin.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata()
                .withName("ing").endMetadata().withNewSpec().withHard(Map.of("count/ingresses.networking.k8s.io",
                        new Quantity("1"), "count/configmaps", new Quantity("5"))).endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(cachedUsed())
                .containsEntry("count/ingresses.networking.k8s.io", "0").containsEntry("count/configmaps", "0"));
        admin.resource(ingress("first")).create();
        admin.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName("cm")
                .endMetadata().build()).create();
        // the deletion makes the controller count the quota again: the ingress admission charged must stay
        admin.configMaps().inNamespace("q").withName("cm").delete();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(cachedUsed())
                .containsEntry("count/configmaps", "0"));
        assertThat(cachedUsed()).containsEntry("count/ingresses.networking.k8s.io", "1");
        assertThatThrownBy(() -> admin.resource(ingress("second")).create())
                .isInstanceOf(KubernetesClientException.class)
                .satisfies(e -> assertThat(((KubernetesClientException) e).getCode()).isEqualTo(403))
                .hasMessageContaining("exceeded quota: ing, requested: count/ingresses.networking.k8s.io=1, "
                        + "used: count/ingresses.networking.k8s.io=1, limited: count/ingresses.networking.k8s.io=1");
    }

    private static Ingress ingress(String name) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace("q").endMetadata().withNewSpec()
                .withNewDefaultBackend().withNewService().withName("web").withNewPort().withNumber(80).endPort()
                .endService().endDefaultBackend().endSpec().build();
    }

    /** status.used as admission reads it (the watch cache, resourceVersion=0). */
    private Map<String, String> cachedUsed() {
        Map<String, String> used = new java.util.TreeMap<>();
        admin.resourceQuotas().inNamespace("q").list(new ListOptionsBuilder().withResourceVersion("0").build())
                .getItems().get(0).getStatus().getUsed().forEach((name, q) -> used.put(name, q.toString()));
        return used;
    }
}
