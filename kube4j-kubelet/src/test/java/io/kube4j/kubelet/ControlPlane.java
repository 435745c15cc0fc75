package io.kube4j.kubelet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;

/** An in-process API server (insecure serving) over an embedded store, and a client of it, for kubelet tests. */
final class ControlPlane implements AutoCloseable {
    final Store store;
    final ApiServer api;
    final KubernetesClient client;

    private ControlPlane(Store store, ApiServer api, KubernetesClient client) {
        this.store = store;
        this.api = api;
        this.client = client;
    }

    static ControlPlane start(Path dir) {
        Store store = EmbeddedStore.open(dir.resolve("store"));
        ApiServer api = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir));
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl("http://127.0.0.1:" + api.port()).build()).build();
        return new ControlPlane(store, api, client);
    }

    /** Options of a kubelet whose node status and lease tick fast, with its state under {@code dir}. */
    static KubeletOptions fastNode(String name, Path dir) {
        return KubeletOptions.defaults(name, dir.resolve("cri.sock"), dir.resolve("kubelet"))
                .withPodLogDir(dir.resolve("logs")).withCgroups(dir.resolve("cgroup"), "kubepods")
                .withNodeIntervals(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @Override
    public void close() {
        client.close();
        api.close();
        store.close();
    }
}
