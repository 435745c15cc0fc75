package io.kube4j.e2e;

import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The master as a user meets it: one {@code kube4j server} process, and a Deployment applied with kubectl ends
 * in pods the controller manager created and the scheduler placed - everything through the API. Nodes are API
 * objects here (no worker), so pods stay Pending on their node.
 */
class ControlPlaneE2ETest {
    @TempDir
    static Path tmp;

    static Kube4jServer server;
    static Kubectl kubectl;
    static KubernetesClient client;

    @BeforeAll
    static void start() throws Exception {
        server = new Kube4jServer(tmp.resolve("data")).start();
        kubectl = server.kubectl(tmp.resolve("kubectl-cache"));
        client = new KubernetesClientBuilder()
                .withConfig(Config.fromKubeconfig(null, Files.readString(server.kubeconfig()), null)).build();
        for (String name : List.of("node-a", "node-b")) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
                    .addToLabels("kubernetes.io/hostname", name).endMetadata()
                    .withNewStatus()
                    .addToCapacity(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("110")))
                    .addToAllocatable(Map.of("cpu", new Quantity("2"), "memory", new Quantity("4Gi"), "pods", new Quantity("110")))
                    .addNewCondition().withType("Ready").withStatus("True").endCondition()
                    .endStatus().build()).create();
        }
    }

    @AfterAll
    static void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void deploymentBecomesScheduledPods() {
        kubectl.run("create", "deployment", "web", "--image=busybox", "--replicas=4").assertOk();

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            List<Pod> pods = client.pods().inNamespace("default").withLabel("app", "web").list().getItems();
            assertThat(pods).hasSize(4);
            assertThat(pods).allSatisfy(p -> assertThat(p.getSpec().getNodeName()).isIn("node-a", "node-b"));
        });
        // The controller manager owns the pods through a ReplicaSet; the scheduler recorded each binding.
        assertThat(kubectl.run("get", "rs", "-l", "app=web", "-o", "jsonpath={.items[0].status.replicas}")
                .assertOk().stdout()).isEqualTo("4");
        assertThat(kubectl.run("get", "events", "--field-selector", "reason=Scheduled", "-o", "name")
                .assertOk().stdout().lines().count()).isGreaterThanOrEqualTo(4);
        // Every node got a pod CIDR from node IPAM.
        assertThat(kubectl.run("get", "nodes", "-o", "jsonpath={.items[*].spec.podCIDR}").assertOk().stdout())
                .matches("10\\.42\\.\\d+\\.0/24 10\\.42\\.\\d+\\.0/24");
    }

    @Test
    void podThatFitsNowhereGetsUpstreamsMessage() {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: huge}
                spec:
                  containers:
                  - name: c
                    image: busybox
                    resources: {requests: {cpu: "64"}}
                """, "create", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=huge,reason=FailedScheduling",
                        "-o", "jsonpath={.items[0].message}").stdout())
                        .startsWith("0/2 nodes are available: 2 Insufficient cpu."));
        assertThat(kubectl.run("get", "pod", "huge", "-o",
                "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").assertOk().stdout())
                .isEqualTo("Unschedulable");
    }
}
