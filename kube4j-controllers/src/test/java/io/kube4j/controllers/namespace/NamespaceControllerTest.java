package io.kube4j.controllers.namespace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import java.util.concurrent.atomic.AtomicReference;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.TestManagers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class NamespaceControllerTest {
    static KubernetesClient client;
    static KubernetesMockServer server;
    ControllerManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    private NamespaceCondition condition(Namespace ns, String type) {
        return ns.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
    }

    @Test
    void deletingANamespaceEmptiesItAndReportsConditions() throws Exception {
        // The extra metadata finalizer keeps the mock server from removing the namespace at once,
        // as a real API server keeps it while spec.finalizers is not empty.
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("doomed")
                .withFinalizers("test.kube4j.io/hold").endMetadata()
                .withNewSpec().withFinalizers(NamespaceController.FINALIZER).endSpec().build()).create();
        for (int i = 0; i < 5; i++) {
            client.configMaps().inNamespace("doomed").resource(new ConfigMapBuilder().withNewMetadata()
                    .withName("cm" + i).endMetadata().build()).create();
            client.secrets().inNamespace("doomed").resource(new SecretBuilder().withNewMetadata()
                    .withName("s" + i).endMetadata().build()).create();
            client.pods().inNamespace("doomed").resource(new PodBuilder().withNewMetadata()
                    .withName("p" + i).endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x")
                    .endContainer().endSpec().build()).create();
        }
        client.configMaps().inNamespace("kept").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("other").endMetadata().build()).create();
        // The mock serves neither namespaces/{name}/status nor /finalize: capture what is sent there.
        AtomicReference<String> statusBody = new AtomicReference<>();
        AtomicReference<String> finalizeBody = new AtomicReference<>();
        server.expect().put().withPath("/api/v1/namespaces/doomed/status").andReply(200, req -> {
            statusBody.set(req.getBody().readUtf8());
            return statusBody.get();
        }).always();
        server.expect().put().withPath("/api/v1/namespaces/doomed/finalize").andReply(200, req -> {
            finalizeBody.set(req.getBody().readUtf8());
            return finalizeBody.get();
        }).always();
        manager = TestManagers.start(client, "namespace");
        client.namespaces().withName("doomed").delete();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(client.configMaps().inNamespace("doomed").list().getItems()).isEmpty();
            assertThat(client.secrets().inNamespace("doomed").list().getItems()).isEmpty();
            assertThat(client.pods().inNamespace("doomed").list().getItems()).isEmpty();
            assertThat(finalizeBody.get()).isNotNull();
        });
        Namespace status = client.getKubernetesSerialization().unmarshal(statusBody.get(), Namespace.class);
        assertThat(condition(status, "NamespaceContentRemaining").getReason()).isEqualTo("ContentRemoved");
        assertThat(condition(status, "NamespaceDeletionContentFailure").getStatus()).isEqualTo("False");
        assertThat(condition(status, "NamespaceDeletionDiscoveryFailure")).isNotNull();
        Namespace finalized = client.getKubernetesSerialization().unmarshal(finalizeBody.get(), Namespace.class);
        assertThat(finalized.getSpec().getFinalizers()).doesNotContain(NamespaceController.FINALIZER);
        assertThat(client.configMaps().inNamespace("kept").withName("other").get()).isNotNull();
    }

    @Test
    void remainingContentIsReportedAsUpstreamDoes() {
        NamespaceController c = new NamespaceController(TestContexts.context(client));
        List<NamespaceCondition> conditions = c.conditions(null, List.of(),
                new java.util.TreeMap<>(java.util.Map.of("pods.", 3, "deployments.apps", 1)),
                java.util.Map.of("example.com/hold", 2));
        NamespaceCondition remaining = conditions.stream().filter(x -> x.getType().equals("NamespaceContentRemaining"))
                .findFirst().orElseThrow();
        assertThat(remaining.getStatus()).isEqualTo("True");
        assertThat(remaining.getReason()).isEqualTo("SomeResourcesRemain");
        assertThat(remaining.getMessage()).isEqualTo(
                "Some resources are remaining: deployments.apps has 1 resource instances, pods. has 3 resource instances");
        NamespaceCondition finalizers = conditions.stream().filter(x -> x.getType().equals("NamespaceFinalizersRemaining"))
                .findFirst().orElseThrow();
        assertThat(finalizers.getMessage()).isEqualTo(
                "Some content in the namespace has finalizers remaining: example.com/hold in 2 resource instances");
    }
}
