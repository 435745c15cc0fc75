package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Watches older than the watch cache's memory: replayed from the store's history, or 410 once compacted. */
class WatchResumeTest {

    @RegisterExtension
    final TestServer server = TestServer.perTest().withConfig(c -> c.withWatchCacheCapacity(2));

    private HttpResponse<String> send(String method, String path, String body) {
        return server.send(method, path, "application/json", body);
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
        server.store().compact(server.store().currentRevision());
        List<JsonNode> events = watchLines(first);
        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asString()).isEqualTo("ERROR");
        assertThat(events.get(0).path("object").path("code").asInt()).isEqualTo(410);
        assertThat(events.get(0).path("object").path("reason").asString()).isEqualTo("Expired");
    }
}
