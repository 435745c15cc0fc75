package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A ValidatingAdmissionPolicy's {@code status.typeChecking} as upstream's status controller writes it: each
 * generation's expressions checked against the kinds its matchConstraints name - built-in or served by a CRD - and
 * the warnings, with {@code observedGeneration}, applied by upstream's field manager; read back through the API and
 * with the real kubectl.
 */
class PolicyTypeCheckingApiTest {

    private static final String POLICIES = "/apis/admissionregistration.k8s.io/v1/validatingadmissionpolicies";
    private static final String YAML = "application/yaml";
    private static final String REPLICAS_ERROR = "apps/v1, Kind=Deployment: ERROR: <input>:1:22: found no matching "
            + "overload for '_==_' applied to '(int, string)'\n"
            + " | object.spec.replicas == 'x'\n"
            + " | .....................^\n";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static String policy(String name, String resourceRule, String expression) {
        return """
                apiVersion: admissionregistration.k8s.io/v1
                kind: ValidatingAdmissionPolicy
                metadata: {name: %s}
                spec:
                  matchConstraints:
                    resourceRules:
                    - %s
                  validations:
                  - expression: "%s"
                """.formatted(name, resourceRule, expression);
    }

    private static String deployments(String name, String expression) {
        return policy(name, "{apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}",
                expression);
    }

    private static void send(String method, String path, String contentType, String body, int expected) {
        HttpResponse<String> response = cluster.server().send(method, path, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    }

    /** The policy once its status observed {@code generation}. */
    private static ObjectNode observed(String name, long generation) {
        ObjectNode[] policy = new ObjectNode[1];
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpResponse<String> response = cluster.server().get(POLICIES + "/" + name);
            policy[0] = (ObjectNode) Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
            return policy[0].path("status").path("observedGeneration").asLong(0) == generation;
        });
        return policy[0];
    }

    @Test
    void aTypeErrorIsWarnedAtItsExpressionAndGoesWhenFixed() {
        send("POST", POLICIES, YAML, deployments("replicas-type", "object.spec.replicas == 'x'"), 201);

        ObjectNode policy = observed("replicas-type", 1);
        JsonNode warnings = policy.path("status").path("typeChecking").path("expressionWarnings");
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).path("fieldRef").asString()).isEqualTo("spec.validations[0].expression");
        assertThat(warnings.get(0).path("warning").asString()).isEqualTo(REPLICAS_ERROR);
        // written through the status subresource under upstream's controller name
        assertThat(policy.path("metadata").path("managedFields")).anySatisfy(entry -> {
            assertThat(entry.path("manager").asString()).isEqualTo("validatingadmissionpolicy-status-controller");
            assertThat(entry.path("subresource").asString()).isEqualTo("status");
        });

        // kubectl shows the warning as stored
        assertThat(cluster.kubectl().run("get", "validatingadmissionpolicy", "replicas-type", "-o",
                "jsonpath={.status.typeChecking.expressionWarnings[0].warning}").ok().out())
                .isEqualTo(REPLICAS_ERROR);
        assertThat(cluster.kubectl().run("get", "validatingadmissionpolicy", "replicas-type", "-o", "yaml").ok()
                .out()).contains("""
                status:
                  observedGeneration: 1
                  typeChecking:
                    expressionWarnings:
                    - fieldRef: spec.validations[0].expression
                      warning: |
                        apps/v1, Kind=Deployment: ERROR: <input>:1:22: found no matching overload""");

        send("PATCH", POLICIES + "/replicas-type", "application/merge-patch+json",
                "{\"spec\":{\"validations\":[{\"expression\":\"object.spec.replicas <= 5\"}]}}", 200);
        ObjectNode fixed = observed("replicas-type", 2);
        assertThat(fixed.path("status").path("typeChecking").toString()).isEqualTo("{}");
    }

    @Test
    void aPolicyWithoutTypeErrorsGetsAnEmptyTypeChecking() {
        send("POST", POLICIES, YAML, deployments("replicas-ok",
                "object.spec.replicas <= 5 && object.metadata.labels['app'] == 'web'"), 201);

        ObjectNode policy = observed("replicas-ok", 1);
        assertThat(policy.path("status").toString()).isEqualTo("{\"observedGeneration\":1,\"typeChecking\":{}}");
    }

    @Test
    void aCustomResourceIsCheckedAgainstItsCrdSchema() {
        send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", YAML, """
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: widgets.example.com}
                spec:
                  group: example.com
                  scope: Namespaced
                  names: {plural: widgets, singular: widget, kind: Widget}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema:
                      openAPIV3Schema:
                        type: object
                        properties:
                          spec: {type: object, properties: {size: {type: integer}}}
                """, 201);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                cluster.server().get("/apis/example.com/v1/widgets").statusCode() == 200);

        send("POST", POLICIES, YAML, policy("widget-size",
                "{apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}",
                "object.spec.size == 'big' && object.metadata.labels['a'] == 'b'"), 201);

        JsonNode warnings = observed("widget-size", 1).path("status").path("typeChecking")
                .path("expressionWarnings");
        assertThat(warnings).hasSize(1);
        // the published schema's metadata is ObjectMeta, labels and all: only the size comparison is wrong
        assertThat(warnings.get(0).path("warning").asString()).startsWith("example.com/v1, Kind=Widget: ERROR: ")
                .contains("found no matching overload for '_==_' applied to '(int, string)'")
                .doesNotContain("undefined field");
    }
}
