package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IntOrString fields published as upstream publishes them (v2: a string of format int-or-string; v3: oneOf integer
 * or string) still take both integers and strings wherever the server reads those schemas: strict field validation,
 * server-side apply, and kubectl explain, which names the type as upstream's does.
 */
class IntOrStringFieldsTest {

    private static final String APPLY = "application/apply-patch+yaml";

    @TempDir
    static Path dir;
    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().allValues("warning")).as(response.body()).isEmpty();
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String deployment(String name, String maxSurge) {
        return "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"strategy\":{\"type\":\"RollingUpdate\","
                + "\"rollingUpdate\":{\"maxSurge\":" + maxSurge + ",\"maxUnavailable\":0}},\"template\":"
                + "{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\",\"ports\":[{\"name\":\"http\",\"containerPort\":8080}]}]}}}}";
    }

    private static String service(String name, String targetPort) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Service\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":"
                + "{\"selector\":{\"a\":\"b\"},\"ports\":[{\"port\":80,\"targetPort\":" + targetPort + "}]}}";
    }

    @Test
    void strictValidationTakesIntegersAndStrings() {
        String deployments = "/apis/apps/v1/namespaces/default/deployments?fieldValidation=Strict";
        JsonNode one = json(server.send("POST", deployments, "application/json", deployment("surge-int", "1")), 201);
        assertThat(one.at("/spec/strategy/rollingUpdate/maxSurge").isInt()).isTrue();
        JsonNode percent = json(server.send("POST", deployments, "application/json",
                deployment("surge-percent", "\"25%\"")), 201);
        assertThat(percent.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("25%");
        String services = "/api/v1/namespaces/default/services?fieldValidation=Strict";
        assertThat(json(server.send("POST", services, "application/json", service("port-int", "8080")), 201)
                .at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
        assertThat(json(server.send("POST", services, "application/json", service("port-name", "\"http\"")), 201)
                .at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
        // neither an object nor a fraction is an int-or-string
        HttpResponse<String> object = server.send("POST", deployments, "application/json",
                deployment("surge-object", "{\"a\":1}"));
        assertThat(object.statusCode()).as(object.body()).isEqualTo(400);
        assertThat(object.body()).contains("cannot unmarshal object into Go value of type int32");
        HttpResponse<String> fraction = server.send("POST", services, "application/json", service("port-frac", "1.5"));
        assertThat(fraction.statusCode()).as(fraction.body()).isEqualTo(400);
    }

    @Test
    void serverSideApplyTakesIntegersAndStrings() {
        String deployment = "/apis/apps/v1/namespaces/default/deployments/applied?fieldManager=a&fieldValidation=Strict";
        json(server.send("PATCH", deployment, APPLY, deployment("applied", "1")), 201);
        JsonNode changed = json(server.send("PATCH", deployment, APPLY, deployment("applied", "\"50%\"")), 200);
        assertThat(changed.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("50%");
        JsonNode back = json(server.send("PATCH", deployment, APPLY, deployment("applied", "2")), 200);
        assertThat(back.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(2);
        String svc = "/api/v1/namespaces/default/services/applied?fieldManager=a&fieldValidation=Strict";
        json(server.send("PATCH", svc, APPLY, service("applied", "\"http\"")), 201);
        assertThat(json(server.send("PATCH", svc, APPLY, service("applied", "8080")), 200)
                .at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
    }

    @Test
    void kubectlExplainNamesTheType() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), dir);
        Kubectl.Result v3 = kubectl.run("explain", "deployment.spec.strategy.rollingUpdate.maxSurge");
        assertThat(v3.exit()).as(v3.all()).isZero();
        assertThat(v3.out()).contains("FIELD: maxSurge <IntOrString>");
        Kubectl.Result port = kubectl.run("explain", "service.spec.ports.targetPort");
        assertThat(port.exit()).as(port.all()).isZero();
        assertThat(port.out()).contains("FIELD: targetPort <IntOrString>");
        // the OpenAPI v2 renderer shows the v2 schema's type, as against upstream
        Kubectl.Result v2 = kubectl.run("explain", "deployment.spec.strategy.rollingUpdate.maxSurge",
                "--output=plaintext-openapiv2");
        assertThat(v2.exit()).as(v2.all()).isZero();
        assertThat(v2.out()).containsPattern("FIELD:\\s+maxSurge <string>");
    }
}
