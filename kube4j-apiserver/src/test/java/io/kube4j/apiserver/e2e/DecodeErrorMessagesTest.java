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
 * Bodies a create or an update cannot decode are refused with upstream's messages (apiserver's transformDecodeError),
 * and kubectl prints them as it does against upstream.
 */
class DecodeErrorMessagesTest {

    private static final String PODS = "/api/v1/namespaces/default/pods";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    private static JsonNode refused(String method, String path, String contentType, String body) {
        HttpResponse<String> response = server.send(method, path, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
        return status;
    }

    private static String pod(String name, String extra) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"spec\":{" + extra + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}";
    }

    @Test
    void strictUnknownFieldsNameTheBodysKindAndVersion() {
        JsonNode status = refused("POST", PODS + "?fieldValidation=Strict", "application/json",
                pod("strict", "\"foo\":1,"));
        assertThat(status.path("message").asString()).isEqualTo("Pod in version \"v1\" cannot be handled as a Pod: "
                + "strict decoding error: unknown field \"spec.foo\"");
        assertThat(server.get(PODS + "/strict").statusCode()).isEqualTo(404);

        assertThat(server.send("POST", PODS, "application/json", pod("put", "")).statusCode()).isEqualTo(201);
        JsonNode current = Json.parse(server.get(PODS + "/put").body().getBytes(StandardCharsets.UTF_8));
        String changed = current.toString().replace("\"spec\":{", "\"spec\":{\"bar\":true,");
        JsonNode update = refused("PUT", PODS + "/put?fieldValidation=Strict", "application/json", changed);
        assertThat(update.path("message").asString()).isEqualTo("Pod in version \"v1\" cannot be handled as a Pod: "
                + "strict decoding error: unknown field \"spec.bar\"");
    }

    @Test
    void aBodyWhoseKindCannotBeReadIsUnrecognized() {
        String truncated = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":";
        assertThat(refused("POST", PODS, "application/json", truncated).path("message").asString())
                .isEqualTo("the object provided is unrecognized (must be of type Pod): couldn't get version/kind; "
                        + "json parse error: unexpected end of JSON input ({\"apiVersion\":\"v1\",\"kind\":\"Pod ...)");
        assertThat(refused("POST", PODS, "application/json", "{\"a\" 1}").path("message").asString())
                .isEqualTo("the object provided is unrecognized (must be of type Pod): couldn't get version/kind; "
                        + "json parse error: invalid character '1' after object key ({\"a\" 1})");
        // not an object: Go names the struct it reads apiVersion and kind into; the summary is hex
        assertThat(refused("POST", PODS, "application/json", "[1]").path("message").asString())
                .isEqualTo("the object provided is unrecognized (must be of type Pod): couldn't get version/kind; "
                        + "json parse error: json: cannot unmarshal array into Go value of type struct { APIVersion "
                        + "string \"json:\\\"apiVersion,omitempty\\\"\"; Kind string \"json:\\\"kind,omitempty\\\"\" }"
                        + " (5b315d)");
        assertThat(refused("POST", PODS, "application/json", "").path("message").asString())
                .isEqualTo("the object provided is unrecognized (must be of type Pod): couldn't get version/kind; "
                        + "json parse error: unexpected end of JSON input (<empty>)");
        assertThat(refused("POST", PODS, "application/yaml", "a: b: c").path("message").asString())
                .startsWith("the object provided is unrecognized (must be of type Pod): error converting YAML to "
                        + "JSON: yaml: line 1: ");
    }

    @Test
    void emptyMetadataMapsAndListsAreNotKept() {
        String cms = "/api/v1/namespaces/default/configmaps";
        HttpResponse<String> created = server.send("POST", cms, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"empty-meta\",\"labels\":{},\"finalizers\":[],"
                + "\"annotations\":null}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        JsonNode metadata = Json.parse(created.body().getBytes(StandardCharsets.UTF_8)).path("metadata");
        assertThat(metadata.has("labels") || metadata.has("finalizers") || metadata.has("annotations")).isFalse();
        // what kubectl diff sends for an object without annotations
        HttpResponse<String> patched = server.send("PATCH", cms + "/empty-meta?dryRun=All",
                "application/strategic-merge-patch+json", "{\"metadata\":{\"annotations\":{}}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(Json.parse(patched.body().getBytes(StandardCharsets.UTF_8)).path("metadata").has("annotations"))
                .isFalse();
    }

    @Test
    void kubectlPrintsTheStrictErrorAsAgainstUpstream() throws Exception {
        Path file = server.dir().resolve("x.yaml");
        Files.writeString(file, """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: kubectl-strict
                spec:
                  foo: 1
                  containers:
                  - name: c
                    image: busybox
                """);
        Kubectl.Result result = kubectl.run("create", "-f", file.toString());
        assertThat(result.exit()).isNotZero();
        assertThat(result.err().strip()).isEqualTo("Error from server (BadRequest): error when creating \""
                + file + "\": Pod in version \"v1\" cannot be handled as a Pod: strict decoding error: "
                + "unknown field \"spec.foo\"");
    }
}
