package io.kube4j.kubelet.server;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.kube4j.kubelet.cri.RuntimeClient;
import io.kube4j.kubelet.kuberuntime.ConfigFactory;
import io.kube4j.kubelet.metrics.KubeletMetrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code kubectl logs --timestamps}: upstream's RFC3339NanoFixed in UTC, whatever form the runtime wrote. */
class LogTimestampsTest {

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

    @Test
    void conmonsNumericOffsetBecomesZuluWithNineDigits() {
        assertThat(LogTimestamps.format("2026-11-26T05:00:00.123456789+00:00")).isEqualTo("2026-11-26T05:00:00.123456789Z");
        // a node on local time: the same instant, in UTC
        assertThat(LogTimestamps.format("2026-11-26T06:00:00.123456789+01:00")).isEqualTo("2026-11-26T05:00:00.123456789Z");
    }

    @Test
    void containerdsTrimmedFractionIsPaddedToNineDigits() {
        assertThat(LogTimestamps.format("2026-11-26T05:00:00.12Z")).isEqualTo("2026-11-26T05:00:00.120000000Z");
        assertThat(LogTimestamps.format("2026-11-26T05:00:00Z")).isEqualTo("2026-11-26T05:00:00.000000000Z");
    }

    @Test
    void aPrefixThatIsNotATimeIsLeftAsItIs() {
        assertThat(LogTimestamps.format("garbage")).isEqualTo("garbage");
    }

    @Test
    void theContainerLogsEndpointPrintsUpstreamsTimestampsOncePerLogicalLine() throws Exception {
        Pod pod = new PodBuilder().withNewMetadata().withName("web").withNamespace("default").withUid("uid-1")
                .endMetadata().build();
        ConfigFactory configs = new ConfigFactory(dir.resolve("logs"), List.of(), "cluster.local");
        Path log = configs.podLogDirectory(pod).resolve("app").resolve("0.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, """
                2026-11-26T05:00:00.123456789+00:00 stdout F first
                2026-11-26T05:00:01.5+00:00 stderr P par
                2026-11-26T05:00:01.6+00:00 stderr F tial
                """);
        cri = new RuntimeClient(InProcessChannelBuilder.forName("no-runtime-" + System.nanoTime()).build());
        server = new KubeletServer(new InetSocketAddress("127.0.0.1", 0), cri, configs, () -> List.of(pod),
                new KubernetesSerialization(), null, null, null, null, new KubeletMetrics("node-a", null));

        assertThat(get("/containerLogs/default/web/app?timestamps=true")).isEqualTo("""
                2026-11-26T05:00:00.123456789Z first
                2026-11-26T05:00:01.500000000Z partial
                """);
        assertThat(get("/containerLogs/default/web/app")).isEqualTo("first\npartial\n");
        // sinceTime compares instants, so a Zulu bound still selects lines written with an offset
        assertThat(get("/containerLogs/default/web/app?sinceTime=2026-11-26T05:00:01Z")).isEqualTo("partial\n");
    }

    private String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.port() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
