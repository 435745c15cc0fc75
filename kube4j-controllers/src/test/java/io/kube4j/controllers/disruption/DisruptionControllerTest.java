package io.kube4j.controllers.disruption;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.util.Times;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The disruption controller on a real kube4j API server. Pods and budgets get their status the way a kubelet and a
 * controller would, through the status subresource: the server drops a status sent with a create.
 */
class DisruptionControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
    }

    /** A running pod with the given readiness, its status written as its kubelet would (it is bound to no node). */
    private void runningPod(String ns, String name, String app, boolean ready) {
        Pod created = client.pods().inNamespace(ns).resource(new PodBuilder().withNewMetadata().withName(name)
                .withLabels(Map.of("app", app)).endMetadata().withNewSpec().addNewContainer().withName("c")
                .withImage("x").endContainer().endSpec().build()).create();
        client.pods().inNamespace(ns).resource(new PodBuilder(created).withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition().endStatus()
                .build()).updateStatus();
    }

    private PodDisruptionBudget pdb(String ns, String name) {
        return client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).get();
    }

    @Test
    void disruptionsAllowedIsHealthyMinusMinAvailable() throws Exception {
        cluster.createNamespace("ns");
        for (int i = 0; i < 4; i++) {
            runningPod("ns", "p" + i, "zk", i < 3);
        }
        cluster.startControllers(new ControllerManagerOptions(), "disruption");
        client.policy().v1().podDisruptionBudget().inNamespace("ns").resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("zk").endMetadata().withNewSpec()
                .withMinAvailable(new IntOrString(2)).withNewSelector().withMatchLabels(Map.of("app", "zk")).endSelector()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = pdb("ns", "zk");
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(3);
            assertThat(pdb.getStatus().getDesiredHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(4);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
            assertThat(pdb.getStatus().getObservedGeneration()).isEqualTo(pdb.getMetadata().getGeneration());
            assertThat(pdb.getStatus().getConditions().get(0).getReason()).isEqualTo("SufficientPods");
        });
        // a pod bound to no node goes at once (no kubelet has to confirm it stopped)
        client.pods().inNamespace("ns").withName("p0").delete();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = pdb("ns", "zk");
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getExpectedPods()).isEqualTo(3);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isZero();
            assertThat(pdb.getStatus().getConditions().get(0).getStatus()).isEqualTo("False");
        });
    }

    @Test
    void evictedPodsStayOutOfTheHealthyCountUntilGoneOrOverdue() throws Exception {
        cluster.createNamespace("ev");
        for (int i = 0; i < 3; i++) {
            runningPod("ev", "e" + i, "ev", true);
        }
        Instant now = Instant.now();
        // e0 was just evicted; "gone" no longer exists; e1 was evicted longer ago than the deletion timeout
        Map<String, String> disrupted = Map.of("e0", Times.format(now), "gone", Times.format(now),
                "e1", Times.format(now.minus(DisruptionController.DELETION_TIMEOUT).minusSeconds(60)));
        PodDisruptionBudget created = client.policy().v1().podDisruptionBudget().inNamespace("ev")
                .resource(new PodDisruptionBudgetBuilder().withNewMetadata().withName("ev").endMetadata().withNewSpec()
                        .withMinAvailable(new IntOrString(1)).withNewSelector().withMatchLabels(Map.of("app", "ev"))
                        .endSelector().endSpec().build()).create();
        // what the eviction API writes before it deletes a pod, before the controller first looks
        client.policy().v1().podDisruptionBudget().inNamespace("ev").resource(new PodDisruptionBudgetBuilder(created)
                .withNewStatus().withDisruptedPods(disrupted).withCurrentHealthy(3).withDesiredHealthy(1)
                .withExpectedPods(3).withDisruptionsAllowed(2).endStatus().build()).updateStatus();
        cluster.startControllers(new ControllerManagerOptions(), "disruption");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            PodDisruptionBudget pdb = pdb("ev", "ev");
            assertThat(pdb.getStatus().getDisruptedPods()).containsOnlyKeys("e0");
            assertThat(pdb.getStatus().getCurrentHealthy()).isEqualTo(2);
            assertThat(pdb.getStatus().getDisruptionsAllowed()).isEqualTo(1);
        });
    }
}
