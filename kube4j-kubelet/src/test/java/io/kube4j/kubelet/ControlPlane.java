package io.kube4j.kubelet;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An in-process API server (insecure serving) over an embedded store, and a client of it, for kubelet tests. The
 * client notes every request it sends ({@link #requests}), so a test can count what a kubelet asked the API for.
 */
final class ControlPlane implements AutoCloseable {
    final Store store;
    final ApiServer api;
    final KubernetesClient client;
    /** "METHOD path[?query]" of each request the client sent, in order (watches included). */
    final List<String> requests;

    private ControlPlane(Store store, ApiServer api, KubernetesClient client, List<String> requests) {
        this.store = store;
        this.api = api;
        this.client = client;
        this.requests = requests;
    }

    static ControlPlane start(Path dir) {
        Store store = EmbeddedStore.open(dir.resolve("store"));
        ApiServer api = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir));
        List<String> requests = new CopyOnWriteArrayList<>();
        Interceptor log = new Interceptor() {
            @Override
            public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
                String query = request.uri().getRawQuery();
                requests.add(request.method() + " " + request.uri().getRawPath() + (query == null ? "" : "?" + query));
            }
        };
        KubernetesClient client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                        .withMasterUrl("http://127.0.0.1:" + api.port()).build())
                .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor("request-log", log)).build();
        return new ControlPlane(store, api, client, requests);
    }

    /** Options of a kubelet whose node status and lease tick fast, with its state under {@code dir}. */
    static KubeletOptions fastNode(String name, Path dir) {
        return KubeletOptions.defaults(name, dir.resolve("cri.sock"), dir.resolve("kubelet"))
                .withPodLogDir(dir.resolve("logs")).withCgroups(TestCgroups.under(dir.resolve("cgroup")), "kubepods")
                .withNodeIntervals(Duration.ofMillis(300), Duration.ofMillis(300));
    }

    @Override
    public void close() {
        client.close();
        api.close();
        store.close();
    }
}
