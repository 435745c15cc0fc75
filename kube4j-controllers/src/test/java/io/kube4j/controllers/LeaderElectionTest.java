package io.kube4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaderElectionTest {
    static KubernetesClient client;

    private ControllerManagerOptions options(String identity) {
        return new ControllerManagerOptions().identity(identity).controllers(Set.of("replicaset"))
                .leaseDuration(Duration.ofSeconds(2)).renewDeadline(Duration.ofMillis(1500))
                .retryPeriod(Duration.ofMillis(200));
    }

    private long pods() {
        return client.pods().inNamespace("ns").withLabel("app", "ha").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
    }

    @Test
    void oneManagerLeadsAndAnotherTakesOverWithoutDuplicatePods() throws Exception {
        ControllerManager a = ControllerManager.start(client, options("manager-a"));
        assertThat(a.awaitRunning(Duration.ofSeconds(30))).isTrue();
        ControllerManager b = ControllerManager.start(client, options("manager-b"));
        try {
            Lease lease = client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
            assertThat(lease.getSpec().getHolderIdentity()).isEqualTo("manager-a");
            assertThat(a.isLeading()).isTrue();
            assertThat(a.runningControllers()).containsExactly("replicaset-controller");

            client.apps().replicaSets().inNamespace("ns").resource(new ReplicaSetBuilder().withNewMetadata().withName("ha")
                    .endMetadata().withNewSpec().withReplicas(3).withNewSelector().withMatchLabels(Map.of("app", "ha"))
                    .endSelector().withNewTemplate().withNewMetadata().withLabels(Map.of("app", "ha")).endMetadata()
                    .withNewSpec().addNewContainer().withName("c").withImage("x").endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(20)).until(() -> pods() == 3);
            assertThat(b.isLeading()).isFalse();
            assertThat(b.runningControllers()).isEmpty();

            a.close();
            assertThat(b.awaitRunning(Duration.ofSeconds(30))).isTrue();
            assertThat(b.isLeading()).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> "manager-b".equals(
                    client.leases().inNamespace("kube-system").withName("kube-controller-manager").get()
                            .getSpec().getHolderIdentity()));
            Retry.onConflict(() -> client.apps().replicaSets().inNamespace("ns").withName("ha").edit(rs -> {
                rs.getSpec().setReplicas(4);
                return rs;
            }));
            await().atMost(Duration.ofSeconds(20)).until(() -> pods() == 4);
            Thread.sleep(500);
            assertThat(pods()).isEqualTo(4);
        } finally {
            a.close();
            b.close();
        }
    }
}
