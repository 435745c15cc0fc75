package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CRD validation rules (x-kubernetes-validations) through the API: a CRD whose rule does not compile is refused, a
 * custom resource that breaks a rule is refused on create, update, status update, patch and apply with one cause per
 * failed rule beside the schema's own errors, a transition rule keeps a field immutable, and kubectl prints the
 * refusal as it does against upstream.
 */
class CrdValidationRulesTest {

    private static final String CRDS = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private static final String WIDGETS = "/apis/cel.kube4j.io/v1/namespaces/default/widgets";
    private static final String CRD = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: widgets.cel.kube4j.io}
            spec:
              group: cel.kube4j.io
              scope: Namespaced
              names: {plural: widgets, singular: widget, kind: Widget}
              versions:
              - name: v1
                served: true
                storage: true
                subresources: {status: {}}
                schema:
                  openAPIV3Schema:
                    type: object
                    properties:
                      spec:
                        type: object
                        x-kubernetes-validations:
                        - rule: "self.replicas <= self.maxReplicas"
                          messageExpression: "'replicas (' + string(self.replicas) + ') must not exceed maxReplicas'"
                        - rule: "self.mode == oldSelf.mode"
                          message: "mode is immutable"
                          fieldPath: ".mode"
                        properties:
                          replicas: {type: integer, default: 1}
                          maxReplicas: {type: integer, maximum: 10}
                          mode: {type: string}
                      status:
                        type: object
                        x-kubernetes-validations:
                        - rule: "self.ready <= 3"
                          reason: FieldValueForbidden
                          fieldPath: ".ready"
                        properties:
                          ready: {type: integer}
            """;

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    @BeforeAll
    static void createCrd() {
        HttpResponse<String> created = cluster.server().send("POST", CRDS, "application/yaml", CRD);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.server().get(WIDGETS).statusCode() == 200);
    }

    private static String widget(String name, String spec) {
        return "{\"apiVersion\":\"cel.kube4j.io/v1\",\"kind\":\"Widget\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":" + spec + "}";
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aValidWidgetIsStoredAndAnInvalidOneRefusedWithEveryCause() {
        json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("good", "{\"maxReplicas\":3,\"mode\":\"fast\"}")), 201);

        JsonNode status = json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("bad", "{\"replicas\":12,\"maxReplicas\":11,\"mode\":\"fast\"}")), 422);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        assertThat(status.path("message").asString()).isEqualTo("Widget.cel.kube4j.io \"bad\" is invalid: ["
                + "spec.maxReplicas: Invalid value: 11: spec.maxReplicas in body should be less than or equal to 10, "
                + "spec: Invalid value: \"object\": replicas (12) must not exceed maxReplicas]");
        JsonNode cause = status.path("details").path("causes").get(1);
        assertThat(cause.path("reason").asString()).isEqualTo("FieldValueInvalid");
        assertThat(cause.path("field").asString()).isEqualTo("spec");
        assertThat(cause.path("message").asString())
                .isEqualTo("Invalid value: \"object\": replicas (12) must not exceed maxReplicas");
        assertThat(cluster.server().get(WIDGETS + "/bad").statusCode()).isEqualTo(404);
    }

    @Test
    void rulesDoNotRunOverValuesOfTheWrongTypeAndSaySo() {
        JsonNode status = json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("typed", "{\"replicas\":\"many\",\"maxReplicas\":1,\"mode\":\"fast\"}")), 422);
        assertThat(status.path("message").asString()).isEqualTo("Widget.cel.kube4j.io \"typed\" is invalid: ["
                + "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\", "
                + "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was "
                + "invalid; correct the existing errors to complete validation]");
    }

    @Test
    void rulesRunAfterDefaulting() {
        // replicas defaults to 1, above maxReplicas 0
        JsonNode status = json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("defaulted", "{\"maxReplicas\":0,\"mode\":\"fast\"}")), 422);
        assertThat(status.path("message").asString()).endsWith("replicas (1) must not exceed maxReplicas");
    }

    @Test
    void aTransitionRuleKeepsAFieldImmutableOnUpdatePatchAndApply() {
        JsonNode created = json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("fixed", "{\"maxReplicas\":3,\"mode\":\"fast\"}")), 201);
        ((tools.jackson.databind.node.ObjectNode) created.path("spec")).put("mode", "slow");
        JsonNode put = json(cluster.server().send("PUT", WIDGETS + "/fixed", "application/json", created.toString()),
                422);
        assertThat(put.path("details").path("causes").get(0).path("field").asString()).isEqualTo("spec.mode");
        assertThat(put.path("message").asString())
                .isEqualTo("Widget.cel.kube4j.io \"fixed\" is invalid: spec.mode: Invalid value: \"object\": mode is immutable");

        json(cluster.server().send("PATCH", WIDGETS + "/fixed", "application/merge-patch+json",
                "{\"spec\":{\"mode\":\"slow\"}}"), 422);
        json(cluster.server().send("PATCH", WIDGETS + "/fixed?fieldManager=test&force=true",
                "application/apply-patch+yaml", """
                        apiVersion: cel.kube4j.io/v1
                        kind: Widget
                        metadata: {name: fixed}
                        spec: {mode: slow}
                        """), 422);
        // other fields still change
        JsonNode patched = json(cluster.server().send("PATCH", WIDGETS + "/fixed", "application/merge-patch+json",
                "{\"spec\":{\"replicas\":2}}"), 200);
        assertThat(patched.path("spec").path("mode").asString()).isEqualTo("fast");
    }

    @Test
    void statusRulesRunOnStatusWrites() {
        json(cluster.server().send("POST", WIDGETS, "application/json",
                widget("counted", "{\"maxReplicas\":3,\"mode\":\"fast\"}")), 201);
        JsonNode status = json(cluster.server().send("PATCH", WIDGETS + "/counted/status",
                "application/merge-patch+json", "{\"status\":{\"ready\":4}}"), 422);
        JsonNode cause = status.path("details").path("causes").get(0);
        assertThat(cause.path("reason").asString()).isEqualTo("FieldValueForbidden");
        assertThat(cause.path("field").asString()).isEqualTo("status.ready");
        assertThat(cause.path("message").asString()).isEqualTo("Forbidden: failed rule: self.ready <= 3");
        json(cluster.server().send("PATCH", WIDGETS + "/counted/status", "application/merge-patch+json",
                "{\"status\":{\"ready\":3}}"), 200);
    }

    /** The CRD under another name, with {@code rule} for its status rule. */
    private static String withStatusRule(String plural, String kind, String rule) {
        return CRD.replace("widgets.cel.kube4j.io", plural + ".cel.kube4j.io")
                .replace("{plural: widgets, singular: widget, kind: Widget}",
                        "{plural: " + plural + ", kind: " + kind + "}")
                .replace("self.ready <= 3", rule);
    }

    @Test
    void aCrdWhoseRuleDoesNotCompileIsRefused() {
        JsonNode status = json(cluster.server().send("POST", CRDS, "application/yaml",
                withStatusRule("gizmos", "Gizmo", "self.readyy <= 3")), 422);
        JsonNode cause = status.path("details").path("causes").get(0);
        assertThat(cause.path("field").asString()).isEqualTo("spec.versions[0].schema.openAPIV3Schema"
                + ".properties[status].x-kubernetes-validations[0].rule");
        assertThat(cause.path("message").asString()).isEqualTo("Invalid value: \"self.readyy <= 3\": compilation "
                + "failed: ERROR: <input>:1:5: undefined field 'readyy'\n | self.readyy <= 3\n | ....^");
        assertThat(cluster.server().get(CRDS + "/gizmos.cel.kube4j.io").statusCode()).isEqualTo(404);
    }

    @Test
    void aRuleWithoutAMatchingOverloadIsRefusedInCelGosWords() {
        JsonNode status = json(cluster.server().send("POST", CRDS, "application/yaml",
                withStatusRule("doodads", "Doodad", "self.ready + 'x' <= 3")), 422);
        // cel-java would list the overloads it tried after it, cel-go does not
        assertThat(status.path("details").path("causes").get(0).path("message").asString()).isEqualTo(
                "Invalid value: \"self.ready + 'x' <= 3\": compilation failed: ERROR: <input>:1:12: found no "
                        + "matching overload for '_+_' applied to '(int, string)'\n | self.ready + 'x' <= 3\n"
                        + " | ...........^");
    }

    @Test
    void aCrdUpdateIsCheckedAndItsNewRulesApply() {
        String gadgets = "/apis/cel.kube4j.io/v1/namespaces/default/gadgets";
        String crd = CRD.replace("widgets.cel.kube4j.io", "gadgets.cel.kube4j.io")
                .replace("{plural: widgets, singular: widget, kind: Widget}", "{plural: gadgets, kind: Gadget}");
        json(cluster.server().send("POST", CRDS, "application/yaml", crd), 201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.server().get(gadgets).statusCode() == 200);
        String gadget = "{\"apiVersion\":\"cel.kube4j.io/v1\",\"kind\":\"Gadget\",\"metadata\":{\"name\":\"g\"},"
                + "\"spec\":{\"maxReplicas\":3,\"mode\":\"slow\"}}";
        json(cluster.server().send("POST", gadgets + "?dryRun=All", "application/json", gadget), 201);

        JsonNode stored = json(cluster.server().get(CRDS + "/gadgets.cel.kube4j.io"), 200);
        String broken = stored.toString().replace("self.replicas <= self.maxReplicas", "self.replicas <= self.max");
        JsonNode refused = json(cluster.server().send("PUT", CRDS + "/gadgets.cel.kube4j.io", "application/json",
                broken), 422);
        assertThat(refused.path("details").path("causes").get(0).path("field").asString()).isEqualTo("spec.versions[0]"
                + ".schema.openAPIV3Schema.properties[spec].x-kubernetes-validations[0].rule");

        String stricter = stored.toString().replace("self.replicas <= self.maxReplicas",
                "self.replicas <= self.maxReplicas && self.mode != 'slow'");
        json(cluster.server().send("PUT", CRDS + "/gadgets.cel.kube4j.io", "application/json", stricter), 200);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> cluster.server().send("POST",
                gadgets + "?dryRun=All", "application/json", gadget).statusCode() == 422);
    }

    @Test
    void kubectlPrintsTheRefusalAsUpstream() {
        Kubectl.Result refused = cluster.kubectl().run("apply", "-f", cluster.file("bad.yaml", """
                apiVersion: cel.kube4j.io/v1
                kind: Widget
                metadata: {name: kubectl-bad, namespace: default}
                spec: {replicas: 4, maxReplicas: 2, mode: fast}
                """).toString());
        assertThat(refused.exit()).isNotZero();
        assertThat(refused.err()).isEqualTo("The Widget \"kubectl-bad\" is invalid: spec: Invalid value: \"object\": "
                + "replicas (4) must not exceed maxReplicas\n");
    }
}
