package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Watches older than the watch cache's memory: replayed from the store's history, or 410 once compacted. */
class WatchResumeTest {

    @TempDir
    Path dir;
    Store store;
    ApiServer server;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), null)
                .withWatchCacheCapacity(2));
    }

    @AfterEach
    void stop() {
        server.close();
        store.close();
    }

    private HttpResponse<String> send(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    private long createConfigMap(String name) throws Exception {
        HttpResponse<String> r = send("POST", "/api/v1/namespaces/default/configmaps",
                "{\"metadata\":{\"name\":\"" + name + "\"}}");
        return Long.parseLong(Json.parse(r.body().getBytes(StandardCharsets.UTF_8)).path("metadata")
                .path("resourceVersion").asString());
    }

    private List<JsonNode> watchLines(long from) throws Exception {
        HttpResponse<String> r = send("GET", "/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=1"
                + "&resourceVersion=" + from, null);
        return r.body().lines().map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void olderThanTheCacheIsReplayedFromTheStore() throws Exception {
        long first = createConfigMap("a");
        createConfigMap("b");
        createConfigMap("c");
        createConfigMap("d");
        List<JsonNode> events = watchLines(first);
        assertThat(events).extracting(e -> e.path("type").asString() + " "
                + e.path("object").path("metadata").path("name").asString())
                .containsExactly("ADDED b", "ADDED c", "ADDED d");
    }

    @Test
    void compactedIsExpired() throws Exception {
        long first = createConfigMap("a");
        long last = first;
        for (String name : List.of("b", "c", "d")) {
            last = createConfigMap(name);
        }
        // a list not older than the last write is answered once the watch cache has seen it: a cache still
        // holding b (it keeps two events) would rightly serve the watch itself, and the test would race it
        assertThat(send("GET", "/api/v1/namespaces/default/configmaps?resourceVersionMatch=NotOlderThan"
                + "&resourceVersion=" + last, null).statusCode()).isEqualTo(200);
        store.compact(store.currentRevision());
        List<JsonNode> events = watchLines(first);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("ERROR");
        assertThat(events.get(0).path("object").path("code").asInt()).isEqualTo(410);
        assertThat(events.get(0).path("object").path("reason").asString()).isEqualTo("Expired");
    }
}
