package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A list larger than the gzip threshold through the real server: streamed from stored bytes (chunked, gzip on
 * request), the same items as its pages, still a Table for kubectl; and HEAD on resources and discovery answered
 * as GET without a body.
 */
class LargeListAndHeadTest {

    private static final int CONFIG_MAPS = 150;
    private static final String LIST = "/api/v1/namespaces/default/configmaps";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        String value = "v".repeat(1024);
        for (int i = 0; i < CONFIG_MAPS; i++) {
            HttpResponse<String> created = server.send("POST", LIST, "application/json",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + (1000 + i)
                            + "\",\"labels\":{\"i\":\"" + i % 3 + "\"}},\"data\":{\"k\":\"" + value + "\"}}");
            assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        }
    }

    private static HttpResponse<byte[]> request(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(byte[] body) {
        return Json.parse(body);
    }

    @Test
    void aLargeListIsStreamedAndHoldsWhatItsPagesHold() throws Exception {
        HttpResponse<byte[]> whole = request("GET", LIST);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("transfer-encoding")).hasValue("chunked");
        assertThat(whole.headers().firstValue("content-length")).isEmpty();
        JsonNode list = json(whole.body());
        assertThat(list.path("kind").asString()).isEqualTo("ConfigMapList");
        assertThat(list.path("items")).hasSize(CONFIG_MAPS);

        List<JsonNode> paged = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = json(request("GET", LIST + "?limit=40" + (token.isEmpty() ? "" : "&continue=" + token))
                    .body());
            page.path("items").forEach(paged::add);
            token = page.path("metadata").path("continue").asString("");
        } while (!token.isEmpty());
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        assertThat(paged).isEqualTo(items);

        HttpResponse<byte[]> gzipped = request("GET", LIST, "Accept-Encoding", "gzip");
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertThat(in.readAllBytes()).as("nothing was written in between").isEqualTo(whole.body());
        }
    }

    @Test
    void selectorsAndTablesStillWork() {
        JsonNode selected = json(request("GET", LIST + "?labelSelector=i%3D1").body());
        assertThat(selected.path("items")).hasSize(CONFIG_MAPS / 3);
        JsonNode byName = json(request("GET", LIST + "?fieldSelector=metadata.name%3Dcm-1007").body());
        assertThat(byName.path("items").findValuesAsString("name")).containsExactly("cm-1007");
        JsonNode table = json(request("GET", LIST, "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io").body());
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("rows")).hasSize(CONFIG_MAPS);
        JsonNode cached = json(request("GET", LIST + "?resourceVersion=0").body());
        assertThat(cached.path("items")).hasSize(CONFIG_MAPS);
    }

    @Test
    void aLargeTableIsStreamedAndCarriesWhatTheListCarries() throws Exception {
        String table = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        JsonNode list = json(request("GET", LIST).body());
        HttpResponse<byte[]> whole = request("GET", LIST + "?includeObject=Object", "Accept", table);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.headers().firstValue("transfer-encoding")).as("over the gzip threshold").hasValue("chunked");
        JsonNode objects = json(whole.body());
        assertThat(objects.path("kind").asString()).isEqualTo("Table");
        assertThat(objects.path("metadata").path("resourceVersion").asString())
                .isEqualTo(list.path("metadata").path("resourceVersion").asString());
        assertThat(objects.path("columnDefinitions").findValuesAsString("name")).containsExactly("Name", "Data", "Age");
        assertThat(objects.path("rows")).hasSize(CONFIG_MAPS);
        JsonNode metadataOnly = json(request("GET", LIST, "Accept", table).body());
        assertThat(metadataOnly.path("rows")).hasSize(CONFIG_MAPS);
        for (int i = 0; i < CONFIG_MAPS; i++) {
            JsonNode item = list.path("items").get(i);
            JsonNode row = objects.path("rows").get(i);
            assertThat(row.path("object")).isEqualTo(item);
            assertThat(row.path("cells").get(0).asString()).isEqualTo(item.path("metadata").path("name").asString());
            assertThat(row.path("cells").get(1).asInt()).isEqualTo(1);
            JsonNode partial = metadataOnly.path("rows").get(i).path("object");
            assertThat(partial.path("kind").asString()).isEqualTo("PartialObjectMetadata");
            assertThat(partial.path("metadata")).isEqualTo(item.path("metadata"));
        }

        List<JsonNode> paged = new ArrayList<>();
        String token = "";
        do {
            JsonNode page = json(request("GET", LIST + "?includeObject=Object&limit=40"
                    + (token.isEmpty() ? "" : "&continue=" + token), "Accept", table).body());
            page.path("rows").forEach(row -> paged.add(row.path("object")));
            token = page.path("metadata").path("continue").asString("");
        } while (!token.isEmpty());
        List<JsonNode> items = new ArrayList<>();
        list.path("items").forEach(items::add);
        assertThat(paged).isEqualTo(items);

        JsonNode cached = json(request("GET", LIST + "?includeObject=Object&resourceVersion=0", "Accept", table)
                .body());
        List<JsonNode> fromCache = new ArrayList<>();
        cached.path("rows").forEach(row -> fromCache.add(row.path("object")));
        assertThat(fromCache).isEqualTo(items);

        HttpResponse<byte[]> gzipped = request("GET", LIST + "?includeObject=Object", "Accept", table,
                "Accept-Encoding", "gzip");
        assertThat(gzipped.headers().firstValue("content-encoding")).hasValue("gzip");
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            // the same rows (their Age cells may have moved on in between)
            List<JsonNode> unzipped = new ArrayList<>();
            json(in.readAllBytes()).path("rows").forEach(row -> unzipped.add(row.path("object")));
            assertThat(unzipped).isEqualTo(items);
        }
    }

    @Test
    void headIsGetWithoutTheBody() {
        for (String path : List.of(LIST + "/cm-1001", LIST + "?limit=2", LIST, "/api/v1/namespaces/default/pods",
                LIST + "/missing", "/api", "/apis", "/api/v1", "/apis/apps/v1", "/version", "/healthz", "/openapi/v2",
                "/openapi/v3", "/apis/nothing.example.com/v1")) {
            HttpResponse<byte[]> get = request("GET", path);
            HttpResponse<byte[]> head = request("HEAD", path);
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("content-type")).as(path)
                    .isEqualTo(get.headers().firstValue("content-type"));
            assertThat(head.headers().firstValue("content-length")).as(path)
                    .isEqualTo(get.headers().firstValue("content-length"));
            assertThat(head.headers().firstValue("transfer-encoding")).as(path)
                    .isEqualTo(get.headers().firstValue("transfer-encoding"));
        }
        assertThat(request("HEAD", LIST + "/missing").statusCode()).isEqualTo(404);
        assertThat(request("HEAD", "/api/v1/namespaces/default/configmaps/cm-1001").statusCode()).isEqualTo(200);
        assertThat(new String(request("GET", "/healthz").body(), StandardCharsets.UTF_8)).isEqualTo("ok");
    }
}
