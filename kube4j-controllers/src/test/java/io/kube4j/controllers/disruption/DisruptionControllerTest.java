package io.kube4j.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.TestManagers;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class DisruptionControllerTest {
    static KubernetesClient client;
    ControllerManager manager;

    @AfterEach
    void stop() {
        if (manager != null) {
            manager.close();
        }
    }

    @Test
    void disruptionsAllowedIsHealthyMinusMinAvailable() throws Exception {
        for (int i = 0; i < 4; i++) {
            client.pods().inNamespace("ns").resource(new PodBuilder().withNewMetadata().withName("p" + i)
                    .withLabels(Map.of("app", "zk")).endMetadata().withNewSpec().addNewContainer().withName("c")
                    .withImage("x").endContainer().endSpec().withNewStatus().withPhase("Running").addNewCondition()
                    .withType("Ready").withStatus(i < 3 ? "True" : "False").endCondition().endStatus().build()).create();
        }
        manager = TestManagers.start(client, "disruption");
        client.policy().v1().podDisruptionBudget().inNamespace("ns").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("zk").withGeneration(1L).endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(2)).withNewSelector().withMatchLabels(Map.of("app", "zk")).endSelector()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace("ns").withName("zk").get();
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(3);
            assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(4);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
            assertThat(pdb.getStatus().getConditions().get(0).getReason()).isEqualTo("SufficientPods");
        });
        client.pods().inNamespace("ns").withName("p0").delete();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace("ns").withName("zk").get();
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
            assertThat(pdb.getStatus().getConditions().get(0).getStatus()).isEqualTo("False");
        });
    }

    @Test
    void evictedPodsStayOutOfTheHealthyCountUntilGoneOrOverdue() throws Exception {
        for (int i = 0; i < 3; i++) {
            client.pods().inNamespace("ev").resource(new PodBuilder().withNewMetadata().withName("e" + i)
                    .withLabels(Map.of("app", "ev")).endMetadata().withNewSpec().addNewContainer().withName("c")
                    .withImage("x").endContainer().endSpec().withNewStatus().withPhase("Running").addNewCondition()
                    .withType("Ready").withStatus("True").endCondition().endStatus().build()).create();
        }
        Instant now = Instant.now();
        // e0 was just evicted; "gone" no longer exists; e1 was evicted longer ago than the deletion timeout
        Map<String, String> disrupted = Map.of("e0", Times.format(now), "gone", Times.format(now),
                "e1", Times.format(now.minus(DisruptionController.DELETION_TIMEOUT).minusSeconds(60)));
        client.policy().v1().podDisruptionBudget().inNamespace("ev").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("ev").withGeneration(1L).endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(1)).withNewSelector().withMatchLabels(Map.of("app", "ev")).endSelector()
                .endSpec().withNewStatus().withDisruptedPods(disrupted).endStatus().build()).create();
        manager = TestManagers.start(client, "disruption");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = client.policy().v1().podDisruptionBudget().inNamespace("ev").withName("ev").get();
            assertThat(pdb.getStatus().getDisruptedPods()).containsOnlyKeys("e0");
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        });
    }
}
