package io.kube4j.apiserver.crd;

import io.kube4j.apiserver.e2e.TestServer;
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

/** fieldValidation for custom resources, over raw HTTP: unknown fields against the CRD's structural schema. */
class CustomResourceFieldValidationTest {

    private static final String CRD = """
            {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
             "metadata":{"name":"gadgets.fv.kube4j.io"},
             "spec":{"group":"fv.kube4j.io","scope":"Namespaced",
               "names":{"plural":"gadgets","singular":"gadget","kind":"Gadget"},
               "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
                 "schema":{"openAPIV3Schema":{"type":"object","properties":{
                   "spec":{"type":"object","properties":{
                     "size":{"type":"integer"},
                     "parts":{"type":"array","items":{"type":"object","properties":{"name":{"type":"string"}}}},
                     "free":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                     "labels":{"type":"object","additionalProperties":{"type":"string"}}}},
                   "status":{"type":"object","properties":{"ready":{"type":"boolean"}}}}}}}]}}""";
    private static final String GADGETS = "/apis/fv.kube4j.io/v1/namespaces/default/gadgets";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @BeforeAll
    static void start() {
        HttpResponse<String> crd = server.send("POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                "application/json", CRD);
        assertThat(crd.statusCode()).as(crd.body()).isEqualTo(201);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> server.get(GADGETS)
                .statusCode() == 200);
    }

    private static String gadget(String name) {
        return """
                {"apiVersion":"fv.kube4j.io/v1","kind":"Gadget","metadata":{"name":"%s","junkMeta":1},
                 "spec":{"size":1,"junk":true,"parts":[{"name":"a"},{"name":"b","extra":"x"}],
                         "free":{"anything":{"goes":1}},"labels":{"k":"v"}},
                 "topJunk":"y"}""".formatted(name);
    }

    @Test
    void strictRefusesEveryUnknownFieldWithUpstreamsPaths() {
        HttpResponse<String> response = server.send("POST", GADGETS + "?fieldValidation=Strict", "application/json",
                gadget("strict"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        JsonNode status = json(response);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("BadRequest");
        assertThat(status.path("message").asString()).isEqualTo("Gadget in version \"v1\" cannot be handled as a "
                + "Gadget: strict decoding error: unknown field \"metadata.junkMeta\", unknown field \"spec.junk\", "
                + "unknown field \"spec.parts[1].extra\", unknown field \"topJunk\"");
        assertThat(server.get(GADGETS + "/strict").statusCode()).isEqualTo(404);
    }

    @Test
    void warnPrunesAndSaysSo() {
        HttpResponse<String> response = server.send("POST", GADGETS + "?fieldValidation=Warn", "application/json",
                gadget("warned"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(String.join(", ", response.headers().allValues("Warning")))
                .contains("299 - \"unknown field \\\"spec.junk\\\"\"")
                .contains("unknown field \\\"spec.parts[1].extra\\\"")
                .contains("unknown field \\\"metadata.junkMeta\\\"");
        JsonNode stored = json(server.get(GADGETS + "/warned"));
        assertThat(stored.path("spec").has("junk")).isFalse();
        assertThat(stored.has("topJunk")).isFalse();
        assertThat(stored.path("spec").path("parts").get(1).has("extra")).isFalse();
        // preserved subtrees and maps are never unknown
        assertThat(stored.path("spec").path("free").path("anything").path("goes").asInt()).isEqualTo(1);
        assertThat(stored.path("spec").path("labels").path("k").asString()).isEqualTo("v");
    }

    @Test
    void ignoreAndTheDefaultPrune() {
        HttpResponse<String> ignored = server.send("POST", GADGETS + "?fieldValidation=Ignore", "application/json",
                gadget("ignored"));
        assertThat(ignored.statusCode()).as(ignored.body()).isEqualTo(201);
        assertThat(ignored.headers().allValues("Warning")).isEmpty();
        assertThat(json(ignored).path("spec").has("junk")).isFalse();

        // no parameter: upstream's server default is Warn
        HttpResponse<String> byDefault = server.send("POST", GADGETS, "application/json", gadget("defaulted"));
        assertThat(byDefault.statusCode()).as(byDefault.body()).isEqualTo(201);
        assertThat(byDefault.headers().allValues("Warning")).isNotEmpty();
    }

    @Test
    void aKnownObjectPassesStrict() {
        HttpResponse<String> response = server.send("POST", GADGETS + "?fieldValidation=Strict", "application/json", """
                {"apiVersion":"fv.kube4j.io/v1","kind":"Gadget","metadata":{"name":"clean","labels":{"a":"b"}},
                 "spec":{"size":2,"parts":[{"name":"a"}],"free":{"x":[1,2]}}}""");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.headers().allValues("Warning")).isEmpty();
    }

    @Test
    void patchesUpdatesAndApplyAreCheckedToo() {
        assertThat(server.send("POST", GADGETS, "application/json", """
                {"apiVersion":"fv.kube4j.io/v1","kind":"Gadget","metadata":{"name":"edited"},"spec":{"size":1}}""")
                .statusCode()).isEqualTo(201);

        HttpResponse<String> patch = server.send("PATCH", GADGETS + "/edited?fieldValidation=Strict",
                "application/merge-patch+json", "{\"spec\":{\"size\":3,\"nope\":1}}");
        // upstream's patch handler: 422 Invalid on field "patch", quoting the patched object
        assertThat(patch.statusCode()).as(patch.body()).isEqualTo(422);
        assertThat(json(patch).path("message").asString()).startsWith(" \"\" is invalid: patch: Invalid value: \"{")
                .endsWith("\": strict decoding error: unknown field \"spec.nope\"");

        JsonNode current = json(server.get(GADGETS + "/edited"));
        String put = current.toString().replace("\"size\":1", "\"size\":4,\"bad\":{}");
        HttpResponse<String> update = server.send("PUT", GADGETS + "/edited?fieldValidation=Strict", "application/json",
                put);
        assertThat(update.statusCode()).as(update.body()).isEqualTo(400);
        assertThat(json(update).path("message").asString()).contains("unknown field \"spec.bad\"");

        HttpResponse<String> apply = server.send("PATCH", GADGETS + "/edited?fieldManager=t&fieldValidation=Strict",
                "application/apply-patch+yaml", """
                        apiVersion: fv.kube4j.io/v1
                        kind: Gadget
                        metadata: {name: edited}
                        spec: {size: 5, applied: junk}
                        """);
        assertThat(apply.statusCode()).as(apply.body()).isEqualTo(400);
        assertThat(json(apply).path("message").asString()).isEqualTo("failed to create typed patch object "
                + "(/edited; fv.kube4j.io/v1, Kind=Gadget): .spec.applied: field not declared in schema");

        HttpResponse<String> status = server.send("PUT", GADGETS + "/edited/status?fieldValidation=Strict",
                "application/json", current.toString().replace("\"spec\":", "\"status\":{\"ready\":true,"
                        + "\"color\":\"red\"},\"spec\":"));
        assertThat(status.statusCode()).as(status.body()).isEqualTo(400);
        assertThat(json(status).path("message").asString()).contains("unknown field \"status.color\"");

        assertThat(json(server.get(GADGETS + "/edited")).path("spec").path("size").asInt()).isEqualTo(1);
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }
}
