package io.kube4j.controllers.replicaset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.ReplicationControllerBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.OwnerRefs;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * On a real kube4j API server, one per test: the fabric8 mock's event loop stalls for up to a minute after a client
 * closes a watch, which each test's controller manager does when it stops.
 */
class ReplicaSetControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;
    ControllerManager manager;

    @BeforeEach
    void startCluster() {
        client = cluster.client();
        cluster.createNamespace("ns");
    }

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    static ReplicaSet rs(String name, int replicas) {
        return new ReplicaSetBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withReplicas(replicas)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private List<Pod> activePods(String app) {
        return client.pods().inNamespace("ns").withLabel("app", app).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    @Test
    void createsPodsScalesDownAndReportsStatus() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions(), "replicaset");
        ReplicaSet created = client.apps().replicaSets().inNamespace("ns").resource(rs("web", 3)).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(activePods("web")).hasSize(3));
        Pod p = activePods("web").get(0);
        assertThat(OwnerRefs.controllerOf(p).getUid()).isEqualTo(created.getMetadata().getUid());
        assertThat(OwnerRefs.controllerOf(p).getBlockOwnerDeletion()).isTrue();
        assertThat(p.getMetadata().getName()).startsWith("web-");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.apps().replicaSets().inNamespace("ns").withName("web").get().getStatus().getReplicas())
                        .isEqualTo(3));

        Retry.onConflict(() -> client.apps().replicaSets().inNamespace("ns").withName("web").edit(r -> {
            r.getSpec().setReplicas(1);
            return r;
        }));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(activePods("web")).hasSize(1));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.apps().replicaSets().inNamespace("ns").withName("web").get().getStatus().getReplicas())
                        .isEqualTo(1));
    }

    @Test
    void adoptsMatchingOrphanAndReleasesNonMatchingPod() throws Exception {
        client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("orphan")
                .withLabels(Map.of("app", "api")).endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("x").endContainer().endSpec().build()).create();
        manager = cluster.startControllers(new ControllerManagerOptions(), "replicaset");
        ReplicaSet created = client.apps().replicaSets().inNamespace("ns").resource(rs("api", 2)).create();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Pod orphan = client.pods().inNamespace("ns").withName("orphan").get();
            assertThat(OwnerRefs.controllerOf(orphan)).isNotNull();
            assertThat(OwnerRefs.controllerOf(orphan).getUid()).isEqualTo(created.getMetadata().getUid());
            assertThat(activePods("api")).hasSize(2);
        });

        Retry.onConflict(() -> client.pods().inNamespace("ns").withName("orphan").edit(pod -> {
            pod.getMetadata().setLabels(Map.of("app", "other"));
            return pod;
        }));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(OwnerRefs.controllerOf(client.pods().inNamespace("ns").withName("orphan").get())).isNull();
            assertThat(activePods("api")).hasSize(2);
        });
    }

    @Test
    void replicationControllerUsesTheSameLogic() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions(), "replicationcontroller");
        ReplicationController rc = new ReplicationControllerBuilder().withNewMetadata().withName("legacy")
                .withNamespace("ns").endMetadata().withNewSpec().withReplicas(2).withSelector(Map.of("app", "legacy"))
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "legacy")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.replicationControllers().inNamespace("ns").resource(rc).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(activePods("legacy")).hasSize(2));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(client.replicationControllers().inNamespace("ns").withName("legacy").get().getStatus()
                        .getReplicas()).isEqualTo(2));
    }
}
