package io.kube4j.kubelet;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Node IPAM sets a Node's spec.podCIDR after the kubelet registered it; the kubelet passes it on to the runtime
 * (CRI UpdateRuntimeConfig), which hands out no pod address before.
 */
class NodePodCidrTest {
    @TempDir
    Path dir;
    io.kube4j.store.Store store;
    io.kube4j.apiserver.ApiServer api;
    KubernetesClient client;
    FakeRuntime runtime;
    Kubelet kubelet;

    @AfterEach
    void stop() {
        if (kubelet != null) {
            kubelet.close();
        }
        if (runtime != null) {
            runtime.close();
        }
        if (client != null) {
            client.close();
        }
        if (api != null) {
            api.close();
        }
        if (store != null) {
            store.close();
        }
    }

    @Test
    void aPodCidrAssignedAfterRegistrationReachesTheRuntime() throws Exception {
        runtime = new FakeRuntime();
        store = io.kube4j.store.embedded.EmbeddedStore.open(dir.resolve("store"));
        int port;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        api = io.kube4j.apiserver.ApiServer.start(io.kube4j.apiserver.ApiServerConfig.defaults(store,
                new java.net.InetSocketAddress("127.0.0.1", port), dir));
        client = new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(
                new io.fabric8.kubernetes.client.ConfigBuilder(io.fabric8.kubernetes.client.Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + port).build()).build();
        kubelet = Kubelet.start(client, KubeletOptions.defaults("node-c", dir.resolve("cri.sock"), dir.resolve("kubelet"))
                .withPodLogDir(dir.resolve("logs")).withCgroups(dir.resolve("cgroup"), "kubepods")
                .withNodeIntervals(Duration.ofMillis(300), Duration.ofMillis(300)), runtime.channel());
        await().atMost(Duration.ofSeconds(20)).until(() -> client.nodes().withName("node-c").get() != null);
        // a few unchanged status ticks: nothing to pass on yet
        await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> true);
        assertThat(runtime.podCidr).isNull();

        Node assigned = client.nodes().withName("node-c").patch(PatchContext.of(PatchType.JSON_MERGE),
                "{\"spec\":{\"podCIDR\":\"10.42.7.0/24\",\"podCIDRs\":[\"10.42.7.0/24\"]}}");
        assertThat(assigned.getSpec().getPodCIDR()).isEqualTo("10.42.7.0/24");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(runtime.podCidr).isEqualTo("10.42.7.0/24"));
    }
}
