package io.kube4j.apiserver.security;

import io.kube4j.apiserver.admission.webhook.TestWebhookServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.StoredBeforeValidation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Webhook configurations through the secure API server: invalid ones are refused with 422 and field causes,
 * valid ones get upstream's defaults, and a {@code clientConfig.service} webhook is reached through the Service's
 * EndpointSlice (pointing at a real HTTPS webhook on loopback) with its certificate checked for the service name.
 */
class WebhookConfigurationApiTest {

    private static final String CONFIGS = "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;
    static TestWebhookServer webhook;

    @BeforeAll
    static void start() throws Exception {
        admin = server.admin();
        webhook = new TestWebhookServer(List.of("guard.webhooks.svc"));
        webhook.handle("/deny", request -> new TestWebhookServer.Answer(
                TestWebhookServer.deny(request, 0, "not through the service"), 0));
        webhook.handle("/allow", request -> new TestWebhookServer.Answer(TestWebhookServer.allow(request, null), 0));
        for (String namespace : List.of("webhooks", "guarded", "dry")) {
            assertThat(server.send(admin, "POST", "/api/v1/namespaces", ("{\"apiVersion\":\"v1\",\"kind\":"
                    + "\"Namespace\",\"metadata\":{\"name\":\"%s\",\"labels\":{\"scenario\":\"%s\"}}}")
                    .formatted(namespace, namespace)).statusCode()).isEqualTo(201);
        }
        HttpResponse<String> service = server.send(admin, "POST", "/api/v1/namespaces/webhooks/services",
                "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"guard\"},\"spec\":{\"ports\":"
                        + "[{\"name\":\"https\",\"port\":443,\"targetPort\":8443}]}}");
        assertThat(service.statusCode()).as(service.body()).isEqualTo(201);
        HttpResponse<String> slice = server.send(admin, "POST",
                "/apis/discovery.k8s.io/v1/namespaces/webhooks/endpointslices",
                ("{\"apiVersion\":\"discovery.k8s.io/v1\",\"kind\":\"EndpointSlice\",\"metadata\":{\"name\":"
                        + "\"guard-1\",\"labels\":{\"kubernetes.io/service-name\":\"guard\"}},\"addressType\":\"IPv4\","
                        + "\"ports\":[{\"name\":\"https\",\"port\":%d,\"protocol\":\"TCP\"}],\"endpoints\":[{"
                        + "\"addresses\":[\"192.0.2.1\"],\"conditions\":{\"ready\":true}}]}").formatted(webhook.port()));
        assertThat(slice.statusCode()).as(slice.body()).isEqualTo(201);
        // the webhook listens on loopback, which validation refuses in a slice (as upstream's): changed in the store
        StoredBeforeValidation.replace(server.store(), "webhooks/guard-1", "\"192.0.2.1\"", "\"127.0.0.1\"");
        configure("guard", "/deny", "guarded");
        configure("dry", "/allow", "dry");
        // A configuration takes effect once the admission plugin's watch has seen it, as upstream: a dry run (nothing
        // stored) shows when the denying one is in force.
        await().atMost(Duration.ofSeconds(30)).until(() -> createConfigMap("guarded", "?dryRun=All").statusCode() == 400);
    }

    @AfterAll
    static void stop() {
        if (webhook != null) {
            webhook.close();
        }
    }

