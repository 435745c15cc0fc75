package io.kube4j.apiserver.security;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.Pem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Webhook matchConditions against a real webhook server that refuses everything it is asked: a webhook whose
 * condition is false is not called, one whose conditions hold is, one whose condition errs follows its failurePolicy
 * (a false condition beside the error wins), an expression that does not compile is refused at its field, and the
 * {@code authorizer} library answers for the requesting user. Each scenario is a namespace of its own.
 */
class WebhookMatchConditionsTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpsServer webhooks;
    static HttpClient admin;
    static String caBundle;

    @BeforeAll
    static void start() throws Exception {
        admin = server.admin();
        webhooks = AdmissionWebhookTest.webhookServer(server);
        webhooks.createContext("/deny", WebhookMatchConditionsTest::deny);
        webhooks.start();
        caBundle = Base64.getEncoder().encodeToString(Pem.certificate(server.server().pki().caCertificate())
                .getBytes(StandardCharsets.UTF_8));
        configure("mc-false", "Fail", "{\"name\":\"never\",\"expression\":\"object.data.a == 'never'\"}");
        configure("mc-true", "Fail", "{\"name\":\"always\",\"expression\":\"object.data.a == 'b'\"},"
                + "{\"name\":\"create\",\"expression\":\"request.operation == 'CREATE'\"},"
                // declared as upstream's compiler declares it, null for a webhook
                + "{\"name\":\"typed\",\"expression\":"
                + "\"namespaceObject == null && request.userInfo.username != ''\"}");
        configure("mc-no-namespace-object", "Fail",
                "{\"name\":\"namespaced\",\"expression\":\"namespaceObject != null\"}");
        configure("mc-error-fail", "Fail", "{\"name\":\"broken\",\"expression\":\"object.data.missing == 'x'\"}");
        configure("mc-error-ignore", "Ignore", "{\"name\":\"broken\",\"expression\":\"object.data.missing == 'x'\"}");
        configure("mc-false-wins", "Fail", "{\"name\":\"broken\",\"expression\":\"object.data.missing == 'x'\"},"
                + "{\"name\":\"never\",\"expression\":\"object.data.a == 'never'\"}");
        configure("MutatingWebhookConfiguration", "mc-mutating-false", "Fail",
                "{\"name\":\"never\",\"expression\":\"object.data.a == 'never'\"}");
        configure("MutatingWebhookConfiguration", "mc-mutating-error", "Fail",
                "{\"name\":\"broken\",\"expression\":\"object.data.missing == 'x'\"}");
        configure("mc-authz", "Fail", "{\"name\":\"can-list-pods\",\"expression\":"
                + "\"authorizer.group('').resource('pods').check('list').allowed()\"}");
    }

    @AfterAll
    static void stop() {
        if (webhooks != null) {
            webhooks.stop(0);
        }
    }

    private static String configuration(String scenario, String failurePolicy, String conditions) {
        return configuration("ValidatingWebhookConfiguration", scenario, failurePolicy, conditions);
    }

    private static String configuration(String kind, String scenario, String failurePolicy, String conditions) {
        return ("{\"apiVersion\":\"admissionregistration.k8s.io/v1\",\"kind\":\"" + kind + "\","
                + "\"metadata\":{\"name\":\"%s\"},\"webhooks\":[{\"name\":\"%s.kube4j.test\",\"clientConfig\":"
                + "{\"url\":\"https://127.0.0.1:%d/deny\",\"caBundle\":\"%s\"},\"rules\":[{\"operations\":[\"CREATE\"],"
                + "\"apiGroups\":[\"\"],\"apiVersions\":[\"v1\"],\"resources\":[\"configmaps\"]}],"
                + "\"namespaceSelector\":{\"matchLabels\":{\"webhook\":\"%s\"}},\"failurePolicy\":\"%s\","
                + "\"sideEffects\":\"None\",\"admissionReviewVersions\":[\"v1\"],\"matchConditions\":[%s]}]}")
                .formatted(scenario, scenario, webhooks.getAddress().getPort(), caBundle, scenario, failurePolicy,
                        conditions);
    }

    private static void configure(String scenario, String failurePolicy, String conditions) {
        configure("ValidatingWebhookConfiguration", scenario, failurePolicy, conditions);
    }

    private static void configure(String kind, String scenario, String failurePolicy, String conditions) {
        HttpResponse<String> created = server.send(admin, "POST", "/apis/admissionregistration.k8s.io/v1/"
                + kind.toLowerCase(java.util.Locale.ROOT) + "s", configuration(kind, scenario, failurePolicy,
                conditions));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        server.createNamespace(scenario, Map.of("webhook", scenario));
    }

    private static void deny(HttpExchange exchange) throws IOException {
        try (exchange) {
            ObjectNode review = (ObjectNode) Json.parse(exchange.getRequestBody().readAllBytes());
            ObjectNode response = Json.object();
            response.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
            ObjectNode r = response.putObject("response");
            r.put("uid", Json.text(review, "request", "uid"));
            r.put("allowed", false);
            r.putObject("status").put("message", "called");
            byte[] body = Json.bytes(response);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    private static HttpResponse<String> createConfigMap(HttpClient client, String namespace, String... headers) {
        return server.send(client, "POST", "/api/v1/namespaces/" + namespace + "/configmaps",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}",
                headers);
    }

    @Test
    void aFalseConditionSkipsTheWebhook() {
        HttpResponse<String> created = createConfigMap(admin, "mc-false");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void conditionsThatHoldCallTheWebhook() {
        HttpResponse<String> denied = createConfigMap(admin, "mc-true");
        assertThat(denied.statusCode()).as(denied.body()).isEqualTo(400);
        assertThat(Json.text(SecureServer.json(denied), "message"))
                .isEqualTo("admission webhook \"mc-true.kube4j.test\" denied the request: called");
    }

    @Test
    void aWebhooksNamespaceObjectIsNull() {
        // as upstream: declared for every admission expression, but only policies are given the namespace
        HttpResponse<String> created = createConfigMap(admin, "mc-no-namespace-object");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void anErrorRefusesUnderFailurePolicyFailWithoutCallingTheWebhook() {
        HttpResponse<String> refused = createConfigMap(admin, "mc-error-fail");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        ObjectNode status = SecureServer.json(refused);
        assertThat(Json.text(status, "reason")).isEqualTo("Forbidden");
        assertThat(Json.text(status, "message")).isEqualTo("configmaps \"c\" is forbidden: expression "
                + "'object.data.missing == 'x'' resulted in error: no such key: missing");
        assertThat(server.get(admin, "/api/v1/namespaces/mc-error-fail/configmaps/c").statusCode()).isEqualTo(404);
    }

    @Test
    void anErrorSkipsTheWebhookUnderFailurePolicyIgnore() {
        HttpResponse<String> created = createConfigMap(admin, "mc-error-ignore");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void mutatingWebhooksFollowTheirConditionsToo() {
        HttpResponse<String> created = createConfigMap(admin, "mc-mutating-false");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> refused = createConfigMap(admin, "mc-mutating-error");
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    }

    @Test
    void aFalseConditionWinsOverAnError() {
        HttpResponse<String> created = createConfigMap(admin, "mc-false-wins");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    @Test
    void anExpressionThatDoesNotCompileIsRefusedAtItsField() {
        HttpResponse<String> refused = server.send(admin, "POST",
                "/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations",
                configuration("mc-invalid", "Fail", "{\"name\":\"ok\",\"expression\":\"true\"},"
                        + "{\"name\":\"typo\",\"expression\":\"object.data.a ==\"},"
                        + "{\"name\":\"string\",\"expression\":\"'not a bool'\"},"
                        + "{\"name\":\"no-params\",\"expression\":\"params.x == 1\"},"
                        + "{\"name\":\"no-field\",\"expression\":\"request.foo == 'x'\"}"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(422);
        ObjectNode status = SecureServer.json(refused);
        assertThat(Json.text(status, "reason")).isEqualTo("Invalid");
        List<String> fields = status.path("details").path("causes").valueStream()
                .map(c -> c.path("field").asString("")).toList();
        assertThat(fields).containsExactly("webhooks[0].matchConditions[1].expression",
                "webhooks[0].matchConditions[2].expression", "webhooks[0].matchConditions[3].expression",
                "webhooks[0].matchConditions[4].expression");
        assertThat(status.path("details").path("causes").get(1).path("message").asString())
                .isEqualTo("Invalid value: \"'not a bool'\": must evaluate to bool");
        assertThat(status.path("details").path("causes").get(2).path("message").asString())
                .contains("undeclared reference to 'params'");
        // request is upstream's AdmissionRequest type
        assertThat(status.path("details").path("causes").get(3).path("message").asString())
                .isEqualTo("Invalid value: \"request.foo == 'x'\": compilation failed: ERROR: <input>:1:8: "
                        + "undefined field 'foo'\n | request.foo == 'x'\n | .......^");
    }

    @Test
    void theAuthorizerChecksForTheRequestingUser() {
        // jane and bob may create ConfigMaps in mc-authz; only jane may list pods
        for (String body : List.of(
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
                        + "\"mc-cm\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"configmaps\"],\"verbs\":"
                        + "[\"create\"]}]}",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRole\",\"metadata\":{\"name\":"
                        + "\"mc-pods\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"list\"]}]}",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":"
                        + "{\"name\":\"mc-cm\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":"
                        + "\"ClusterRole\",\"name\":\"mc-cm\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"jane\"},"
                        + "{\"kind\":\"User\",\"name\":\"bob\"}]}",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"ClusterRoleBinding\",\"metadata\":"
                        + "{\"name\":\"mc-pods\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":"
                        + "\"ClusterRole\",\"name\":\"mc-pods\"},\"subjects\":[{\"kind\":\"User\",\"name\":\"jane\"}]}")) {
            String plural = body.contains("\"ClusterRoleBinding\"") ? "clusterrolebindings" : "clusterroles";
            HttpResponse<String> created = server.send(admin, "POST",
                    "/apis/rbac.authorization.k8s.io/v1/" + plural, body);
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
        HttpClient tokens = server.anonymous();
        // the RBAC cache catches up with the bindings: jane's answer changes from 403 (no create) to the webhook's
        HttpResponse<String> jane = createConfigMap(tokens, "mc-authz", "Authorization", "Bearer jane-token");
        for (int i = 0; i < 100 && jane.statusCode() == 403; i++) {
            sleep();
            jane = createConfigMap(tokens, "mc-authz", "Authorization", "Bearer jane-token");
        }
        assertThat(jane.statusCode()).as(jane.body()).isEqualTo(400);
        assertThat(Json.text(SecureServer.json(jane), "message")).endsWith("denied the request: called");
        HttpResponse<String> bob = createConfigMap(tokens, "mc-authz", "Authorization", "Bearer bob-token");
        assertThat(bob.statusCode()).as(bob.body()).isEqualTo(201);
    }

    private static void sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
