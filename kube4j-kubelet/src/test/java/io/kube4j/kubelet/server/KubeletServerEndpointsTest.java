package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.metrics.KubeletMetrics;
import io.kube4j.kubelet.server.auth.KubeletAuth;
import io.kube4j.kubelet.server.stats.FakeStatsSource;
import io.kube4j.kubelet.server.stats.SummaryBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** /pods, /stats/summary and /metrics over HTTP, and a serving certificate that changes under a running server. */
class KubeletServerEndpointsTest {

    @TempDir
    Path dir;

    RuntimeClient cri;
    KubeletServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
        if (cri != null) {
            cri.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    private KubeletServer plain(SummaryBuilder summary, KubeletMetrics metrics, List<Pod> pods) throws Exception {
        // no runtime behind this channel: what needs one degrades, nothing else may
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        return new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri,
                new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local"), () -> pods,
                new KubernetesSerialization(), null, null, null, summary, metrics);
    }

    @Test
    @SuppressWarnings("unchecked")
    void statsSummaryIsTheSummaryJsonAndHonoursOnlyCpuAndMemory() throws Exception {
        server = plain(new SummaryBuilder("node-a", new FakeStatsSource()), new KubeletMetrics("node-a", null), List.of());
        HttpResponse<String> response = get("/stats/summary");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> summary = new KubernetesSerialization().unmarshal(response.body(), Map.class);
        assertThat((Map<String, Object>) summary.get("node")).containsEntry("nodeName", "node-a").containsKey("fs");
        Map<String, Object> pod = ((List<Map<String, Object>>) summary.get("pods")).get(0);
        assertThat((Map<String, Object>) pod.get("podRef")).containsEntry("name", "web").containsEntry("uid", "uid-1");
        assertThat(pod).containsKey("ephemeral-storage");

        Map<String, Object> small = new KubernetesSerialization().unmarshal(
                get("/stats/summary?only_cpu_and_memory=true").body(), Map.class);
        assertThat((Map<String, Object>) small.get("node")).containsKeys("cpu", "memory").doesNotContainKey("fs");
        assertThat(get("/stats/container").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsAndPodsAreServedEvenWhenTheRuntimeDoesNotAnswer() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
                .endMetadata().build();
        KubeletMetrics metrics = new KubeletMetrics("node-a", null);
        metrics.podStarted(Duration.ofMillis(300));
        server = plain(null, metrics, List.of(pod));
        HttpResponse<String> page = get("/metrics");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(page.body()).contains("kubelet_node_name{node=\"node-a\"} 1")
                .contains("kubelet_pod_start_duration_seconds_count 1").doesNotContain("kubelet_running_pods");
        String pods = get("/pods").body();
        assertThat(pods).contains("\"kind\":\"PodList\"").contains("\"apiVersion\":\"v1\"").contains("\"name\":\"web\"");
        // a kubelet given no stats source says so as upstream does for an unknown path
        assertThat(get("/stats/summary").statusCode()).isEqualTo(404);
    }

    /**
     * /metrics/cadvisor without a runtime to read: the machine's figures and container_scrape_error 1, not a failure;
     * /spec, cAdvisor's machine JSON that upstream removed in 1.21, is 404 as there.
     */
    @Test
    void cadvisorMetricsSayAScrapeErrorWhenTheRuntimeDoesNotAnswerAndSpecIsGone() throws Exception {
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri,
                new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local"), List::of, new KubernetesSerialization(),
                null, null, null, null, new KubeletMetrics("node-a", null), null,
                new CadvisorMetrics(cri, List::of, p -> "/kubepods/pod" + p.getMetadata().getUid()));

        HttpResponse<String> page = get("/metrics/cadvisor");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(page.body().lines()).contains("container_scrape_error 1")
                .anyMatch(l -> l.matches("machine_cpu_cores\\{boot_id=\".*\",machine_id=\".*\",system_uuid=\".*\"} "
                        + Runtime.getRuntime().availableProcessors() + " \\d+"))
                .anyMatch(l -> l.matches("machine_memory_bytes\\{.*} [1-9]\\d* \\d+"))
                .noneMatch(l -> l.startsWith("container_memory_working_set_bytes{"));
        assertThat(get("/spec").statusCode()).isEqualTo(404);
        assertThat(get("/spec/").statusCode()).isEqualTo(404);
    }

    /** A kubelet built without the cAdvisor source answers 404 there, as for any path it does not serve. */
    @Test
    void cadvisorMetricsAre404WithoutASource() throws Exception {
        server = plain(null, new KubeletMetrics("node-a", null), List.of());
        assertThat(get("/metrics/cadvisor").statusCode()).isEqualTo(404);
    }

