package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * fieldValidation on PATCH as upstream's patch handler answers it: a JSON, merge or strategic merge patch with
 * unknown fields under Strict is a 422 Invalid with one cause on field {@code patch} quoting the patched object (or,
 * for a strategic merge patch, the decoded patch); a server-side apply configuration with unknown fields is refused
 * whatever the directive, its duplicate keys only under Strict.
 */
class PatchFieldValidationTest {

    private static final String CMS = "/api/v1/namespaces/default/configmaps";
    private static final String STRICT = "?fieldValidation=Strict";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    private static void create(String name) {
        HttpResponse<String> created = server.send("POST", CMS, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"1\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static JsonNode invalid(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(422);
        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        assertThat(status.path("details").path("causes")).hasSize(1);
        JsonNode cause = status.path("details").path("causes").get(0);
        assertThat(cause.path("reason").asString()).isEqualTo("FieldValueInvalid");
        assertThat(cause.path("field").asString()).isEqualTo("patch");
        assertThat(status.path("message").asString()).isEqualTo(" \"\" is invalid: patch: "
                + cause.path("message").asString());
        return cause;
    }

    private static JsonNode current(String name) {
        return Json.parse(server.get(CMS + "/" + name).body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStrictStrategicMergePatchQuotesTheDecodedPatchAndListsDuplicatesFirst() {
        create("smp");
        JsonNode cause = invalid(server.send("PATCH", CMS + "/smp" + STRICT, "application/strategic-merge-patch+json",
                "{\"spec\":{\"x\":1,\"y\":\"a b\"},\"data\":{\"a\":\"2\",\"a\":\"3\"}}"));
        assertThat(cause.path("message").asString()).isEqualTo("Invalid value: \"map[data:map[a:3] spec:map[x:1 y:a b]]"
                + "\": strict decoding error: duplicate field \"a\", unknown field \"spec\"");
        assertThat(current("smp").path("data").path("a").asString()).isEqualTo("1");
    }

    @Test
    void aStrictMergePatchQuotesThePatchedObjectWithSortedKeys() {
        create("merge");
        JsonNode before = current("merge");
        JsonNode cause = invalid(server.send("PATCH", CMS + "/merge" + STRICT, "application/merge-patch+json",
                "{\"data\":{\"b\":\"<&>\"},\"spec\":{\"x\":1}}"));
        String message = cause.path("message").asString();
        assertThat(message).startsWith("Invalid value: \"{\\\"apiVersion\\\":\\\"v1\\\",\\\"data\\\":{\\\"a\\\":"
                + "\\\"1\\\",\\\"b\\\":\\\"\\\\u003c\\\\u0026\\\\u003e\\\"},\\\"kind\\\":\\\"ConfigMap\\\","
                + "\\\"metadata\\\":{")
                .contains("\\\"uid\\\":\\\"" + before.path("metadata").path("uid").asString() + "\\\"")
                .endsWith("\\\"spec\\\":{\\\"x\\\":1}}\": strict decoding error: unknown field \"spec\"");
        assertThat(current("merge").path("data").has("b")).isFalse();
    }

    @Test
    void aStrictJsonPatchIsRefusedTheSameWay() {
        create("jsonpatch");
        JsonNode cause = invalid(server.send("PATCH", CMS + "/jsonpatch" + STRICT, "application/json-patch+json",
                "[{\"op\":\"add\",\"path\":\"/metadata/colour\",\"value\":\"red\"}]"));
        assertThat(cause.path("message").asString()).startsWith("Invalid value: \"{\\\"apiVersion\\\":")
                .contains("\\\"colour\\\":\\\"red\\\"")
                .endsWith("\": strict decoding error: unknown field \"metadata.colour\"");
    }

    @Test
    void warnAndIgnoreStillPatch() {
        create("warned");
        HttpResponse<String> warned = server.send("PATCH", CMS + "/warned", "application/merge-patch+json",
                "{\"data\":{\"b\":\"2\"},\"spec\":{\"x\":1}}");
        assertThat(warned.statusCode()).as(warned.body()).isEqualTo(200);
        assertThat(warned.headers().firstValue("Warning").orElse("")).isEqualTo("299 - \"unknown field \\\"spec\\\"\"");
        HttpResponse<String> ignored = server.send("PATCH", CMS + "/warned?fieldValidation=Ignore",
                "application/merge-patch+json", "{\"data\":{\"c\":\"3\"},\"spec\":{\"x\":1}}");
        assertThat(ignored.statusCode()).as(ignored.body()).isEqualTo(200);
        assertThat(ignored.headers().firstValue("Warning")).isEmpty();
        assertThat(current("warned").path("data").size()).isEqualTo(3);
        assertThat(current("warned").has("spec")).isFalse();
    }

    @Test
    void kubectlApplyPatchesStrictlyByDefaultAndPrintsTheCause() throws Exception {
        Path file = server.dir().resolve("kubectl-apply.yaml");
        String manifest = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: kubectl-apply
                  namespace: default
                data: {a: "1"}
                """;
        Files.writeString(file, manifest);
        Kubectl.Result created = kubectl.run("apply", "-f", file.toString());
        assertThat(created.exit()).as(created.all()).isZero();
        // the second apply patches (strategic merge, fieldValidation=Strict as kubectl's --validate defaults to)
        Files.writeString(file, manifest + "spec: {x: 1}\n");
        Kubectl.Result refused = kubectl.run("apply", "-f", file.toString());
        assertThat(refused.exit()).as(refused.all()).isNotZero();
        assertThat(refused.err()).contains("The request is invalid: patch: Invalid value: \"map[metadata:map[",
                " spec:map[x:1]]\": strict decoding error: unknown field \"spec\"");
        assertThat(current("kubectl-apply").has("spec")).isFalse();
    }

    @Test
    void anApplyConfigurationWithUnknownFieldsIsRefusedWhateverTheDirective() {
        String applied = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: applied
                  namespace: default
                data: {a: "1"}
                spec: {x: 1}
                """;
        for (String directive : new String[] {"Strict", "Warn", "Ignore"}) {
            HttpResponse<String> response = server.send("PATCH", CMS + "/applied?fieldManager=m&fieldValidation="
                    + directive, "application/apply-patch+yaml", applied);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
            assertThat(Json.parse(response.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                    .isEqualTo("failed to create typed patch object (default/applied; /v1, Kind=ConfigMap): "
                            + ".spec: field not declared in schema");
        }
        assertThat(server.get(CMS + "/applied").statusCode()).isEqualTo(404);
    }

    @Test
    void anApplyConfigurationsDuplicateKeysAreRefusedOnlyWhenStrict() {
        String twice = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: applied-twice
                  name: applied-twice
                """;
        HttpResponse<String> strict = server.send("PATCH", CMS + "/applied-twice?fieldManager=m" + "&fieldValidation"
                + "=Strict", "application/apply-patch+yaml", twice);
        assertThat(strict.statusCode()).as(strict.body()).isEqualTo(400);
        assertThat(Json.parse(strict.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                .isEqualTo("error strict decoding YAML: error converting YAML to JSON: yaml: unmarshal errors:\n"
                        + "  line 5: key \"name\" already set in map");
        HttpResponse<String> warn = server.send("PATCH", CMS + "/applied-twice?fieldManager=m",
                "application/apply-patch+yaml", twice);
        assertThat(warn.statusCode()).as(warn.body()).isEqualTo(201);
        assertThat(warn.headers().firstValue("Warning").orElse("")).contains("key \\\"name\\\" already set in map");
    }
}
