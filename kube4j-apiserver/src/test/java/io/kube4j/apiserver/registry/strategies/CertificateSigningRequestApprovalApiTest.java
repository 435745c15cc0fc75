package io.kube4j.apiserver.registry.strategies;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * certificatesigningrequests/approval over HTTP as upstream serves it: discovery lists get, patch and update, and a
 * server-side apply through it (kubectl certificate approve uses an update; controllers may apply) is recorded as the
 * approval subresource's and owns the conditions only.
 */
class CertificateSigningRequestApprovalApiTest {

    private static final String CSRS = "/apis/certificates.k8s.io/v1/certificatesigningrequests";

    @TempDir
    static Path dir;
    static Store store;
    static ApiServer server;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir));
    }

    @AfterAll
    static void stop() {
        server.close();
        store.close();
    }

    private static HttpResponse<String> send(String method, String path, String contentType, String body)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path));
        if (body == null) {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", contentType).method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode ok(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void discoveryListsPatchOnApproval() throws Exception {
        JsonNode list = ok(send("GET", "/apis/certificates.k8s.io/v1", null, null), 200);
        for (JsonNode resource : list.path("resources")) {
            if (resource.path("name").asString().equals("certificatesigningrequests/approval")) {
                assertThat(resource.path("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");
                return;
            }
        }
        throw new AssertionError("no certificatesigningrequests/approval in " + list);
    }

    @Test
    void anApplyToApprovalIsServedAndOwnsTheConditionsOnly() throws Exception {
        String request = Base64.getEncoder().encodeToString(
                CertificateSigningRequestStrategyTest.pemRequest("node").getBytes(StandardCharsets.UTF_8));
        ok(send("POST", CSRS, "application/json", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"n1"},
                 "spec":{"request":"%s","signerName":"example.com/signer","usages":["client auth"]}}
                """.formatted(request)), 201);

        JsonNode applied = ok(send("PATCH", CSRS + "/n1/approval?fieldManager=approver",
                "application/apply-patch+yaml", """
                {"apiVersion":"certificates.k8s.io/v1","kind":"CertificateSigningRequest","metadata":{"name":"n1"},
                 "spec":{"signerName":"other.example.com/signer"},
                 "status":{"certificate":"Zm9v","conditions":[{"type":"Approved","status":"True","reason":"ByTest",
                   "message":"approved by the test","lastUpdateTime":"2026-01-01T00:00:00Z"}]}}
                """), 200);

        assertThat(applied.path("status").path("conditions").findValuesAsString("type")).containsExactly("Approved");
        assertThat(applied.path("status").has("certificate")).isFalse();
        assertThat(applied.path("spec").path("signerName").asString()).isEqualTo("example.com/signer");
        JsonNode entry = null;
        for (JsonNode e : applied.path("metadata").path("managedFields")) {
            if (e.path("manager").asString().equals("approver")) {
                entry = e;
            }
        }
        assertThat(entry).as(applied.toString()).isNotNull();
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("subresource").asString()).isEqualTo("approval");
        JsonNode fields = entry.path("fieldsV1");
        assertThat(fields.path("f:status").has("f:conditions")).as(fields.toString()).isTrue();
        assertThat(fields.path("f:status").has("f:certificate")).as(fields.toString()).isFalse();
        assertThat(fields.has("f:spec")).as(fields.toString()).isFalse();
    }
}
