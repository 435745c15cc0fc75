package io.kube4j.apiserver.e2e;

import io.kube4j.api.protobuf.KubeProtobuf;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delete's options as upstream's delete handlers read them: from a DeleteOptions body when there is one (JSON from
 * kubectl, protobuf from client-go's typed clients) - then the query is not read - and otherwise from the query, for
 * one object and for a collection; validated as upstream's ValidateDeleteOptions (422 on DeleteOptions), and a
 * write's dryRun values as its options object's.
 */
class DeleteOptionsApiTest {

    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private static void configMap(String name, String labels) {
        HttpResponse<String> created = cluster.server().send("POST", CONFIGMAPS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                        + labels + "}},\"data\":{\"k\":\"v\"}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
    }

    private static HttpResponse<String> delete(String path, String body) {
        return cluster.server().send("DELETE", path, body == null ? null : "application/json", body);
    }

    private static int status(String name) {
        return cluster.server().get(CONFIGMAPS + "/" + name).statusCode();
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void kubectlDeleteDryRunStoresNothing() {
        configMap("kept", "");
        Kubectl.Result dry = cluster.kubectl().run("delete", "configmap", "kept", "--dry-run=server").ok();
        assertThat(dry.out()).contains("configmap \"kept\" deleted (server dry run)");
        assertThat(status("kept")).isEqualTo(200);
        cluster.kubectl().run("delete", "configmap", "kept").ok();
        assertThat(status("kept")).isEqualTo(404);
    }

    @Test
    void aBodysOptionsAreHonouredAndTheQueryIsThenNotRead() {
        configMap("body-dry", "");
        json(delete(CONFIGMAPS + "/body-dry", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\","
                + "\"dryRun\":[\"All\"]}"), 200);
        assertThat(status("body-dry")).isEqualTo(200);

        // a precondition in the body guards the delete
        JsonNode conflict = json(delete(CONFIGMAPS + "/body-dry", "{\"preconditions\":{\"uid\":\"not-its-uid\"}}"),
                409);
        assertThat(conflict.path("message").asString()).contains("Precondition failed: UID in precondition: "
                + "not-its-uid");

        // with a body, upstream decodes the options from it alone: a dryRun in the query does not count then
        json(delete(CONFIGMAPS + "/body-dry?dryRun=All", "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\"}"),
                200);
        assertThat(status("body-dry")).isEqualTo(404);
    }

    @Test
    void aProtobufBodyIsReadAsClientGoSendsIt() throws IOException, InterruptedException {
        configMap("proto-dry", "");
        ObjectNode options = Json.object();
        options.put("apiVersion", "v1");
        options.put("kind", "DeleteOptions");
        options.putArray("dryRun").add("All");
        HttpResponse<String> deleted = http.send(HttpRequest.newBuilder(
                        URI.create(cluster.server().url() + CONFIGMAPS + "/proto-dry"))
                .method("DELETE", HttpRequest.BodyPublishers.ofByteArray(KubeProtobuf.encode(options)))
                .header("Content-Type", KubeProtobuf.MEDIA_TYPE).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(deleted.statusCode()).as(deleted.body()).isEqualTo(200);
        assertThat(status("proto-dry")).isEqualTo(200);
    }

    @Test
    void aCollectionsOptionsComeFromItsBodyToo() {
        configMap("many-1", "\"set\":\"many\"");
        configMap("many-2", "\"set\":\"many\"");
        JsonNode listed = json(delete(CONFIGMAPS + "?labelSelector=set%3Dmany",
                "{\"kind\":\"DeleteOptions\",\"apiVersion\":\"v1\",\"dryRun\":[\"All\"]}"), 200);
        assertThat(listed.path("items").size()).isEqualTo(2);
        assertThat(status("many-1")).isEqualTo(200);
        assertThat(status("many-2")).isEqualTo(200);

        JsonNode refused = json(delete(CONFIGMAPS + "?labelSelector=set%3Dmany", "{\"dryRun\":[\"Some\"]}"), 422);
        assertThat(refused.path("message").asString()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\"");
        assertThat(status("many-1")).isEqualTo(200);
    }

    @Test
    void optionsAreValidatedAsUpstreamValidatesThem() {
        configMap("checked", "");
        JsonNode dryRun = json(delete(CONFIGMAPS + "/checked", "{\"dryRun\":[\"All\",\"Some\"]}"), 422);
        assertThat(dryRun.path("reason").asString()).isEqualTo("Invalid");
        assertThat(dryRun.path("details").path("kind").asString()).isEqualTo("DeleteOptions");
        assertThat(dryRun.path("details").path("group").asString()).isEqualTo("meta.k8s.io");
        assertThat(dryRun.path("details").path("causes").get(0).toString()).isEqualTo("{\"reason\":"
                + "\"FieldValueNotSupported\",\"message\":\"Unsupported value: []string{\\\"All\\\", \\\"Some\\\"}: "
                + "supported values: \\\"All\\\"\",\"field\":\"dryRun\"}");
        // the query's values are held to the same rule
        assertThat(json(delete(CONFIGMAPS + "/checked?dryRun=Some", null), 422).path("message").asString())
                .isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: dryRun: Unsupported value: "
                        + "[]string{\"Some\"}: supported values: \"All\"");

        JsonNode both = json(delete(CONFIGMAPS + "/checked", "{\"orphanDependents\":true,"
                + "\"propagationPolicy\":\"Orphan\"}"), 422);
        assertThat(both.path("message").asString()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Invalid value: \"Orphan\": orphanDependents and deletionPropagation cannot be "
                + "both set");
        JsonNode policy = json(delete(CONFIGMAPS + "/checked?propagationPolicy=Sideways", null), 422);
        assertThat(policy.path("message").asString()).isEqualTo("DeleteOptions.meta.k8s.io \"\" is invalid: "
                + "propagationPolicy: Unsupported value: \"Sideways\": supported values: \"Foreground\", "
                + "\"Background\", \"Orphan\", \"nil\"");

        // what Go cannot decode into a DeleteOptions is the client's mistake, in Go's words
        JsonNode typed = json(delete(CONFIGMAPS + "/checked", "{\"gracePeriodSeconds\":\"30\"}"), 400);
        assertThat(typed.path("message").asString()).isEqualTo("json: cannot unmarshal string into Go struct field "
                + "DeleteOptions.gracePeriodSeconds of type int64");
        json(delete(CONFIGMAPS + "/checked", "{\"kind\":\"Pod\",\"apiVersion\":\"v1\"}"), 400);
        assertThat(status("checked")).isEqualTo(200);
    }

    @Test
    void orphanDependentsFalseOnAnObjectOnlyMarkedIsAccepted() {
        HttpResponse<String> created = cluster.server().send("POST", CONFIGMAPS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"held\","
                        + "\"finalizers\":[\"example.com/hold\"]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // upstream answers 202 when the object is only marked and the client asked for it with orphanDependents=false
        JsonNode marked = json(delete(CONFIGMAPS + "/held", "{\"orphanDependents\":false}"), 202);
        assertThat(marked.path("metadata").has("deletionTimestamp")).isTrue();
        assertThat(marked.path("metadata").path("finalizers").toString()).isEqualTo("[\"example.com/hold\"]");
    }

    @Test
    void aWritesDryRunValuesAreItsOptionsAndReadsIgnoreTheParameter() {
        HttpResponse<String> create = cluster.server().send("POST", CONFIGMAPS + "?dryRun=Some", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"never\"}}");
        assertThat(json(create, 422).path("message").asString()).isEqualTo("CreateOptions.meta.k8s.io \"\" is "
                + "invalid: dryRun: Unsupported value: []string{\"Some\"}: supported values: \"All\"");
        configMap("read", "");
        assertThat(json(cluster.server().send("PATCH", CONFIGMAPS + "/read?dryRun=Some",
                "application/merge-patch+json", "{}"), 422).path("details").path("kind").asString())
                .isEqualTo("PatchOptions");
        // a read has no options to hold the parameter to
        assertThat(cluster.server().get(CONFIGMAPS + "/read?dryRun=Some").statusCode()).isEqualTo(200);
        assertThat(cluster.server().get(CONFIGMAPS + "?dryRun=Some").statusCode()).isEqualTo(200);
    }
}
