package io.kube4j.apiserver.security;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * API Priority and Fairness with real identities: a Reject priority level with no seats and a flow schema for one
 * user refuse that user's requests with 429 before authorization, while the admin stays exempt.
 */
class FlowControlAccessTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();

    private static final String BASE = "/apis/flowcontrol.apiserver.k8s.io/v1/";

    private static HttpResponse<String> asJane(String path) {
        return server.get(server.anonymous(), path, "Authorization", "Bearer jane-token");
    }

    @Test
    void aRejectLevelRefusesItsUserAndTheAdminIsExempt() {
        // without flow control jane gets 403 here (no RBAC for her)
        assertThat(asJane("/api/v1/namespaces/default/configmaps").statusCode()).isEqualTo(403);
        assertThat(server.send(server.admin(), "POST", BASE + "prioritylevelconfigurations",
                "{\"metadata\":{\"name\":\"shut\"},\"spec\":{\"type\":\"Limited\",\"limited\":{"
                        + "\"nominalConcurrencyShares\":0,\"limitResponse\":{\"type\":\"Reject\"}}}}").statusCode())
                .isEqualTo(201);
        assertThat(server.send(server.admin(), "POST", BASE + "flowschemas",
                "{\"metadata\":{\"name\":\"jane\"},\"spec\":{\"priorityLevelConfiguration\":{\"name\":\"shut\"},"
                        + "\"matchingPrecedence\":100,\"rules\":[{\"subjects\":[{\"kind\":\"User\",\"user\":"
                        + "{\"name\":\"jane\"}}],\"resourceRules\":[{\"verbs\":[\"*\"],\"apiGroups\":[\"*\"],"
                        + "\"resources\":[\"*\"],\"namespaces\":[\"*\"],\"clusterScope\":true}]}]}}").statusCode())
                .isEqualTo(201);
        await().atMost(Duration.ofMinutes(1)).until(() -> asJane("/api/v1/namespaces/default/configmaps")
                .statusCode() == 429);
        HttpResponse<String> refused = asJane("/api/v1/namespaces/default/configmaps");
        assertThat(refused.body()).contains("\"reason\":\"TooManyRequests\"",
                "\"message\":\"Too many requests, please try again later.\"");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        String janeSchema = SecureServer.json(server.get(server.admin(), BASE + "flowschemas/jane"))
                .path("metadata").path("uid").asString();
        assertThat(refused.headers().firstValue("X-Kubernetes-PF-FlowSchema-UID")).hasValue(janeSchema);
        assertThat(server.get(server.admin(), "/api/v1/namespaces/default/configmaps").statusCode()).isEqualTo(200);
        assertThat(server.get(server.admin(), "/metrics").body()).contains(
                "apiserver_flowcontrol_rejected_requests_total{flow_schema=\"jane\",priority_level=\"shut\","
                        + "reason=\"concurrency-limit\"}");
    }
}
