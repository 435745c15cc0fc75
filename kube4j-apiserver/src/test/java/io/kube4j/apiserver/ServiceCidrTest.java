package io.kube4j.apiserver;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code --service-cidr} reaches the API server (it was a worker flag only, so kube-dns at the range's .10 was refused
 * by an allocator still on 10.43.0.0/16): ClusterIPs come from the range, the kubernetes Service takes its first
 * address and the serving certificate names it, and an address outside it is refused in upstream's words.
 */
class ServiceCidrTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withConfig(c -> c.withSecurity(
            SecurityOptions.defaults(c.dataDir())).withServiceCidr("10.78.0.0/16"));

    @Test
    void clusterIpsTheKubernetesServiceAndTheServingCertificateFollowTheServiceCidr() throws Exception {
        ApiServer api = server.server();
        assertThat(ClusterPki.subjectAltNames(api.pki().serving().certificate())).contains("10.78.0.1")
                .doesNotContain("10.43.0.1");
        HttpClient admin = HttpClient.newBuilder()
                .sslContext(TlsContexts.client(api.pki().caCertificate(), api.pki().admin())).build();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                get(admin, api, "/api/v1/namespaces/default/services/kubernetes").path("spec")
                        .path("clusterIP").asString()).isEqualTo("10.78.0.1"));

        HttpResponse<String> dns = post(admin, api, service("kube-dns", "10.78.0.10"));
        assertThat(dns.statusCode()).as(dns.body()).isEqualTo(201);
        HttpResponse<String> any = post(admin, api, service("web", null));
        assertThat(any.statusCode()).as(any.body()).isEqualTo(201);
        assertThat(parse(any.body()).path("spec").path("clusterIP").asString()).startsWith("10.78.");

        HttpResponse<String> outside = post(admin, api, service("old", "10.43.0.10"));
        assertThat(outside.statusCode()).isEqualTo(422);
        assertThat(parse(outside.body()).path("details").path("causes").get(0).path("message").asString())
                .isEqualTo("Invalid value: [\"10.43.0.10\"]: failed to allocate IP 10.43.0.10: the provided"
                        + " IP (10.43.0.10) is not in the valid range. The range of valid IPs is 10.78.0.0/16");
    }

    private static String service(String name, String clusterIp) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                + (clusterIp == null ? "" : "\"clusterIP\":\"" + clusterIp + "\",")
                + "\"ports\":[{\"port\":53,\"protocol\":\"UDP\"}]}}";
    }

    private static JsonNode get(HttpClient client, ApiServer api, String path) throws Exception {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(api.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
        return parse(r.body());
    }

    private static HttpResponse<String> post(HttpClient client, ApiServer api, String body) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(api.url() + "/api/v1/namespaces/default/services"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode parse(String body) {
        return Json.parse(body.getBytes(StandardCharsets.UTF_8));
    }
}
