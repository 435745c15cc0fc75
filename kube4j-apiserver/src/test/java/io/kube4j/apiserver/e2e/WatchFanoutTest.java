package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many watches fed by concurrent writers over real HTTP: the shared encoding, the coalesced writes and the
 * asynchronous fan-out must still give every watch every event it selects, once, in resourceVersion order.
 */
class WatchFanoutTest {

    private static final int WATCHES = 30;
    private static final int WRITES = 150;

    @RegisterExtension
    final TestServer server = TestServer.perTest();
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final List<Stream<String>> streams = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        streams.forEach(Stream::close);
    }

    private URI uri(String path) {
        return URI.create(server.url() + path);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json").build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Opens a watch and collects its lines on a thread of its own. */
    private List<JsonNode> watch(String query) throws Exception {
        List<JsonNode> lines = new CopyOnWriteArrayList<>();
        HttpResponse<Stream<String>> response = http.send(HttpRequest.newBuilder(
                uri("/api/v1/namespaces/default/configmaps?watch=1&" + query)).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        streams.add(response.body());
        Thread reader = new Thread(() -> {
            try {
                response.body().forEach(l -> lines.add(Json.parse(l.getBytes(StandardCharsets.UTF_8))));
            } catch (RuntimeException e) {
                // the stream is closed at the end of the test
            }
        }, "watch-reader");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String name(JsonNode line) {
        return line.path("object").path("metadata").path("name").asString();
    }

    private static long rv(JsonNode line) {
        return Long.parseLong(line.path("object").path("metadata").path("resourceVersion").asString());
    }

    @Test
    void everyWatchGetsEveryEventOnceInOrder() throws Exception {
        String listRv = Json.parse(http.send(HttpRequest.newBuilder(uri("/api/v1/namespaces/default/configmaps"))
                        .build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .path("metadata").path("resourceVersion").asString();
        List<List<JsonNode>> all = new ArrayList<>();
        for (int i = 0; i < WATCHES; i++) {
            all.add(watch("resourceVersion=" + listRv));
        }
        // a filtered watch shares the events with the others but sends only what it selects
        List<JsonNode> even = watch("resourceVersion=" + listRv + "&labelSelector=parity%3Deven");

        ExecutorService writers = Executors.newFixedThreadPool(8);
        List<Future<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < WRITES; i++) {
            String n = "cm-" + i;
            String parity = i % 2 == 0 ? "even" : "odd";
            codes.add(writers.submit(() -> post("/api/v1/namespaces/default/configmaps",
                    "{\"metadata\":{\"name\":\"" + n + "\",\"labels\":{\"parity\":\"" + parity + "\"}}}")
                    .statusCode()));
        }
        for (Future<Integer> code : codes) {
            assertThat(code.get()).isEqualTo(201);
        }
        writers.shutdown();

        await().atMost(Duration.ofSeconds(60)).until(() -> all.stream().allMatch(l -> l.size() >= WRITES)
                && even.size() >= WRITES / 2);
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < WRITES; i++) {
            expected.add("cm-" + i);
        }
        for (List<JsonNode> lines : all) {
            assertThat(lines).hasSize(WRITES);
            assertThat(lines).allMatch(l -> l.path("type").asString().equals("ADDED"));
            assertThat(lines.stream().map(WatchFanoutTest::name).toList()).containsExactlyInAnyOrderElementsOf(expected);
            assertThat(lines.stream().map(WatchFanoutTest::rv).toList()).isSorted().doesNotHaveDuplicates();
        }
        assertThat(even).hasSize(WRITES / 2);
        assertThat(even).allMatch(l -> l.path("object").path("metadata").path("labels").path("parity").asString()
                .equals("even"));
        assertThat(even.stream().map(WatchFanoutTest::rv).toList()).isSorted();
    }
}