    private static void configure(String name, String path, String scenario) {
        HttpResponse<String> created = server.send(admin, "POST", CONFIGS, ("{\"apiVersion\":"
                + "\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\",\"metadata\":"
                + "{\"name\":\"%s\"},\"webhooks\":[{\"name\":\"%s.kube4j.test\",\"clientConfig\":{\"service\":"
                + "{\"namespace\":\"webhooks\",\"name\":\"guard\",\"path\":\"%s\"},\"caBundle\":\"%s\"},\"rules\":"
                + "[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":"
                + "[\"configmaps\"]}],\"namespaceSelector\":{\"matchLabels\":{\"scenario\":\"%s\"}},"
                + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"]}]}")
                .formatted(name, name, path, webhook.caBundle(), scenario));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static HttpResponse<String> createConfigMap(String namespace, String query) {
        return server.send(admin, "POST", "/api/v1/namespaces/" + namespace + "/configmaps" + query,
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}");
    }

    @Test
    void aServiceWebhookIsReachedThroughItsEndpointSlice() {
        HttpResponse<String> denied = createConfigMap("guarded", "");
        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(400);
        assertThat(Json.text(SecureServer.json(denied), "message"))
                .isEqualTo("admission webhook \"guard.kube4j.test\" denied the request: not through the service");
        assertThat(SecureServer.json(denied).has("reason")).isFalse();
        assertThat(webhook.sniNames).contains("guard.webhooks.svc");
        assertThat(server.get(admin, "/api/v1/namespaces/guarded/configmaps/c").statusCode()).isEqualTo(404);
    }

    @Test
    void aDryRunReachesAWebhookWithoutSideEffectsAndStoresNothing() {
        // repeated until the configuration is in force (see start): each dry run stores nothing either way
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> created = createConfigMap("dry", "?dryRun=All");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
            assertThat(webhook.received("/allow")).isNotEmpty();
        });
        assertThat(webhook.received("/allow"))
                .allSatisfy(review -> assertThat(review.path("request").path("dryRun").asBoolean()).isTrue());
        assertThat(server.get(admin, "/api/v1/namespaces/dry/configmaps/c").statusCode()).isEqualTo(404);
    }

    @Test
    void storedConfigurationsCarryUpstreamsDefaults() {
        ObjectNode stored = SecureServer.json(server.get(admin, CONFIGS + "/guard"));
        JsonNode hook = stored.path("webhooks").get(0);
        assertThat(hook.path("failurePolicy").asString()).isEqualTo("Fail");
        assertThat(hook.path("matchPolicy").asString()).isEqualTo("Equivalent");
        assertThat(hook.path("timeoutSeconds").asInt()).isEqualTo(10);
        assertThat(hook.path("objectSelector").isObject()).isTrue();
        assertThat(hook.path("clientConfig").path("service").path("port").asInt()).isEqualTo(443);
        assertThat(hook.path("rules").get(0).path("scope").asString()).isEqualTo("*");
    }

    @Test
    void anInvalidConfigurationIsRefusedWithFieldCauses() {
        HttpResponse<String> refused = server.send(admin, "POST", CONFIGS, "{\"apiVersion\":"
                + "\"admissionregistration.k8s.io/v1\",\"kind\":\"ValidatingWebhookConfiguration\",\"metadata\":"
                + "{\"name\":\"bad\"},\"webhooks\":[{\"name\":\"bad.kube4j.test\",\"clientConfig\":{\"url\":"
                + "\"http://127.0.0.1/x\"},\"rules\":[{\"operations\":[\"CREATE\"],\"apiGroups\":[\"\"],"
                + "\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\"]}],\"timeoutSeconds\":31,"
                + "\"admissionReviewVersions\":[\"v1\"]}]}");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        ObjectNode status = SecureServer.json(refused);
        assertThat(Json.text(status, "reason")).isEqualTo("Invalid");
        assertThat(Json.text(status, "message")).startsWith(
                "ValidatingWebhookConfiguration.admissionregistration.k8s.io \"bad\" is invalid: [");
        List<String> fields = new ArrayList<>();
        status.path("details").path("causes").forEach(cause -> fields.add(cause.path("field").asString()));
        assertThat(fields).containsExactlyInAnyOrder("webhooks[0].sideEffects", "webhooks[0].timeoutSeconds",
                "webhooks[0].clientConfig.url");
        assertThat(server.get(admin, CONFIGS + "/bad").statusCode()).isEqualTo(404);
    }

    @Test
    void anUpdateIsValidatedToo() {
        ObjectNode stored = SecureServer.json(server.get(admin, CONFIGS + "/dry"));
        ((ObjectNode) stored.path("webhooks").get(0)).put("failurePolicy", "Sometimes");
        HttpResponse<String> refused = server.send(admin, "PUT", CONFIGS + "/dry", stored.toString());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        assertThat(Json.text(SecureServer.json(refused), "message")).contains(
                "webhooks[0].failurePolicy: Unsupported value: \"Sometimes\": supported values: \"Fail\", \"Ignore\"");
    }
}
