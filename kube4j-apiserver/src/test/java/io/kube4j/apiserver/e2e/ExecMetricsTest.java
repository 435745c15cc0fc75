package io.kube4j.apiserver.e2e;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code kubectl exec} as /metrics counts it, as upstream's metrics do: the verb CONNECT for the exec subresource,
 * the switch's 101 once the stream has ended (upstream records a request when its handler returns, and an upgraded
 * request's handler returns when the stream ends), and a refusal under its own code.
 */
class ExecMetricsTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    private static FakeKubelet kubelet;

    private static final String EXEC_LABELS = "verb=\"CONNECT\",group=\"\",version=\"v1\",resource=\"pods\","
            + "subresource=\"exec\"";

    @BeforeAll
    static void start() throws IOException {
        kubelet = new FakeKubelet();
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: SPDY/3.1");
        expect(201, server.send("POST", "/api/v1/nodes", "application/json", "{\"metadata\":{\"name\":\"n1\"}}"));
        expect(200, server.send("PATCH", "/api/v1/nodes/n1/status", "application/merge-patch+json",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port() + "}}}}"));
        expect(201, server.send("POST", "/api/v1/namespaces/default/pods", "application/json",
                "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":\"n1\",\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"busybox\"}]}}"));
        expect(200, server.send("PATCH", "/api/v1/namespaces/default/pods/p/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"Running\"}}"));
    }

    @AfterAll
    static void stop() throws IOException {
        if (kubelet != null) {
            kubelet.close();
        }
    }

    @Test
    void anExecIsCountedAsConnectWhenItsStreamEnds() throws Exception {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            out.write(("POST /api/v1/namespaces/default/pods/p/exec?command=sh&stdin=true&stdout=true HTTP/1.1\r\n"
                    + "Host: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                    + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = client.getInputStream();
            assertThat(FakeKubelet.readHead(in)).startsWith("HTTP/1.1 101");
            out.write("ping".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
            assertThat(server.get("/metrics").body()).doesNotContain(EXEC_LABELS + ",code=\"101\"");
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.get("/metrics")
                .body()).contains("apiserver_request_total{" + EXEC_LABELS + ",code=\"101\"} 1\n",
                "apiserver_request_duration_seconds_count{" + EXEC_LABELS + "} 1\n"));

        // refused before any switch: counted at once, under the refusal's code
        HttpResponse<String> missing = server.send("POST",
                "/api/v1/namespaces/default/pods/nope/exec?command=true&stdout=true", null, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(server.get("/metrics").body()).contains("apiserver_request_total{" + EXEC_LABELS
                + ",code=\"404\"} 1\n");
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }
}
