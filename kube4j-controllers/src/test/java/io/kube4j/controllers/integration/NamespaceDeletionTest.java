package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceCondition;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.Handlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Deleting a namespace with 100 objects of 10 kinds, done by the namespace controller alone: the API server
 * only marks it Terminating (nothing happens to it until the controller runs), and a second namespace whose
 * content holds a finalizer stays Terminating until that finalizer is released.
 */
class NamespaceDeletionTest {
    static final String NS = "doomed";
    static final String HOLD = "test.kube4j.io/hold";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.startKubelet("node-1");
    }

    private List<Supplier<HasMetadata>> tenKinds(int i) {
        String n = "o" + i;
        Map<String, String> labels = Map.of("app", n);
        return List.of(
                () -> client.configMaps().inNamespace(NS).resource(new ConfigMapBuilder().withNewMetadata().withName(n)
                        .endMetadata().addToData("k", "v").build()).create(),
                () -> client.secrets().inNamespace(NS).resource(new SecretBuilder().withNewMetadata().withName(n)
                        .endMetadata().addToStringData("k", "v").build()).create(),
                () -> client.services().inNamespace(NS).resource(new ServiceBuilder().withNewMetadata().withName(n)
                        .endMetadata().withNewSpec().withSelector(labels).addNewPort().withPort(80).endPort().endSpec()
                        .build()).create(),
                () -> client.serviceAccounts().inNamespace(NS).resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName(n).endMetadata().build()).create(),
                () -> client.leases().inNamespace(NS).resource(new LeaseBuilder().withNewMetadata().withName(n)
                        .endMetadata().withNewSpec().withHolderIdentity(n).endSpec().build()).create(),
                () -> client.rbac().roles().inNamespace(NS).resource(new RoleBuilder().withNewMetadata().withName(n)
                        .endMetadata().addNewRule().withApiGroups("").withResources("pods").withVerbs("get").endRule()
                        .build()).create(),
                () -> client.rbac().roleBindings().inNamespace(NS).resource(new RoleBindingBuilder().withNewMetadata()
                        .withName(n).endMetadata().withNewRoleRef().withApiGroup("rbac.authorization.k8s.io")
                        .withKind("Role").withName(n).endRoleRef().addNewSubject().withKind("ServiceAccount")
                        .withName(n).withNamespace(NS).endSubject().build()).create(),
                () -> client.batch().v1().cronjobs().inNamespace(NS).resource(new CronJobBuilder().withNewMetadata()
                        .withName(n).endMetadata().withNewSpec().withSchedule("0 0 1 1 *").withSuspend(true)
                        .withNewJobTemplate().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                        .addNewContainer().withName("c").withImage("img").endContainer().endSpec().endTemplate()
                        .endSpec().endJobTemplate().endSpec().build()).create(),
                () -> client.policy().v1().podDisruptionBudget().inNamespace(NS).resource(new PodDisruptionBudgetBuilder()
                        .withNewMetadata().withName(n).endMetadata().withNewSpec().withNewSelector()
                        .withMatchLabels(labels).endSelector().withMaxUnavailable(new IntOrString(1))
                        .endSpec().build()).create(),
                () -> client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName(n)
                        .withLabels(labels).endMetadata().withNewSpec().addNewContainer().withName("c").withImage("img")
                        .endContainer().endSpec().build()).create());
    }

    private int countContent() {
        return client.configMaps().inNamespace(NS).list().getItems().size()
                + client.secrets().inNamespace(NS).list().getItems().size()
                + client.services().inNamespace(NS).list().getItems().size()
                + client.serviceAccounts().inNamespace(NS).list().getItems().size()
                + client.leases().inNamespace(NS).list().getItems().size()
                + client.rbac().roles().inNamespace(NS).list().getItems().size()
                + client.rbac().roleBindings().inNamespace(NS).list().getItems().size()
                + client.batch().v1().cronjobs().inNamespace(NS).list().getItems().size()
                + client.policy().v1().podDisruptionBudget().inNamespace(NS).list().getItems().size()
                + client.pods().inNamespace(NS).list().getItems().size();
    }

    @Test
    void theControllerEmptiesAndRemovesANamespaceOfHundredObjects() throws Exception {
        cluster.createNamespace("parking");
        client.configMaps().inNamespace("parking").resource(new ConfigMapBuilder().withNewMetadata().withName("held")
                .withFinalizers(HOLD).endMetadata().build()).create();
        client.namespaces().withName("parking").delete();

        cluster.createNamespace(NS);
        List<HasMetadata> created = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (Supplier<HasMetadata> create : tenKinds(i)) {
                created.add(create.get());
            }
        }
        assertThat(created).hasSize(100);
        assertThat(countContent()).isEqualTo(100);

        Set<String> conditionsSeen = ConcurrentHashMap.newKeySet();
        SharedIndexInformer<Namespace> watch = client.namespaces().inform(Handlers.any(ns -> {
            if (NS.equals(ns.getMetadata().getName()) && ns.getStatus() != null && ns.getStatus().getConditions() != null) {
                for (NamespaceCondition c : ns.getStatus().getConditions()) {
                    conditionsSeen.add(c.getType() + "=" + c.getStatus() + "/" + c.getReason());
                }
            }
        }));
        try {
            client.namespaces().withName(NS).delete();
            Namespace terminating = client.namespaces().withName(NS).get();
            assertThat(terminating.getStatus().getPhase()).isEqualTo("Terminating");
            assertThat(terminating.getSpec().getFinalizers()).contains("kubernetes");
            // The API server only marks the namespace Terminating: without the controller nothing is removed.
            Thread.sleep(2000);
            assertThat(countContent()).isEqualTo(100);
            assertThat(client.namespaces().withName(NS).get()).isNotNull();

            cluster.startControllers(new ControllerManagerOptions(), "namespace");
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(client.namespaces().withName(NS).get()).isNull());
            assertThat(countContent()).isZero();
            assertThat(conditionsSeen).contains(
                    "NamespaceDeletionDiscoveryFailure=False/ResourcesDiscovered",
                    "NamespaceDeletionContentFailure=False/ContentDeleted",
                    "NamespaceContentRemaining=False/ContentRemoved",
                    "NamespaceFinalizersRemaining=False/ContentHasNoFinalizers");
            // "parking" stays until its content's finalizer is released: the controller keeps it Terminating.
            Namespace parking = client.namespaces().withName("parking").get();
            assertThat(parking).isNotNull();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.namespaces().withName("parking")
                    .get().getStatus().getConditions()).anyMatch(c -> "NamespaceFinalizersRemaining".equals(c.getType())
                    && "True".equals(c.getStatus()) && c.getMessage().contains(HOLD + " in 1 resource instances")));
        } finally {
            watch.stop();
        }
    }
}
