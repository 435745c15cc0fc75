package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.StoredBeforeValidation;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request answered by a protocol switch (here an upgrade through services/proxy to a backend that switches and
 * echoes) is counted and audited as upstream does: apiserver_request_total under the verb CONNECT with code 101 once
 * the switched connection has ended, and two audit events with one auditID - ResponseStarted when the 101 goes out,
 * ResponseComplete when the stream ends.
 */
class UpgradedRequestsAuditTest {

    private static final int INSECURE_PORT = TestServer.freePort();
    private static final String NS = "/api/v1/namespaces/default";
    private static final String URI_PATH = NS + "/services/ws/proxy/chat";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withConfig(c -> c.withSecurity(
            SecurityOptions.defaults(c.dataDir()).withInsecurePort(INSECURE_PORT)
                    .withAuditLogPath(c.dataDir().resolve("audit.log"))));

    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static FakeKubelet backend;

    @BeforeAll
    static void start() throws IOException {
        backend = new FakeKubelet();
        backend.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: echo/1");
        // no controller manager here: the ServiceAccount admission plugin needs the namespace's default account
        expect(201, send("POST", NS + "/serviceaccounts", "{\"metadata\":{\"name\":\"default\"}}",
                "application/json"));
        expect(201, send("POST", NS + "/pods", "{\"metadata\":{\"name\":\"backend\"},\"spec\":{\"containers\":"
                + "[{\"name\":\"c\",\"image\":\"busybox\"}]}}", "application/json"));
        expect(200, send("PATCH", NS + "/pods/backend/status", "{\"status\":{\"phase\":\"Running\","
                + "\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}]}}", "application/merge-patch+json"));
        expect(201, send("POST", NS + "/services", "{\"metadata\":{\"name\":\"ws\"},\"spec\":{\"ports\":"
                + "[{\"port\":80,\"targetPort\":" + backend.port() + "}]}}", "application/json"));
        // validation refuses a loopback endpoint: created on TEST-NET-1, then changed in the store
        expect(201, send("POST", NS + "/endpoints", "{\"metadata\":{\"name\":\"ws\"},\"subsets\":[{\"addresses\":"
                + "[{\"ip\":\"192.0.2.1\",\"targetRef\":{\"kind\":\"Pod\",\"name\":\"backend\",\"namespace\":"
                + "\"default\"}}],\"ports\":[{\"port\":" + backend.port() + "}]}]}", "application/json"));
        StoredBeforeValidation.replace(server.store(), "endpoints/default/ws", "\"192.0.2.1\"", "\"127.0.0.1\"");
        Awaitility.await().untilAsserted(() -> assertThat(send("GET", NS + "/endpoints/ws", null, null).body())
                .contains("\"127.0.0.1\""));
    }

    @AfterAll
    static void stop() throws IOException {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aSwitchedConnectionIsCountedAsConnectAndAuditedAtBothStages() throws Exception {
        Path log = server.dir().resolve("audit.log");
        try (Socket client = new Socket("127.0.0.1", INSECURE_PORT)) {
            client.setSoTimeout(30_000);
            OutputStream out = client.getOutputStream();
            out.write(("GET " + URI_PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n"
                    + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = client.getInputStream();
            assertThat(FakeKubelet.readHead(in)).startsWith("HTTP/1.1 101");
            out.write("ping".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");

            // while the stream lasts: started, not complete, and not yet counted (upstream counts it when it ends)
            Awaitility.await().untilAsserted(() -> assertThat(events(log, "ResponseStarted")).hasSize(1));
            assertThat(events(log, "ResponseComplete")).isEmpty();
            assertThat(metrics()).doesNotContain("subresource=\"proxy\",code=\"101\"");
        }

        Awaitility.await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(events(log, "ResponseComplete")).hasSize(1));
        ObjectNode started = events(log, "ResponseStarted").get(0);
        ObjectNode complete = events(log, "ResponseComplete").get(0);
        assertThat(Json.text(complete, "auditID")).isNotEmpty().isEqualTo(Json.text(started, "auditID"));
        for (ObjectNode event : List.of(started, complete)) {
            assertThat(event.path("responseStatus").path("code").asInt()).isEqualTo(101);
            assertThat(Json.text(event, "objectRef", "resource")).isEqualTo("services");
            assertThat(Json.text(event, "objectRef", "subresource")).isEqualTo("proxy");
            assertThat(Json.text(event, "objectRef", "name")).isEqualTo("ws");
        }
        // upstream's MicroTime: fixed width, so the text orders as the time does
        assertThat(Json.text(complete, "stageTimestamp")).isGreaterThanOrEqualTo(Json.text(started, "stageTimestamp"));

        Awaitility.await().untilAsserted(() -> assertThat(metrics()).contains(
                "apiserver_request_total{verb=\"CONNECT\",group=\"\",version=\"v1\",resource=\"services\","
                        + "subresource=\"proxy\",code=\"101\"} 1\n",
                "apiserver_request_duration_seconds_count{verb=\"CONNECT\",group=\"\",version=\"v1\","
                        + "resource=\"services\",subresource=\"proxy\"} 1\n"));
    }

    /** The audit events of the upgrade request at {@code stage}, in the order written. */
    private static List<ObjectNode> events(Path log, String stage) throws IOException {
        return Files.readAllLines(log).stream()
                .map(line -> (ObjectNode) Json.parse(line.getBytes(StandardCharsets.UTF_8)))
                .filter(e -> URI_PATH.equals(Json.text(e, "requestURI")) && stage.equals(Json.text(e, "stage")))
                .toList();
    }

    private static String metrics() {
        return send("GET", "/metrics", null, null).body();
    }

    /** Over the insecure loopback port: no credentials, everything allowed, still audited. */
    private static HttpResponse<String> send(String method, String path, String body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + INSECURE_PORT + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void expect(int status, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    }
}
