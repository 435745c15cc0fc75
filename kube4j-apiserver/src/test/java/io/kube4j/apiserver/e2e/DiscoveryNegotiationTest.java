package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Content negotiation where upstream does its own: discovery documents go through its codecs (JSON, YAML; 406 for
 * nothing acceptable), aggregated discovery too (in YAML when asked with the APIGroupDiscoveryList parameters),
 * /version is JSON only (a route that produces application/json: anything else is go-restful's plain-text 406),
 * and on resource lists the first acceptable clause wins - YAML before a Table of equal weight is the plain list in
 * YAML, a Table asked for in YAML a Table in YAML.
 */
class DiscoveryNegotiationTest {

    private static final String YAML = "application/yaml";
    private static final String TABLE = "application/json;as=Table;v=v1;g=meta.k8s.io";
    private static final String AGGREGATED = "g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode yaml(HttpResponse<String> response, String contentType) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue(contentType);
        assertThat(response.body()).as("YAML, not JSON").doesNotStartWith("{");
        return Json.YAML.readTree(response.body());
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        return Json.MAPPER.readTree(response.body());
    }

    @Test
    void discoveryDocumentsAreAnsweredInYaml() {
        for (String path : List.of("/api", "/apis", "/api/v1", "/apis/apps", "/apis/apps/v1")) {
            JsonNode asYaml = yaml(server.get(path, "Accept", YAML), YAML);
            assertThat(asYaml).as(path).isEqualTo(json(server.get(path), 200));
        }
        assertThat(yaml(server.get("/api/v1", "Accept", YAML), YAML).path("kind").asString())
                .isEqualTo("APIResourceList");
        // JSON weighing more wins, and a range is JSON
        json(server.get("/api/v1", "Accept", YAML + ";q=0.5, application/json"), 200);
        json(server.get("/apis", "Accept", "application/*"), 200);
    }

    @Test
    void discoveryAcceptingNothingServedIs406() {
        JsonNode status = json(server.get("/apis/apps/v1", "Accept", "text/html"), 406);
        assertThat(status.path("reason").asString()).isEqualTo("NotAcceptable");
        assertThat(status.path("message").asString()).isEqualTo("only the following media types are accepted: "
                + "application/json, application/yaml, application/vnd.kubernetes.protobuf");
        // a conversion the legacy document does not offer (a Table) is no answer either
        json(server.get("/api/v1", "Accept", TABLE), 406);
        // an unknown group is still not found first
        assertThat(json(server.get("/apis/nope.example.com/v1", "Accept", "text/html"), 404).path("reason")
                .asString()).isEqualTo("NotFound");
    }

    @Test
    void aggregatedDiscoveryIsAnsweredInYamlWhenAskedSo() {
        JsonNode asYaml = yaml(server.get("/apis", "Accept", YAML + ";" + AGGREGATED),
                YAML + ";" + AGGREGATED);
        assertThat(asYaml.path("kind").asString()).isEqualTo("APIGroupDiscoveryList");
        assertThat(asYaml).isEqualTo(json(server.get("/apis", "Accept", "application/json;" + AGGREGATED), 200));
        assertThat(server.get("/api", "Accept", YAML + ";" + AGGREGATED).headers().firstValue("content-type"))
                .hasValue(YAML + ";" + AGGREGATED);
    }

    @Test
    void versionIsJsonOnly() {
        assertThat(json(server.get("/version"), 200).path("major").asString()).isEqualTo("1");
        json(server.get("/version", "Accept", "application/json"), 200);
        json(server.get("/version", "Accept", "*/*"), 200);
        json(server.get("/version", "Accept", YAML + ", application/json;q=0.1"), 200);
        // refused by upstream's go-restful router, in its words: plain text, not a Status
        HttpResponse<String> refused = server.get("/version", "Accept", YAML);
        assertThat(refused.statusCode()).isEqualTo(406);
        assertThat(refused.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(refused.body()).isEqualTo("406: Not Acceptable");
    }

    @Test
    void aYamlClauseBeforeATableOfEqualWeightIsThePlainListInYaml() {
        String namespaces = "/api/v1/namespaces";
        JsonNode list = yaml(server.get(namespaces, "Accept", YAML + ", " + TABLE), YAML);
        assertThat(list.path("kind").asString()).isEqualTo("NamespaceList");
        // the other way round, the Table in JSON
        assertThat(json(server.get(namespaces, "Accept", TABLE + ", " + YAML), 200).path("kind").asString())
                .isEqualTo("Table");
        // a Table asked for in YAML
        JsonNode table = yaml(server.get(namespaces, "Accept", YAML + ";as=Table;v=v1;g=meta.k8s.io"), YAML);
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").get(0).path("name").asString()).isEqualTo("Name");
    }
}
