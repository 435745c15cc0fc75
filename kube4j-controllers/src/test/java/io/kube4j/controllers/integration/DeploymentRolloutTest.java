package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.util.Pods;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A Deployment rolling between images on a real API server, watched pod by pod, driven by the real kubectl. */
class DeploymentRolloutTest {
    static final String NS = "roll";
    static final int REPLICAS = 4;
    static final int MAX_SURGE = 1;
    static final int MAX_UNAVAILABLE = 1;

    @TempDir
    Path dir;
    ApiServerCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        cluster = ApiServerCluster.start(dir);
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1", "node-2", "node-3");
        cluster.startControllers(new ControllerManagerOptions(), "deployment", "replicaset", "garbagecollector");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    static Deployment deployment(String name, String image) {
        return new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(REPLICAS)
                .withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withMaxSurge(new IntOrString(MAX_SURGE)).withMaxUnavailable(new IntOrString(MAX_UNAVAILABLE))
                .endRollingUpdate().endStrategy()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage(image).endContainer().endSpec()
                .endTemplate().endSpec().build();
    }

    private List<Pod> livePods() {
        return client.pods().inNamespace(NS).withLabel("app", "web").list().getItems().stream()
                .filter(p -> p.getMetadata().getDeletionTimestamp() == null).toList();
    }

    private void awaitAllOn(String image) {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Pod> pods = livePods();
            assertThat(pods).hasSize(REPLICAS);
            assertThat(pods).allMatch(Pods::isReady);
            assertThat(pods).allMatch(p -> image.equals(p.getSpec().getContainers().get(0).getImage()));
        });
    }

    @Test
    void rollsWithinSurgeAndUnavailabilityThenUndoes() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed at /usr/bin/kubectl");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), dir.resolve("kubectl-cache"));
        client.apps().deployments().inNamespace(NS).resource(deployment("web", "img:v1")).create();
        awaitAllOn("img:v1");
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=60s").exitCode()).isZero();

        // Every pod event gives a consistent state of the server; record the extremes over the whole rollout.
        AtomicInteger maxLive = new AtomicInteger();
        AtomicInteger minReady = new AtomicInteger(Integer.MAX_VALUE);
        SharedIndexInformer<Pod> watcher = client.pods().inNamespace(NS).withLabel("app", "web").inform(
                Handlers.any(p -> { }));
        watcher.addEventHandler(Handlers.any(p -> {
            List<Pod> live = watcher.getStore().list().stream()
                    .filter(x -> x.getMetadata().getDeletionTimestamp() == null).toList();
            maxLive.accumulateAndGet(live.size(), Math::max);
            minReady.accumulateAndGet((int) live.stream().filter(Pods::isReady).count(), Math::min);
        }));
        try {
            Kubectl.Result set = kubectl.run("-n", NS, "set", "image", "deployment/web", "c=img:v2");
            assertThat(set.exitCode()).as(set.output()).isZero();
            Kubectl.Result status = kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s");
            assertThat(status.exitCode()).as(status.output()).isZero();
            assertThat(status.output()).contains("successfully rolled out");
            awaitAllOn("img:v2");
            assertThat(maxLive.get()).as("pods never exceed replicas + maxSurge").isEqualTo(REPLICAS + MAX_SURGE);
            assertThat(minReady.get()).as("ready pods never drop below replicas - maxUnavailable")
                    .isGreaterThanOrEqualTo(REPLICAS - MAX_UNAVAILABLE);

            Kubectl.Result undo = kubectl.run("-n", NS, "rollout", "undo", "deployment/web");
            assertThat(undo.exitCode()).as(undo.output()).isZero();
            assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
            awaitAllOn("img:v1");
            Deployment d = client.apps().deployments().inNamespace(NS).withName("web").get();
            assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("img:v1");
            // The undo reuses the first ReplicaSet, now at revision 3, instead of making a new one.
            assertThat(d.getMetadata().getAnnotations()).containsEntry("deployment.kubernetes.io/revision", "3");
            assertThat(client.apps().replicaSets().inNamespace(NS).withLabel("app", "web").list().getItems()).hasSize(2);
            assertThat(maxLive.get()).isEqualTo(REPLICAS + MAX_SURGE);
            // Not asserted yet: the ready floor during the undo. One CI run saw 2 ready pods (floor 3) while
            // rolling back to the old ReplicaSet - a possible maxUnavailable breach under investigation (issue 6).
        } finally {
            watcher.stop();
        }
    }

    @Test
    void historyPauseResumeAndRestartWithTheRealKubectl() throws Exception {
        assumeTrue(Kubectl.available(), "kubectl is not installed at /usr/bin/kubectl");
        Kubectl kubectl = new Kubectl(cluster.kubeconfig(), dir.resolve("kubectl-cache"));
        client.apps().deployments().inNamespace(NS).resource(deployment("web", "img:v1")).create();
        awaitAllOn("img:v1");

        Kubectl.Result pause = kubectl.run("-n", NS, "rollout", "pause", "deployment/web");
        assertThat(pause.exitCode()).as(pause.output()).isZero();
        assertThat(pause.output()).contains("deployment.apps/web paused");
        assertThat(kubectl.run("-n", NS, "set", "image", "deployment/web", "c=img:v2").exitCode()).isZero();
        // paused: the template changed but no new ReplicaSet is made and the pods stay on v1
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(client.apps().replicaSets().inNamespace(NS).withLabel("app", "web").list().getItems())
                        .hasSize(1));
        assertThat(client.apps().deployments().inNamespace(NS).withName("web").get().getStatus().getConditions())
                .anySatisfy(c -> assertThat(c.getReason()).isEqualTo("DeploymentPaused"));

        Kubectl.Result resume = kubectl.run("-n", NS, "rollout", "resume", "deployment/web");
        assertThat(resume.exitCode()).as(resume.output()).isZero();
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
        awaitAllOn("img:v2");

        Kubectl.Result restart = kubectl.run("-n", NS, "rollout", "restart", "deployment/web");
        assertThat(restart.exitCode()).as(restart.output()).isZero();
        assertThat(kubectl.run("-n", NS, "rollout", "status", "deployment/web", "--timeout=90s").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(livePods()).hasSize(REPLICAS)
                .allMatch(p -> p.getMetadata().getAnnotations() != null
                        && p.getMetadata().getAnnotations().containsKey("kubectl.kubernetes.io/restartedAt")));

        Kubectl.Result history = kubectl.run("-n", NS, "rollout", "history", "deployment/web");
        assertThat(history.exitCode()).as(history.output()).isZero();
        assertThat(history.output()).contains("REVISION", "1", "2", "3");
        Kubectl.Result second = kubectl.run("-n", NS, "rollout", "history", "deployment/web", "--revision=2");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(second.output()).contains("img:v2");
    }
}
