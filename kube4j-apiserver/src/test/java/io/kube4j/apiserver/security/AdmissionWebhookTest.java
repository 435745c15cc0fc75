package io.kube4j.apiserver.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.KeyAlgorithm;
import io.kube4j.apiserver.pki.Pem;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Validating and mutating admission webhooks called over TLS with their caBundle: one that denies, one that
 * patches, and a slow one under failurePolicy Fail and Ignore. Each webhook applies to ConfigMaps of one
 * namespace, chosen by a namespace label.
 */
class AdmissionWebhookTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpsServer webhooks;
    static HttpClient admin;
    /** The AdmissionReview a webhook was sent last. */
    static volatile ObjectNode lastReview;

    /** An HTTPS server on a loopback port with a certificate {@code server}'s CA issued, not started yet. */
    static HttpsServer webhookServer(SecureServer server) throws Exception {
        KeyPair key = KeyAlgorithm.EC_P256.generate();
        CertifiedKey serving = new CertifiedKey(server.server().pki().authority().issueServing("webhook",
                List.of("127.0.0.1"), key.getPublic(), Instant.now(), Duration.ofDays(1)), key.getPrivate());
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 16);
        https.setHttpsConfigurator(new HttpsConfigurator(TlsContexts.client(server.server().pki().caCertificate(),
                serving)));
        https.setExecutor(Executors.newFixedThreadPool(4));
        return https;
    }

    @BeforeAll
    static void start() throws Exception {
        admin = server.admin();
        webhooks = webhookServer(server);
        webhooks.createContext("/deny", exchange -> answer(exchange, false, null, 0));
        webhooks.createContext("/patch", exchange -> answer(exchange, true,
                "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"patched\":\"yes\"}}]", 0));
        webhooks.createContext("/slow", exchange -> answer(exchange, true, null, 4000));
        webhooks.start();
        String caBundle = Base64.getEncoder().encodeToString(Pem.certificate(server.server().pki().caCertificate())
                .getBytes(StandardCharsets.UTF_8));
        configure("ValidatingWebhookConfiguration", "deny", "/deny", "Fail", caBundle);
        configure("MutatingWebhookConfiguration", "patch", "/patch", "Fail", caBundle);
        configure("ValidatingWebhookConfiguration", "slow-fail", "/slow", "Fail", caBundle);
        configure("ValidatingWebhookConfiguration", "slow-ignore", "/slow", "Ignore", caBundle);
    }

    @AfterAll
    static void stop() {
        if (webhooks != null) {
            webhooks.stop(0);
        }
    }

    private static void configure(String kind, String scenario, String path, String failurePolicy, String caBundle) {
        String plural = kind.toLowerCase(java.util.Locale.ROOT) + "s";
        HttpResponse<String> created = server.send(admin, "POST", "/apis/admissionregistration.k8s.io/v1/" + plural,
                ("{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"%s\",\"metadata\":{\"name\":\"%s\"},"
                        + "\"webhooks\":[{\"name\":\"%s.kube4j.test\",\"clientConfig\":{\"url\":\"https://127.0.0.1:%d%s\","
                        + "\"caBundle\":\"%s\"},\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],"
                        + "\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\"]}],\"namespaceSelector\":"
                        + "{\"matchLabels\":{\"webhook\":\"%s\"}},\"failurePolicy\":\"%s\",\"timeoutSeconds\":1,"
                        + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}]}")
                        .formatted(kind, scenario, scenario, webhooks.getAddress().getPort(), path, caBundle, scenario,
                                failurePolicy));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(server.send(admin, "POST", "/api/v1/namespaces", ("{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                + "\"metadata\":{\"name\":\"%s\",\"labels\":{\"webhook\":\"%s\"}}}").formatted(scenario, scenario))
                .statusCode()).isEqualTo(201);
    }

    private static void answer(HttpExchange exchange, boolean allowed, String patch, long delayMillis)
            throws IOException {
        try {
            ObjectNode review = (ObjectNode) Json.parse(exchange.getRequestBody().readAllBytes());
            lastReview = review;
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            ObjectNode response = Json.object();
            response.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            ObjectNode r = response.putObject("response");
            r.put("uid", Json.text(review, "request", "uid"));
            r.put("allowed", allowed);
            if (!allowed) {
                r.putObject("status").put("message", "no thanks");
            }
            if (patch != null) {
                r.put("patchType", "JSONPatch");
                r.put("patch", Base64.getEncoder().encodeToString(patch.getBytes(StandardCharsets.UTF_8)));
            }
            byte[] body = Json.bytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // the API server gave up waiting
        } finally {
            exchange.close();
        }
    }

    private static HttpResponse<String> createConfigMap(String namespace) {
        return server.send(admin, "POST", "/api/v1/namespaces/" + namespace + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}");
    }

    @Test
    void aDenyingWebhookRefusesAndNothingIsStored() {
        HttpResponse<String> denied = createConfigMap("deny");
        // upstream's ToStatusErr: a denial whose status carries no error code is a 400
        assertThat(denied.statusCode()).isEqualTo(400);
        assertThat(Json.text(SecureServer.json(denied), "message"))
                .isEqualTo("admission webhook \"deny.kube4j.test\" denied the request: no thanks");
        assertThat(server.get(admin, "/api/v1/namespaces/deny/configmaps/c").statusCode()).isEqualTo(404);
        // the create's options, as upstream's AdmissionRequest.options
        assertThat(lastReview.path("request").path("options")).isEqualTo(Json.parse(
                "{\"kind\":\"CreateOptions\",\"apiVersion\":\"meta.k8s.io/v1\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aMutatingWebhooksPatchIsStored() {
        HttpResponse<String> created = createConfigMap("patch");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(Json.text(SecureServer.json(server.get(admin, "/api/v1/namespaces/patch/configmaps/c")),
                "metadata", "labels", "patched")).isEqualTo("yes");
    }

    @Test
    void aTimeoutFailsTheRequestUnderFailurePolicyFail() {
        HttpResponse<String> failed = createConfigMap("slow-fail");
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(Json.text(SecureServer.json(failed), "message"))
                .startsWith("Internal error occurred: failed calling webhook \"slow-fail.kube4j.test\":");
        assertThat(server.get(admin, "/api/v1/namespaces/slow-fail/configmaps/c").statusCode()).isEqualTo(404);
    }

    @Test
    void aTimeoutIsIgnoredUnderFailurePolicyIgnore() {
        assertThat(createConfigMap("slow-ignore").statusCode()).isEqualTo(201);
    }

    @Test
    void webhooksDoNotApplyOutsideTheirSelector() {
        assertThat(server.send(admin, "POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                + "\"metadata\":{\"name\":\"plain\"}}").statusCode()).isEqualTo(201);
        HttpResponse<String> created = createConfigMap("plain");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).doesNotContain("patched");
    }
}
