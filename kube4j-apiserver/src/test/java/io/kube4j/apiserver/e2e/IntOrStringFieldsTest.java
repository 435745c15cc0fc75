package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * IntOrString fields published as upstream publishes them (v2: a string of format int-or-string; v3: oneOf integer
 * or string) still take both integers and strings wherever the server reads those schemas: strict field validation,
 * server-side apply, and kubectl explain, which names the type as upstream's does.
 */
class IntOrStringFieldsTest {

    private static final String APPLY = "application/apply-patch+yaml";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

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
        JsonNode one = json(cluster.server().send("POST", deployments, "application/json",
                deployment("surge-int", "1")), 201);
        assertThat(one.at("/spec/strategy/rollingUpdate/maxSurge").isInt()).isTrue();
        JsonNode percent = json(cluster.server().send("POST", deployments, "application/json",
                deployment("surge-percent", "\"25%\"")), 201);
        assertThat(percent.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("25%");
        String services = "/api/v1/namespaces/default/services?fieldValidation=Strict";
        assertThat(json(cluster.server().send("POST", services, "application/json",
                service("port-int", "8080")), 201).at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
        assertThat(json(cluster.server().send("POST", services, "application/json",
                service("port-name", "\"http\"")), 201).at("/spec/ports/0/targetPort").asString()).isEqualTo("http");
        // neither an object nor a fraction is an int-or-string
        HttpResponse<String> object = cluster.server().send("POST", deployments, "application/json",
                deployment("surge-object", "{\"a\":1}"));
        assertThat(object.statusCode()).as(object.body()).isEqualTo(400);
        assertThat(object.body()).contains("cannot unmarshal object into Go value of type int32");
        HttpResponse<String> fraction = cluster.server().send("POST", services, "application/json",
                service("port-frac", "1.5"));
        assertThat(fraction.statusCode()).as(fraction.body()).isEqualTo(400);
    }

    @Test
    void serverSideApplyTakesIntegersAndStrings() {
        String deployment = "/apis/apps/v1/namespaces/default/deployments/applied?fieldManager=a&fieldValidation=Strict";
        json(cluster.server().send("PATCH", deployment, APPLY, deployment("applied", "1")), 201);
        JsonNode changed = json(cluster.server().send("PATCH", deployment, APPLY,
                deployment("applied", "\"50%\"")), 200);
        assertThat(changed.at("/spec/strategy/rollingUpdate/maxSurge").asString()).isEqualTo("50%");
        JsonNode back = json(cluster.server().send("PATCH", deployment, APPLY, deployment("applied", "2")), 200);
        assertThat(back.at("/spec/strategy/rollingUpdate/maxSurge").asInt()).isEqualTo(2);
        String svc = "/api/v1/namespaces/default/services/applied?fieldManager=a&fieldValidation=Strict";
        json(cluster.server().send("PATCH", svc, APPLY, service("applied", "\"http\"")), 201);
        assertThat(json(cluster.server().send("PATCH", svc, APPLY, service("applied", "8080")), 200)
                .at("/spec/ports/0/targetPort").asInt()).isEqualTo(8080);
    }

    @Test
    void kubectlExplainNamesTheType() {
        assertThat(cluster.kubectl().run("explain", "deployment.spec.strategy.rollingUpdate.maxSurge").ok().out())
                .contains("FIELD: maxSurge <IntOrString>");
        assertThat(cluster.kubectl().run("explain", "service.spec.ports.targetPort").ok().out())
                .contains("FIELD: targetPort <IntOrString>");
        // the OpenAPI v2 renderer shows the v2 schema's type, as against upstream
        assertThat(cluster.kubectl().run("explain", "deployment.spec.strategy.rollingUpdate.maxSurge",
                "--output=plaintext-openapiv2").ok().out()).containsPattern("FIELD:\\s+maxSurge <string>");
    }
}
