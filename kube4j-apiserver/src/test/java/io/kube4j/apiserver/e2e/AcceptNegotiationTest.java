package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.endpoints.MediaTypes;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Accept header's weights on the main API, as upstream's negotiation reads them: a media range with q=0 accepts
 * nothing (alone: 406, a Status), and of the ranges served the heaviest wins - JSON, its Table conversion and YAML
 * (a protobuf range is answered with JSON).
 */
class AcceptNegotiationTest {

    private static final String NAMESPACES = "/api/v1/namespaces";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static HttpResponse<String> get(String path, String accept) {
        return server.get(path, "Accept", accept);
    }

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        assertThat(response.headers().firstValue("content-type").orElseThrow()).startsWith(MediaTypes.JSON);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aRangeWeighingZeroAcceptsNothing() throws Exception {
        JsonNode status = json(get(NAMESPACES, "application/json;q=0"), 406);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("NotAcceptable");
        assertThat(json(get(NAMESPACES, "text/html, application/json;q=0, */*;q=0"), 406)
                .path("reason").asString()).isEqualTo("NotAcceptable");

        assertThat(json(get(NAMESPACES, "application/json;q=0, */*;q=0.1"), 200).path("kind").asString())
                .isEqualTo("NamespaceList");
    }

    @Test
    void theHeaviestServedRangeWins() throws Exception {
        assertThat(json(get(NAMESPACES, "application/yaml;q=0.5, application/json"), 200).path("kind").asString())
                .isEqualTo("NamespaceList");
        // YAML weighs more here: it is served (YamlResponsesTest)
        assertThat(get(NAMESPACES, "application/json;q=0.1, application/yaml").headers().firstValue("content-type"))
                .hasValue(MediaTypes.YAML);

        String table = "application/json;as=Table;v=v1;g=meta.k8s.io";
        assertThat(json(get(NAMESPACES, "application/json;q=0.5, " + table), 200).path("kind").asString())
                .isEqualTo("Table");
        assertThat(json(get(NAMESPACES, table + ";q=0.5, application/json"), 200).path("kind").asString())
                .isEqualTo("NamespaceList");
        assertThat(json(get(NAMESPACES, table + ";q=0, application/json;q=0.2"), 200).path("kind").asString())
                .isEqualTo("NamespaceList");
    }

    @Test
    void aggregatedDiscoveryIsChosenByWeightToo() throws Exception {
        String v2 = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
        assertThat(json(get("/apis", "application/json;q=0.9, " + v2), 200).path("kind").asString())
                .isEqualTo("APIGroupDiscoveryList");
        assertThat(json(get("/apis", v2 + ";q=0.5, application/json"), 200).path("kind").asString())
                .isEqualTo("APIGroupList");
    }
}
