package io.kube4j.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.FakeKubelet;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real kube4j API server, one per test: the fabric8 mock's event loop stalls for up to a minute after a client
 * closes a watch, which each test's controller manager does when it stops.
 */
class DeploymentControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ControllerManager manager;
    FakeKubelet kubelet;

    @BeforeEach
    void startCluster() {
        client = cluster.client();
        cluster.createNamespace("ns");
    }

    @AfterEach
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    static Deployment deployment(String name, int replicas, String image, String strategy) {
        DeploymentBuilder b = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("ns").withGeneration(1L)
                .endMetadata().withNewSpec().withReplicas(replicas).withProgressDeadlineSeconds(600)
                .withRevisionHistoryLimit(10)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec();
        if ("Recreate".equals(strategy)) {
            b.editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec();
        } else {
            b.editSpec().withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                    .withMaxSurge(new IntOrString(1)).withMaxUnavailable(new IntOrString(0)).endRollingUpdate()
                    .endStrategy().endSpec();
        }
        return b.build();
    }

    private List<Pod> pods(String app) {
        return client.pods().inNamespace("ns").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private List<ReplicaSet> replicaSets(String app) {
        return client.apps().replicaSets().inNamespace("ns").withLabel("app", app).list().getItems();
    }

    private Deployment get(String name) {
        return client.apps().deployments().inNamespace("ns").withName(name).get();
    }

    private void setImage(String name, String image) {
        Retry.onConflict(() -> client.apps().deployments().inNamespace("ns").withName(name).edit(d -> {
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
            d.getMetadata().setGeneration(d.getMetadata().getGeneration() + 1);
            return d;
        }));
    }

    private void awaitComplete(String name, int replicas) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            Deployment d = get(name);
            assertThat(d.getStatus()).isNotNull();
            assertThat(d.getStatus().getObservedGeneration()).isEqualTo(d.getMetadata().getGeneration());
            assertThat(d.getStatus().getUpdatedReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getReplicas()).isEqualTo(replicas);
            assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(replicas);
            assertThat(DeploymentUtil.condition(d.getStatus(), "Progressing").getReason())
                    .isEqualTo("NewReplicaSetAvailable");
            assertThat(DeploymentUtil.condition(d.getStatus(), "Available").getStatus()).isEqualTo("True");
        });
    }

    @Test
    void rollingUpdateRespectsSurgeAndKeepsRevisions() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset");
        kubelet = new FakeKubelet(client);
        client.apps().deployments().inNamespace("ns").resource(deployment("web", 3, "nginx:1", "RollingUpdate")).create();
        awaitComplete("web", 3);
        assertThat(replicaSets("web")).hasSize(1);
        ReplicaSet first = replicaSets("web").get(0);
        assertThat(first.getMetadata().getLabels()).containsKey("pod-template-hash");
        assertThat(first.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "1");
        assertThat(get("web").getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "1");

        AtomicInteger maxSeen = new AtomicInteger();
        Thread observer = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                int total = client.apps().replicaSets().inNamespace("ns").withLabel("app", "web").list().getItems()
                        .stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum();
                maxSeen.accumulateAndGet(total, Math::max);
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        observer.start();
        setImage("web", "nginx:2");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(get("web").getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "2"));
        awaitComplete("web", 3);
        observer.interrupt();
        observer.join();
        assertThat(maxSeen.get()).as("replicas never exceed replicas + maxSurge").isLessThanOrEqualTo(4);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pods("web")).hasSize(3).allSatisfy(p ->
                    assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("nginx:2"));
            assertThat(replicaSets("web")).hasSize(2);
        });
        ReplicaSet old = client.apps().replicaSets().inNamespace("ns").withName(first.getMetadata().getName()).get();
        assertThat(old.getSpec().getReplicas()).isZero();

        // kubectl rollout undo: the previous template comes back and its ReplicaSet takes revision 3
        setImage("web", "nginx:1");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            ReplicaSet back = client.apps().replicaSets().inNamespace("ns").withName(first.getMetadata().getName()).get();
            assertThat(back.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3")
                    .containsEntry(DeploymentUtil.REVISION_HISTORY, "1");
            assertThat(back.getSpec().getReplicas()).isEqualTo(3);
        });
        awaitComplete("web", 3);
        assertThat(replicaSets("web")).hasSize(2);
    }

    @Test
    void recreateScalesOldToZeroBeforeCreatingNew() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset");
        kubelet = new FakeKubelet(client);
        client.apps().deployments().inNamespace("ns").resource(deployment("batch", 2, "app:1", "Recreate")).create();
        awaitComplete("batch", 2);
        setImage("batch", "app:2");
        awaitComplete("batch", 2);
        assertThat(pods("batch")).hasSize(2).allSatisfy(p ->
                assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("app:2"));
    }

    @Test
    void pausedDeploymentScalesButDoesNotRollOut() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset");
        kubelet = new FakeKubelet(client);
        client.apps().deployments().inNamespace("ns").resource(deployment("p", 1, "a:1", "RollingUpdate")).create();
        awaitComplete("p", 1);
        Retry.onConflict(() -> client.apps().deployments().inNamespace("ns").withName("p").edit(d -> {
            d.getSpec().setPaused(true);
            d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("a:2");
            d.getSpec().setReplicas(2);
            d.getMetadata().setGeneration(2L);
            return d;
        }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(pods("p")).hasSize(2);
            assertThat(DeploymentUtil.condition(get("p").getStatus(), "Progressing").getReason())
                    .isEqualTo("DeploymentPaused");
        });
        assertThat(replicaSets("p")).hasSize(1);
        assertThat(pods("p")).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("a:1"));
        Retry.onConflict(() -> client.apps().deployments().inNamespace("ns").withName("p").edit(d -> {
            d.getSpec().setPaused(false);
            d.getMetadata().setGeneration(3L);
            return d;
        }));
        awaitComplete("p", 2);
        assertThat(pods("p")).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).isEqualTo("a:2"));
    }
}
