package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kube-public/cluster-info} names where other hosts reach the server, as kubeadm's does. */
class ClusterInfoTest {

    @TempDir
    Path dir;

    private static ApiServerConfig config(String bind, String advertise) {
        return ApiServerConfig.defaults(null, new InetSocketAddress(bind, 6443), null).withAdvertiseAddress(advertise);
    }

    private static String advertisedUrl(ApiServerConfig config, int port) {
        return ServerAddresses.advertisedUrl(config, port);
    }

    @Test
    void theServerIsTheAdvertiseAddressElseTheBindAddress() {
        assertThat(advertisedUrl(config("127.0.0.1", "10.1.2.3"), 6443)).isEqualTo("https://10.1.2.3:6443");
        assertThat(advertisedUrl(config("0.0.0.0", "10.1.2.3"), 7443)).isEqualTo("https://10.1.2.3:7443");
        assertThat(advertisedUrl(config("127.0.0.1", "fd00::1"), 6443)).isEqualTo("https://[fd00::1]:6443");
        assertThat(advertisedUrl(config("127.0.0.1", null), 6443)).isEqualTo("https://127.0.0.1:6443");
        assertThat(advertisedUrl(config("10.9.9.9", null), 6443)).isEqualTo("https://10.9.9.9:6443");
        assertThat(advertisedUrl(config("0.0.0.0", null), 6443)).isEqualTo("https://127.0.0.1:6443");
    }

    @Test
    void clientsOnThisHostUseTheBindAddressOrLoopback() {
        ApiServerConfig concrete = ApiServerConfig.defaults(null, new InetSocketAddress("10.9.9.9", 6443), null);
        assertThat(ServerAddresses.localUrl(concrete, 6443)).isEqualTo("http://10.9.9.9:6443");
        assertThat(ServerAddresses.localUrl(concrete.withSecurity(SecurityOptions.defaults(dir)), 6443))
                .isEqualTo("https://10.9.9.9:6443");
        assertThat(ServerAddresses.localUrl(config("127.0.0.1", "10.1.2.3"), 6443)).isEqualTo("http://127.0.0.1:6443");
        assertThat(ServerAddresses.localUrl(config("0.0.0.0", "10.1.2.3"), 6443)).isEqualTo("http://127.0.0.1:6443");
        assertThat(ServerAddresses.localUrl(config("::", null), 6443)).isEqualTo("http://[::1]:6443");
    }

    @Test
    void rewrittenWhenTheServerChangesAndOnlyThen() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        try (EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"))) {
            Resources resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
            try {
                Bootstrap.run(resources);
                GenericRegistry configMaps = resources.find("", "v1", "configmaps").orElseThrow();
                Bootstrap.clusterInfo(resources, "https://10.1.2.3:6443", pki.caCertificate());
                String version = configMaps.get("kube-public", "cluster-info").path("metadata")
                        .path("resourceVersion").asString();
                Bootstrap.clusterInfo(resources, "https://10.1.2.3:6443", pki.caCertificate());
                assertThat(configMaps.get("kube-public", "cluster-info").path("metadata").path("resourceVersion")
                        .asString()).as("unchanged: not written").isEqualTo(version);

                Bootstrap.clusterInfo(resources, "https://10.1.2.4:7443", pki.caCertificate());
                String kubeconfig = configMaps.get("kube-public", "cluster-info").path("data").path("kubeconfig")
                        .asString();
                assertThat(kubeconfig).contains("    server: https://10.1.2.4:7443\n")
                        .doesNotContain("10.1.2.3").contains("certificate-authority-data: ");
            } finally {
                resources.close();
            }
        }
    }

    @Test
    void aServerBoundToLoopbackPublishesItsAdvertiseAddressThere() throws Exception {
        // 127.0.0.2 is loopback too: an "advertise address" apart from the bind address without any interface
        try (TestServer server = TestServer.inTempDir().withConfig(c -> c.withAdvertiseAddress("127.0.0.2")
                .withSecurity(SecurityOptions.defaults(c.dataDir()).withNodeAddresses(List.of("127.0.0.2"))))
                .start()) {
            ApiServer api = server.server();
            // what a joining host does: read cluster-info anonymously at the advertised address, verifying it
            HttpClient anonymous = HttpClient.newBuilder()
                    .sslContext(TlsContexts.client(api.pki().caCertificate(), null)).build();
            HttpResponse<String> response = anonymous.send(HttpRequest.newBuilder(URI.create("https://127.0.0.2:"
                    + api.port() + "/api/v1/namespaces/kube-public/configmaps/cluster-info")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            String kubeconfig = Json.parse(response.body().getBytes(StandardCharsets.UTF_8)).path("data")
                    .path("kubeconfig").asString();
            assertThat(kubeconfig).contains("    server: https://127.0.0.2:" + api.port() + "\n");

            // discovery names the same address, as upstream's serverAddressByClientCIDRs does
            HttpClient admin = HttpClient.newBuilder()
                    .sslContext(TlsContexts.client(api.pki().caCertificate(), api.pki().admin())).build();
            HttpResponse<String> versions = admin.send(HttpRequest.newBuilder(URI.create(api.url() + "/api"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(Json.parse(versions.body().getBytes(StandardCharsets.UTF_8))
                    .path("serverAddressByClientCIDRs").get(0).path("serverAddress").asString())
                    .isEqualTo("127.0.0.2:" + api.port());
        }
    }
}
