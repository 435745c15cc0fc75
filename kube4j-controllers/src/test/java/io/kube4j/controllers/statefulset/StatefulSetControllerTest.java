package io.kube4j.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.FakeKubelet;
import io.kube4j.controllers.Retry;
import io.kube4j.controllers.TestManagers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class StatefulSetControllerTest {
    static KubernetesClient client;
    ControllerManager manager;
    FakeKubelet kubelet;

    @AfterEach
    void stop() throws Exception {
        if (kubelet != null) {
            kubelet.close();
        }
        if (manager != null) {
            manager.close();
        }
    }

    private List<Pod> pods() {
        return client.pods().inNamespace("ns").withLabel("app", "db").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private String image(String pod) {
        return client.pods().inNamespace("ns").withName(pod).get().getSpec().getContainers().get(0).getImage();
    }

    @Test
    void orderedStableIdentitiesClaimsPartitionedUpdateAndScaleDown() throws Exception {
        manager = TestManagers.start(client, "statefulset");
        client.apps().statefulSets().inNamespace("ns").resource(new StatefulSetBuilder().withNewMetadata().withName("db")
                .withGeneration(1L).endMetadata().withNewSpec().withReplicas(3).withServiceName("db-headless")
                .withNewSelector().withMatchLabels(Map.of("app", "db")).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "db")).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("db:1").endContainer().endSpec().endTemplate()
                .addNewVolumeClaimTemplate().withNewMetadata().withName("data").endMetadata().withNewSpec()
                .withAccessModes("ReadWriteOnce").withNewResources().addToRequests("storage", new Quantity("1Gi"))
                .endResources().endSpec().endVolumeClaimTemplate().endSpec().build()).create();

        await().atMost(Duration.ofSeconds(20)).until(() -> pods().size() == 1);
        Thread.sleep(500);
        assertThat(pods()).extracting(p -> p.getMetadata().getName()).as("OrderedReady waits for db-0").containsExactly("db-0");
        Pod first = pods().get(0);
        assertThat(first.getSpec().getHostname()).isEqualTo("db-0");
        assertThat(first.getSpec().getSubdomain()).isEqualTo("db-headless");
        assertThat(first.getSpec().getVolumes()).anyMatch(v -> v.getPersistentVolumeClaim() != null
                && "data-db-0".equals(v.getPersistentVolumeClaim().getClaimName()));
        assertThat(client.persistentVolumeClaims().inNamespace("ns").withName("data-db-0").get()).isNotNull();

        kubelet = new FakeKubelet(client);
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(pods()).extracting(p -> p.getMetadata().getName()).containsExactlyInAnyOrder("db-0", "db-1", "db-2");
            StatefulSet sts = client.apps().statefulSets().inNamespace("ns").withName("db").get();
            assertThat(sts.getStatus().getReadyReplicas()).isEqualTo(3);
            assertThat(sts.getStatus().getCurrentRevision()).isEqualTo(sts.getStatus().getUpdateRevision());
        });
        assertThat(client.persistentVolumeClaims().inNamespace("ns").withName("data-db-2").get()).isNotNull();
        assertThat(client.apps().controllerRevisions().inNamespace("ns").list().getItems()).hasSize(1);

        Retry.onConflict(() -> client.apps().statefulSets().inNamespace("ns").withName("db").edit(s -> {
            s.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("db:2");
            s.getSpec().setUpdateStrategy(new io.fabric8.kubernetes.api.model.apps.StatefulSetUpdateStrategyBuilder()
                    .withType("RollingUpdate").withNewRollingUpdate().withPartition(1).endRollingUpdate().build());
            return s;
        }));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(image("db-2")).isEqualTo("db:2");
            assertThat(image("db-1")).isEqualTo("db:2");
            StatefulSet sts = client.apps().statefulSets().inNamespace("ns").withName("db").get();
            assertThat(sts.getStatus().getUpdatedReplicas()).isEqualTo(2);
        });
        assertThat(image("db-0")).as("below the partition").isEqualTo("db:1");
        assertThat(client.apps().controllerRevisions().inNamespace("ns").list().getItems()).hasSize(2);

        Retry.onConflict(() -> client.apps().statefulSets().inNamespace("ns").withName("db").edit(s -> {
            s.getSpec().setReplicas(1);
            return s;
        }));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(pods()).extracting(p -> p.getMetadata().getName()).containsExactly("db-0"));
        assertThat(client.persistentVolumeClaims().inNamespace("ns").withName("data-db-2").get())
                .as("claims outlive their pods").isNotNull();
    }
}
