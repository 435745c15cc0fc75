package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.util.Pods;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Two controller managers on one real API server: one acts; when it is closed the other takes over. */
class LeaderElectionTest {
    static final String NS = "ha";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1");
    }

    private static ControllerManagerOptions options(String identity) {
        return new ControllerManagerOptions().identity(identity).controllers(Set.of("deployment", "replicaset"))
                .leaseDuration(Duration.ofSeconds(3)).renewDeadline(Duration.ofSeconds(2))
                .retryPeriod(Duration.ofMillis(300));
    }

    private String holder() {
        var lease = client.leases().inNamespace("kube-system").withName("kube-controller-manager").get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    private long livePods() {
        return client.pods().inNamespace(NS).list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).count();
    }

    @Test
    void oneLeadsAndTheOtherTakesOverWithoutDuplicatePods() throws Exception {
        AtomicInteger maxLive = new AtomicInteger();
        SharedIndexInformer<Pod> watch = client.pods().inNamespace(NS).inform(Handlers.any(p -> { }));
        watch.addEventHandler(Handlers.any(p -> maxLive.accumulateAndGet((int) watch.getStore().list().stream()
                .filter(x -> x.getMetadata().getDeletionTimestamp() == null).count(), Math::max)));
        try {
            ControllerManager a = cluster.startControllers(options("manager-a"));
            assertThat(a.awaitRunning(Duration.ofSeconds(30))).isTrue();
            ControllerManager b = cluster.startControllers(options("manager-b"));
            assertThat(holder()).isEqualTo("manager-a");

            var d = DeploymentRolloutTest.deployment("web", "img:v1");
            d.getMetadata().setNamespace(NS);
            client.apps().deployments().inNamespace(NS).resource(d).create();
            await().atMost(Duration.ofSeconds(60)).until(() -> livePods() == DeploymentRolloutTest.REPLICAS);
            assertThat(b.isLeading()).isFalse();
            assertThat(b.runningControllers()).isEmpty();

            a.close();
            assertThat(b.awaitRunning(Duration.ofSeconds(30))).isTrue();
            await().atMost(Duration.ofSeconds(10)).until(() -> "manager-b".equals(holder()));
            // The new leader starts from the server's state and must not create pods that already exist.
            Thread.sleep(1000);
            assertThat(livePods()).isEqualTo(DeploymentRolloutTest.REPLICAS);

            client.apps().deployments().inNamespace(NS).withName("web").scale(6);
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(livePods()).isEqualTo(6);
                assertThat(client.pods().inNamespace(NS).list().getItems()).allMatch(Pods::isReady);
            });
            Thread.sleep(500);
            assertThat(livePods()).isEqualTo(6);
            assertThat(maxLive.get()).as("never more pods than replicas").isEqualTo(6);
        } finally {
            watch.stop();
        }
    }
}
