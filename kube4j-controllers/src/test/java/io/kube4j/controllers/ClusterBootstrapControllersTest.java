package io.kube4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import io.kube4j.controllers.rootcacertpublisher.RootCaCertPublisher;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** serviceaccount, root-ca-cert-publisher and nodeipam: what every namespace and node gets. */
class ClusterBootstrapControllersTest {
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

    @Test
    void namespacesGetDefaultServiceAccountAndRootCa() throws Exception {
        manager = cluster.startControllers(new ControllerManagerOptions().rootCaPem("-----BEGIN CERTIFICATE-----\nX\n"),
                "serviceaccount", "root-ca-cert-publisher");
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a").endMetadata().build())
                .create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.serviceAccounts().inNamespace("team-a").withName("default").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("team-a").withName(RootCaCertPublisher.NAME).get()).isNotNull();
        });
        assertThat(client.configMaps().inNamespace("team-a").withName(RootCaCertPublisher.NAME).get().getData())
                .containsEntry("ca.crt", "-----BEGIN CERTIFICATE-----\nX\n");

        client.serviceAccounts().inNamespace("team-a").withName("default").delete();
        Retry.onConflict(() -> client.configMaps().inNamespace("team-a").withName(RootCaCertPublisher.NAME).edit(cm -> {
            cm.getData().put("ca.crt", "tampered");
            return cm;
        }));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(client.serviceAccounts().inNamespace("team-a").withName("default").get()).isNotNull();
            assertThat(client.configMaps().inNamespace("team-a").withName(RootCaCertPublisher.NAME).get().getData())
                    .containsEntry("ca.crt", "-----BEGIN CERTIFICATE-----\nX\n");
        });
    }

    @Test
    void nodesGetDistinctPodCidrsAndDeletedNodesReleaseTheirs() throws Exception {
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("pre").endMetadata()
                .withNewSpec().withPodCIDR("10.42.0.0/24").endSpec().build()).create();
        manager = cluster.startControllers(new ControllerManagerOptions(), "nodeipam");
        for (int i = 0; i < 5; i++) {
            client.nodes().resource(new NodeBuilder().withNewMetadata().withName("n" + i).endMetadata().build()).create();
        }
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            List<Node> nodes = client.nodes().list().getItems();
            assertThat(nodes).hasSize(6).allSatisfy(n -> assertThat(n.getSpec().getPodCIDR()).isNotNull());
            Set<String> cidrs = new HashSet<>();
            nodes.forEach(n -> cidrs.add(n.getSpec().getPodCIDR()));
            assertThat(cidrs).hasSize(6).allSatisfy(c -> assertThat(c).matches("10\\.42\\.\\d+\\.0/24"));
        });
        String released = client.nodes().withName("n0").get().getSpec().getPodCIDR();
        client.nodes().withName("n0").delete();
        await().atMost(Duration.ofSeconds(20)).until(() -> client.nodes().withName("n0").get() == null);
        Thread.sleep(200);
        client.nodes().resource(new NodeBuilder().withNewMetadata().withName("later").endMetadata().build()).create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() ->
                assertThat(client.nodes().withName("later").get().getSpec().getPodCIDR()).isNotNull());
        Set<String> all = new HashSet<>();
        client.nodes().list().getItems().forEach(n -> all.add(n.getSpec().getPodCIDR()));
        assertThat(all).hasSize(client.nodes().list().getItems().size());
        assertThat(released).isNotNull();
    }
}
