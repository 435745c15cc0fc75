package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAPI endpoints as kube-openapi's handlers answer: an ETag per document and form, 304 to a matching
 * If-None-Match, 406 (a Status) to an Accept naming nothing served, and v3 documents addressed by their hash.
 */
class OpenApiCachingTest {

    private static final String PROTOBUF_ASKED = "application/com.github.proto-openapi.spec.v2@v1.0+protobuf";
    private static final String PROTOBUF_SENT = "application/com.github.proto-openapi.spec.v2.v1.0+protobuf";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static String etag(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        String etag = response.headers().firstValue("etag").orElseThrow();
        assertThat(etag).matches("\"[0-9A-F]{128}\"");
        assertThat(response.headers().allValues("vary")).contains("Accept");
        return etag;
    }

    private static void assertNotModified(HttpResponse<String> response, String etag) {
        assertThat(response.statusCode()).isEqualTo(304);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("etag")).hasValue(etag);
    }

    private static void assertNotAcceptable(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(406);
        JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("NotAcceptable");
        assertThat(status.path("code").asInt()).isEqualTo(406);
        assertThat(status.path("message").asString()).contains("application/json");
    }

    @Test
    void v2AnswersConditionalRequestsPerForm() {
        String json = etag(cluster.server().get("/openapi/v2", "Accept", "application/json"));
        assertNotModified(cluster.server().get("/openapi/v2", "Accept", "application/json", "If-None-Match", json),
                json);
        assertNotModified(cluster.server().get("/openapi/v2", "If-None-Match", "\"other\", W/" + json), json);
        assertNotModified(cluster.server().get("/openapi/v2", "If-None-Match", "*"), json);
        assertThat(cluster.server().get("/openapi/v2", "If-None-Match", "\"other\"").statusCode()).isEqualTo(200);
        assertNotModified(cluster.server().send("HEAD", "/openapi/v2", null, null, "If-None-Match", json), json);

        HttpResponse<String> protobuf = cluster.server().get("/openapi/v2", "Accept", PROTOBUF_ASKED);
        String protobufTag = etag(protobuf);
        assertThat(protobuf.headers().firstValue("content-type")).hasValue(PROTOBUF_SENT);
        assertThat(protobufTag).isNotEqualTo(json);
        assertNotModified(cluster.server().get("/openapi/v2", "Accept", PROTOBUF_ASKED, "If-None-Match", protobufTag),
                protobufTag);
        // the JSON tag does not validate the protobuf form
        assertThat(cluster.server().get("/openapi/v2", "Accept", PROTOBUF_ASKED, "If-None-Match", json).statusCode())
                .isEqualTo(200);
    }

    @Test
    void acceptPicksTheFormOrRefusesWith406() {
        assertNotAcceptable(cluster.server().get("/openapi/v2", "Accept", "application/xml"));
        assertNotAcceptable(cluster.server().get("/openapi/v2", "Accept", "application/json;q=0"));
        assertNotAcceptable(cluster.server().get("/openapi/v3/apis/apps/v1", "Accept", "application/xml"));
        HttpResponse<String> weighted = cluster.server().get("/openapi/v2", "Accept",
                "application/xml, " + PROTOBUF_ASKED + ";q=0.4, application/json;q=0.5");
        assertThat(weighted.statusCode()).isEqualTo(200);
        assertThat(weighted.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        // a weight that is no qvalue weighs 0 (QValue): q=2 does not put protobuf first, q=abc refuses
        HttpResponse<String> outOfRange = cluster.server().get("/openapi/v2", "Accept",
                PROTOBUF_ASKED + ";q=2, application/json;q=0.5");
        assertThat(outOfRange.headers().firstValue("content-type").orElseThrow()).startsWith("application/json");
        assertNotAcceptable(cluster.server().get("/openapi/v2", "Accept", "application/json;q=abc"));
        assertThat(cluster.server().get("/openapi/v2", "Accept", "*/*").headers().firstValue("content-type")
                .orElseThrow()).startsWith("application/json");
        assertThat(cluster.server().get("/openapi/v3/api/v1", "Accept", "application/*").statusCode()).isEqualTo(200);
    }

    @Test
    void v3DocumentsAreTaggedWithTheirIndexHash() {
        JsonNode index = Json.parse(cluster.server().get("/openapi/v3").body().getBytes(StandardCharsets.UTF_8));
        String url = index.path("paths").path("apis/apps/v1").path("serverRelativeURL").asString();
        String hash = url.substring(url.indexOf("?hash=") + "?hash=".length());
        String etag = etag(cluster.server().get("/openapi/v3/apis/apps/v1"));
        assertThat(etag).isEqualTo("\"" + hash + "\"");
        assertNotModified(cluster.server().get("/openapi/v3/apis/apps/v1", "If-None-Match", etag), etag);

        HttpResponse<String> pinned = cluster.server().get(url);
        assertThat(pinned.statusCode()).isEqualTo(200);
        assertThat(pinned.headers().firstValue("cache-control")).hasValue("public, immutable");
        HttpResponse<String> stale = cluster.server().get("/openapi/v3/apis/apps/v1?hash=0123");
        assertThat(stale.statusCode()).isEqualTo(301);
        assertThat(stale.headers().firstValue("location")).hasValue(url);

        String indexTag = etag(cluster.server().get("/openapi/v3"));
        assertNotModified(cluster.server().get("/openapi/v3", "If-None-Match", indexTag), indexTag);
        assertThat(cluster.server().get("/openapi/v3/apis/nosuch.example.com/v1").statusCode()).isEqualTo(404);
    }
}