    /** Upstream's /metrics/probes: prober_probe_total by container, pod, probe type and result; a gone pod's series go. */
    @Test
    void probeResultsAreCountedOnMetricsProbes() throws Exception {
        KubeletMetrics metrics = new KubeletMetrics("node-a", null);
        server = plain(null, metrics, List.of());
        metrics.probes().record("Readiness", "successful", "default", "web", "uid-1", "app");
        metrics.probes().record("Readiness", "successful", "default", "web", "uid-1", "app");
        metrics.probes().record("Liveness", "failed", "default", "web", "uid-1", "app");
        metrics.probes().record("Startup", "unknown", "other", "db", "uid-2", "sql");

        HttpResponse<String> page = get("/metrics/probes");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(page.body().lines()).containsExactly(
                "# HELP prober_probe_total [BETA] Cumulative number of a liveness, readiness or startup probe for a "
                        + "container by result.",
                "# TYPE prober_probe_total counter",
                "prober_probe_total{container=\"app\",namespace=\"default\",pod=\"web\",pod_uid=\"uid-1\","
                        + "probe_type=\"Liveness\",result=\"failed\"} 1",
                "prober_probe_total{container=\"app\",namespace=\"default\",pod=\"web\",pod_uid=\"uid-1\","
                        + "probe_type=\"Readiness\",result=\"successful\"} 2",
                "prober_probe_total{container=\"sql\",namespace=\"other\",pod=\"db\",pod_uid=\"uid-2\","
                        + "probe_type=\"Startup\",result=\"unknown\"} 1");

        metrics.probes().forgetPod("uid-1");
        assertThat(get("/metrics/probes").body()).doesNotContain("uid-1").contains("uid-2");
        // the main page does not carry them, as upstream's
        assertThat(get("/metrics").body()).doesNotContain("prober_probe_total");
    }

    /** Upstream's /configz: the running configuration as a v1beta1 KubeletConfiguration under "kubeletconfig". */
    @Test
    @SuppressWarnings("unchecked")
    void configzIsTheRunningConfigurationAsAKubeletConfiguration() throws Exception {
        io.kube4j.kubelet.KubeletOptions options = io.kube4j.kubelet.KubeletOptions.defaults("node-a",
                        dir.resolve("cri.sock"), dir.resolve("kubelet"))
                .withServer(new InetSocketAddress("127.0.0.1", 0)).withSyncFrequency(Duration.ofSeconds(90))
                .withClusterDns(List.of("10.43.0.10"), "cluster.local").withStaticPodPath(dir.resolve("manifests"))
                .withEvictionHard(io.kube4j.kubelet.eviction.Thresholds.parse("memory.available<200Mi,nodefs.available<5%"));
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri,
                new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local"), List::of,
                new KubernetesSerialization(), null, null, null, null, new KubeletMetrics("node-a", null),
                new Configz(options));

        HttpResponse<String> response = get("/configz");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        Map<String, Object> body = new KubernetesSerialization().unmarshal(response.body(), Map.class);
        assertThat(body).containsOnlyKeys("kubeletconfig");
        Map<String, Object> config = (Map<String, Object>) body.get("kubeletconfig");
        assertThat(config).containsEntry("kind", "KubeletConfiguration")
                .containsEntry("apiVersion", "kubelet.config.k8s.io/v1beta1")
                .containsEntry("syncFrequency", "1m30s")
                .containsEntry("nodeStatusUpdateFrequency", "10s")
                .containsEntry("nodeLeaseDurationSeconds", 40)
                .containsEntry("clusterDomain", "cluster.local")
                .containsEntry("clusterDNS", List.of("10.43.0.10"))
                .containsEntry("staticPodPath", dir.resolve("manifests").toString())
                .containsEntry("containerRuntimeEndpoint", "unix://" + dir.resolve("cri.sock"))
                .containsEntry("evictionHard", Map.of("memory.available", "200Mi", "nodefs.available", "5%"))
                .containsEntry("authorization", Map.of("mode", "AlwaysAllow"));
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/configz")).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);
        assertThat(get("/configz/x").statusCode()).isEqualTo(404);
    }

    @Test
    void aRotatedServingCertificateIsServedFromTheNextConnectionWithoutARestart() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        CertifiedKey first = pki.kubeletServing("node-a", List.of("127.0.0.1"));
        CertifiedKey second = pki.kubeletServing("node-b", List.of("127.0.0.1"));
        AtomicReference<ServingTls> current = new AtomicReference<>();
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        KubeletAuth auth = new KubeletAuth(pki.caCertificate(), token -> java.util.Optional.empty(),
                (user, attributes) -> false, "node-a");
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri,
                new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local"), List::of,
                new KubernetesSerialization(), current::get, pki.caCertificate(), auth, null,
                new KubeletMetrics("node-a", null));
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(pki.caCertificate(), null)).build();
        URI healthz = URI.create("https://127.0.0.1:" + server.port() + "/healthz");

        // none issued yet: no handshake, as upstream's kubelet before its CSR is signed
        assertThatThrownBy(() -> client.send(HttpRequest.newBuilder(healthz).build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
        current.set(new ServingTls(List.of(first.certificate()), first.key(), pki.caCertificate()));
        assertThat(servedCertificate(client, healthz)).isEqualTo(first.certificate());
        current.set(new ServingTls(List.of(second.certificate()), second.key(), pki.caCertificate()));
        assertThat(servedCertificate(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(pki.caCertificate(), null)).build(), healthz))
                .isEqualTo(second.certificate());
    }

    private static X509Certificate servedCertificate(HttpClient client, URI uri) throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        // no credentials: the handshake completes, the authenticator refuses
        assertThat(response.statusCode()).isEqualTo(401);
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }
}
