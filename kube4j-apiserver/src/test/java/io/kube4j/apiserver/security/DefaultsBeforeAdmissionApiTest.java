package io.kube4j.apiserver.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission sees the object defaulted, as upstream's decoding defaults it before any plugin runs: a pod that sets
 * only limits has its requests (defaulted from the limits) when ResourceQuota asks for them.
 */
class DefaultsBeforeAdmissionApiTest {
    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();

    @Test
    void aQuotaOnRequestsAdmitsAPodThatSetsOnlyLimits() {
        HttpClient admin = server.admin();
        server.createNamespace("limits-only", Map.of());
        String quotas = "/api/v1/namespaces/limits-only/resourcequotas";
        expect(201, server.send(admin, "POST", quotas, "{\"apiVersion\":\"v1\",\"kind\":\"ResourceQuota\","
                + "\"metadata\":{\"name\":\"compute\"},\"spec\":{\"hard\":{\"requests.cpu\":\"1\"}}}"));
        // what the quota controller (not running here) would write once it counted the namespace
        expect(200, server.send(admin, "PATCH", quotas + "/compute/status",
                "{\"status\":{\"hard\":{\"requests.cpu\":\"1\"},\"used\":{\"requests.cpu\":\"0\"}}}",
                "Content-Type", "application/merge-patch+json"));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> expect(200, server.get(admin, quotas + "?resourceVersion=0")).toString().contains("\"used\""));

        HttpResponse<String> created = server.send(admin, "POST", "/api/v1/namespaces/limits-only/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"limited\"},\"spec\":{\"containers\":"
                        + "[{\"name\":\"app\",\"image\":\"busybox\",\"resources\":{\"limits\":{\"cpu\":\"500m\"}}}]}}");

        ObjectNode pod = expect(201, created);
        assertThat(pod.at("/spec/containers/0/resources/requests/cpu").asString()).isEqualTo("500m");

        // and what it asks for is charged: a second one is over the quota
        HttpResponse<String> second = server.send(admin, "POST", "/api/v1/namespaces/limits-only/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"too-much\"},\"spec\":{\"containers\":"
                        + "[{\"name\":\"app\",\"image\":\"busybox\",\"resources\":{\"limits\":{\"cpu\":\"600m\"}}}]}}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(403);
        assertThat(SecureServer.json(second).path("message").asString()).isEqualTo("pods \"too-much\" is forbidden: "
                + "exceeded quota: compute, requested: requests.cpu=600m, used: requests.cpu=500m, limited: requests.cpu=1");
    }

    private static ObjectNode expect(int code, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return SecureServer.json(response);
    }
}
