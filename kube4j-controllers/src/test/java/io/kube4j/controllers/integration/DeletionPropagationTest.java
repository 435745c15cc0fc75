package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.util.Pods;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What deleting a Deployment leaves behind under each propagation policy, as upstream's garbage collector. */
class DeletionPropagationTest {
    static final String NS = "gc";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1", "node-2");
        cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset", "garbagecollector");
    }

    private void createReady(String name) {
        Deployment d = DeploymentRolloutTest.deployment(name, "img:v1");
        d.getMetadata().setNamespace(NS);
        client.apps().deployments().inNamespace(NS).resource(d).create();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(pods(name))
                .hasSize(DeploymentRolloutTest.REPLICAS).allMatch(Pods::isReady));
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private List<ReplicaSet> replicaSets(String app) {
        return client.apps().replicaSets().inNamespace(NS).withLabel("app", app).list().getItems();
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get();
    }

    @Test
    void backgroundDeletesTheDeploymentAtOnceAndItsDependentsAfter() {
        createReady("bg");
        client.apps().deployments().inNamespace(NS).withName("bg").withPropagationPolicy(DeletionPropagation.BACKGROUND)
                .delete();
        assertThat(deployment("bg")).isNull();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(replicaSets("bg")).isEmpty();
            assertThat(pods("bg")).isEmpty();
        });
    }

    @Test
    void foregroundKeepsTheDeploymentUntilEveryDependentIsGone() {
        createReady("fg");
        // Record, on every change of the Deployment, whether dependents still existed when it vanished.
        AtomicBoolean podsLeftWhenOwnerGone = new AtomicBoolean();
        SharedIndexInformer<Deployment> watch = client.apps().deployments().inNamespace(NS).inform(Handlers.of(d -> { },
                (o, n) -> { }, d -> {
                    if ("fg".equals(d.getMetadata().getName()) && (!pods("fg").isEmpty() || !replicaSets("fg").isEmpty())) {
                        podsLeftWhenOwnerGone.set(true);
                    }
                }));
        try {
            client.apps().deployments().inNamespace(NS).withName("fg").withPropagationPolicy(DeletionPropagation.FOREGROUND)
                    .delete();
            Deployment terminating = deployment("fg");
            assertThat(terminating).isNotNull();
            assertThat(terminating.getMetadata().getDeletionTimestamp()).isNotNull();
            assertThat(terminating.getMetadata().getFinalizers()).contains("foregroundDeletion");
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(deployment("fg")).isNull();
                assertThat(replicaSets("fg")).isEmpty();
                assertThat(pods("fg")).isEmpty();
            });
            assertThat(podsLeftWhenOwnerGone).as("dependents outlived a foreground-deleted owner").isFalse();
        } finally {
            watch.stop();
        }
    }

    @Test
    void orphanLeavesTheReplicaSetAndPodsWithoutTheOwner() throws Exception {
        createReady("or");
        String rsName = replicaSets("or").get(0).getMetadata().getName();
        client.apps().deployments().inNamespace(NS).withName("or").withPropagationPolicy(DeletionPropagation.ORPHAN).delete();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(deployment("or")).isNull());
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            List<ReplicaSet> rss = replicaSets("or");
            assertThat(rss).hasSize(1);
            assertThat(rss.get(0).getMetadata().getName()).isEqualTo(rsName);
            assertThat(rss.get(0).getMetadata().getOwnerReferences()).isNullOrEmpty();
        });
        Thread.sleep(1000);
        List<Pod> pods = pods("or");
        assertThat(pods).hasSize(DeploymentRolloutTest.REPLICAS);
        assertThat(pods).allMatch(p -> p.getMetadata().getDeletionTimestamp() == null);
        assertThat(pods).allMatch(p -> p.getMetadata().getOwnerReferences().size() == 1
                && rsName.equals(p.getMetadata().getOwnerReferences().get(0).getName()));
        assertThat(replicaSets("or").get(0).getMetadata().getFinalizers()).isNullOrEmpty();
    }
}
