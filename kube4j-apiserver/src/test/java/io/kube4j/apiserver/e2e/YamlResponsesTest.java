package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code Accept: application/yaml} over raw HTTP, as upstream answers it: objects, lists, write answers and Status
 * errors as YAML with that Content-Type; a watch refused with 406 (no YAML stream); JSON wherever JSON (or its Table)
 * weighs more.
 */
class YamlResponsesTest {

    private static final String YAML = "application/yaml";
    private static final String CONFIGMAPS = "/api/v1/namespaces/default/configmaps";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode yaml(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("content-type")).as(response.body()).hasValue(YAML);
        assertThat(response.body()).as("YAML, not JSON").doesNotStartWith("{");
        return Json.YAML.readTree(response.body());
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        return Json.MAPPER.readTree(response.body());
    }

    private static String configMap(String name, String value) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"data\":{\"script\":\"" + value + "\",\"count\":\"10\",\"flag\":\"true\",\"none\":\"null\","
                + "\"hex\":\"0x1F\",\"float\":\"1.5e3\",\"empty\":\"\",\"colon\":\"a: b\",\"yes\":\"yes\",\"date\":\"2026-01-01\"}}";
    }

    @Test
    void objectsAndListsAreYaml() {
        JsonNode created = yaml(server.send("POST", CONFIGMAPS, "application/json",
                configMap("read", "line one\\nline two\\n"), "Accept", YAML), 201);
        assertThat(created.path("metadata").path("uid").asString()).isNotEmpty();

        HttpResponse<String> got = server.get(CONFIGMAPS + "/read", "Accept", YAML);
        JsonNode object = yaml(got, 200);
        assertThat(object).isEqualTo(json(server.get(CONFIGMAPS + "/read"), 200));
        // sigs.k8s.io/yaml's shape: keys sorted, no document marker, a string that reads as a number quoted,
        // a multi-line string as a literal block
        assertThat(got.body()).startsWith("apiVersion: v1\ndata:\n  colon: \"a: b\"\n  count: \"10\"\n");
        assertThat(got.body()).contains("\n  script: |\n    line one\n");
        // strings a YAML 1.1 reader (go-yaml v2, under kubectl) would take for a number or a timestamp are quoted
        assertThat(got.body()).contains("\n  hex: \"0x1F\"\n", "\n  date: \"2026-01-01\"\n", "\n  flag: \"true\"\n");
        assertThat(object.path("data").path("script").asString()).isEqualTo("line one\nline two\n");

        JsonNode list = yaml(server.get(CONFIGMAPS, "Accept", YAML), 200);
        assertThat(list.path("kind").asString()).isEqualTo("ConfigMapList");
        assertThat(list.path("items")).anySatisfy(item ->
                assertThat(item.path("metadata").path("name").asString()).isEqualTo("read"));
    }

    @Test
    void writeAnswersAreYaml() {
        yaml(server.send("POST", CONFIGMAPS, "application/json", configMap("written", "a"), "Accept", YAML), 201);
        JsonNode updated = yaml(server.send("PUT", CONFIGMAPS + "/written", "application/json",
                configMap("written", "b"), "Accept", YAML), 200);
        assertThat(updated.path("data").path("script").asString()).isEqualTo("b");
        JsonNode patched = yaml(server.send("PATCH", CONFIGMAPS + "/written", "application/merge-patch+json",
                "{\"data\":{\"script\":\"c\"}}", "Accept", YAML), 200);
        assertThat(patched.path("data").path("script").asString()).isEqualTo("c");
        JsonNode applied = yaml(server.send("PATCH", CONFIGMAPS + "/written?fieldManager=yaml-test&force=true",
                "application/apply-patch+yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: written\n"
                        + "data:\n  script: d\n", "Accept", YAML), 200);
        assertThat(applied.path("data").path("script").asString()).isEqualTo("d");
        JsonNode deleted = yaml(server.send("DELETE", CONFIGMAPS + "/written", null, null, "Accept", YAML), 200);
        assertThat(deleted.path("details").path("name").asString()).isEqualTo("written");
    }

    @Test
    void statusErrorsAreYaml() {
        JsonNode missing = yaml(server.get(CONFIGMAPS + "/absent", "Accept", YAML), 404);
        assertThat(missing.path("kind").asString()).isEqualTo("Status");
        assertThat(missing.path("reason").asString()).isEqualTo("NotFound");
        assertThat(missing.path("code").asInt()).isEqualTo(404);

        JsonNode invalid = yaml(server.send("POST", CONFIGMAPS, "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Not_Valid\"}}",
                "Accept", YAML), 422);
        assertThat(invalid.path("reason").asString()).isEqualTo("Invalid");
    }

    @Test
    void aWatchIsNotServedAsYaml() {
        JsonNode refused = yaml(server.get(CONFIGMAPS + "?watch=true", "Accept", YAML), 406);
        assertThat(refused.path("reason").asString()).isEqualTo("NotAcceptable");
        assertThat(refused.path("message").asString()).contains("application/json;stream=watch")
                .doesNotContain("yaml");
    }

    @Test
    void jsonStandsWhereItWeighsMore() {
        assertThat(json(server.get(CONFIGMAPS, "Accept", "application/yaml;q=0.5, application/json"), 200)
                .path("kind").asString()).isEqualTo("ConfigMapList");
        assertThat(json(server.get(CONFIGMAPS, "Accept", "*/*"), 200).path("kind").asString())
                .isEqualTo("ConfigMapList");
        assertThat(json(server.get(CONFIGMAPS, "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io, " + YAML),
                200).path("kind").asString()).isEqualTo("Table");
        // nothing served is accepted: the 406 itself is JSON, as upstream writes a failed negotiation's Status
        assertThat(json(server.get(CONFIGMAPS, "Accept", "text/html"), 406).path("reason").asString())
                .isEqualTo("NotAcceptable");
        // a watch asked for in JSON is still served
        assertThat(server.get(CONFIGMAPS + "?watch=true&timeoutSeconds=1", "Accept", "application/json")
                .statusCode()).isEqualTo(200);
    }
}
