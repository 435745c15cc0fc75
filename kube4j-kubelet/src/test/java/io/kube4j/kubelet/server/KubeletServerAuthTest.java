package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.server.auth.ApiServerReviews;
import io.kube4j.kubelet.server.auth.KubeletAuth;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLHandshakeException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The kubelet server in secure mode against a real, securely serving API server: TLS with a serving certificate of
 * the cluster CA, client certificates and bearer tokens authenticated, every request authorized by a
 * SubjectAccessReview on nodes/proxy|metrics|stats|log of its node.
 */
class KubeletServerAuthTest {

    @TempDir
    Path dir;

    Store store;
    ApiServer api;
    KubernetesClient kubeletClient;
    KubernetesClient admin;
    RuntimeClient cri;
    KubeletServer server;
    ClusterPki pki;
    ConfigFactory configs;
    final List<io.fabric8.kubernetes.api.model.Pod> pods = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Path tokens = dir.resolve("tokens.csv");
        Files.writeString(tokens, "viewer-token,viewer,uid-viewer\nproxier-token,proxier,uid-proxier\n");
        store = EmbeddedStore.open(dir.resolve("store"));
        api = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir)
                .withSecurity(SecurityOptions.defaults(dir).withTokenAuthFile(tokens)));
        pki = api.pki();
        admin = client(pki.admin(), "admin");
        // proxier may GET nodes/proxy of node-a, nothing else
        admin.resource(new ClusterRoleBuilder().withNewMetadata().withName("node-a-proxy").endMetadata()
                .addNewRule().withApiGroups("").withResources("nodes/proxy").withResourceNames("node-a")
                .withVerbs("get").endRule().build()).create();
        admin.resource(new ClusterRoleBindingBuilder().withNewMetadata().withName("proxier").endMetadata()
                .withNewRoleRef("rbac.authorization.k8s.io", "ClusterRole", "node-a-proxy")
                .addNewSubject().withKind("User").withName("proxier").endSubject().build()).create();
        kubeletClient = client(pki.kubelet("node-a"), "kubelet");
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        CertifiedKey serving = pki.kubeletServing("node-a", List.of("127.0.0.1"));
        ApiServerReviews reviews = new ApiServerReviews(kubeletClient);
        configs = new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local");
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri, configs, () -> List.copyOf(pods),
                new KubernetesSerialization(),
                new ServingTls(List.of(serving.certificate()), serving.key(), pki.caCertificate()),
                new KubeletAuth(pki.caCertificate(), reviews, reviews, "node-a"));
    }

    private KubernetesClient client(CertifiedKey key, String name) throws Exception {
        Path file = Kubeconfigs.write(dir.resolve(name + ".kubeconfig"), api.url(), pki.caCertificate(), key);
        return new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(file))).build();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (cri != null) {
            cri.close();
        }
        for (KubernetesClient c : new KubernetesClient[]{kubeletClient, admin}) {
            if (c != null) {
                c.close();
            }
        }
        if (api != null) {
            api.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private HttpResponse<String> send(HttpClient client, String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpClient https(CertifiedKey clientCertificate) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(pki.caCertificate(), clientCertificate)).build();
    }

    @Test
    void noCredentialsIsUnauthorizedEverywhereHealthzIncluded() throws Exception {
        for (String path : List.of("/pods", "/healthz", "/containerLogs/ns/p/c", "/metrics/resource")) {
            HttpResponse<String> response = send(https(null), "GET", path, null);
            assertThat(response.statusCode()).as(path).isEqualTo(401);
            assertThat(response.body()).isEqualTo("Unauthorized");
        }
    }

    @Test
    void aClientCertificateOfAnotherCaIsUnauthorized() throws Exception {
        // same CA name, another key: the client offers it, the kubelet must check the signature
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other-pki"), PkiOptions.defaults());
        assertThat(send(https(other.admin()), "GET", "/pods", null).statusCode()).isEqualTo(401);
    }

    @Test
    void anUnknownTokenIsUnauthorized() throws Exception {
        assertThat(send(https(null), "GET", "/pods", "no-such-token").statusCode()).isEqualTo(401);
    }

    @Test
    void aTokenTheApiServerAcceptsButRbacDoesNotAllowIsForbiddenWithUpstreamsMessage() throws Exception {
        HttpResponse<String> response = send(https(null), "GET", "/pods", "viewer-token");
        assertThat(response.statusCode()).isEqualTo(403);
        assertThat(response.body()).isEqualTo("Forbidden (user=viewer, verb=get, resource=nodes, subresource=proxy)");
    }

    @Test
    void aTokenAllowedNodesProxyGetPassesForThatVerbAndSubresourceOnly() throws Exception {
        HttpResponse<String> pods = send(https(null), "GET", "/pods", "proxier-token");
        assertThat(pods.statusCode()).isEqualTo(200);
        assertThat(pods.body()).contains("\"kind\":\"PodList\"");
        assertThat(send(https(null), "GET", "/healthz", "proxier-token").body()).isEqualTo("ok");
        HttpResponse<String> exec = send(https(null), "POST", "/exec/ns/p/c?command=true", "proxier-token");
        assertThat(exec.statusCode()).isEqualTo(403);
        assertThat(exec.body()).isEqualTo("Forbidden (user=proxier, verb=create, resource=nodes, subresource=proxy)");
        HttpResponse<String> metrics = send(https(null), "GET", "/metrics/resource", "proxier-token");
        assertThat(metrics.statusCode()).isEqualTo(403);
        assertThat(metrics.body()).contains("subresource=metrics");
    }

    @Test
    void theApiServersKubeletClientCertificateIsAllowed() throws Exception {
        HttpResponse<String> response = send(https(pki.kubeletApiClient()), "GET", "/pods", null);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"kind\":\"PodList\"");
    }

    @Test
    void aClientThatDoesNotTrustTheClusterCaCannotTalkToIt() throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other-pki"), PkiOptions.defaults());
        HttpClient distrusting = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(other.caCertificate(), null)).build();
        assertThatThrownBy(() -> send(distrusting, "GET", "/healthz", null))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void theApiServerReachesTheKubeletOverTlsWithItsKubeletClientCertificate() throws Exception {
        kubeletClient.nodes().resource(new io.fabric8.kubernetes.api.model.NodeBuilder().withNewMetadata()
                .withName("node-a").endMetadata().build()).create();
        kubeletClient.nodes().withName("node-a").editStatus(n -> new io.fabric8.kubernetes.api.model.NodeBuilder(n)
                .withNewStatus().addNewAddress("127.0.0.1", "InternalIP")
                .withNewDaemonEndpoints().withNewKubeletEndpoint(server.port()).endDaemonEndpoints().endStatus()
                .build());
        // no controller manager here to create it
        admin.serviceAccounts().inNamespace("default").resource(new io.fabric8.kubernetes.api.model.ServiceAccountBuilder()
                .withNewMetadata().withName("default").endMetadata().build()).create();
        io.fabric8.kubernetes.api.model.Pod wanted = new io.fabric8.kubernetes.api.model.PodBuilder().withNewMetadata()
                .withName("p").endMetadata().withNewSpec().withNodeName("node-a").addNewContainer().withName("c")
                .withImage("busybox").endContainer().endSpec().build();
        // admission reads service accounts from its cache: retry until it has seen the new one
        io.fabric8.kubernetes.api.model.Pod pod = org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> admin.pods().inNamespace("default").resource(wanted).create(), java.util.Objects::nonNull);
        pods.add(pod);
        Path logs = configs.podLogDirectory(pod).resolve("c");
        Files.createDirectories(logs);
        Files.writeString(logs.resolve("0.log"), "2026-01-01T00:00:00.000000000Z stdout F hello over tls\n");

        assertThat(admin.pods().inNamespace("default").withName("p").getLog()).isEqualTo("hello over tls\n");
        assertThat(admin.raw("/api/v1/nodes/node-a/proxy/pods")).contains("\"name\":\"p\"");
    }
}
