package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** autoscaling/v1 and autoscaling/v2 HorizontalPodAutoscalers: two shapes over one v2 storage, as upstream. */
class HpaVersionsTest {

    private static final String V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    private static final String V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    private static final String METRICS_ANNOTATION = "autoscaling.alpha.kubernetes.io/metrics";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));
    static Kubectl kubectl;

    @BeforeAll
    static void start() {
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode send(int expected, String method, String path, String contentType, String body) {
        HttpResponse<String> response = server.send(method, path, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return json(response);
    }

    private static String v1Hpa(String name, int cpu) {
        return """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"%s"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":%d}}""".formatted(name, cpu);
    }

    private static String v2HpaWithMemory(String name) {
        return """
                {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"%s"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":2,"maxReplicas":8,
                         "metrics":[
                           {"type":"Resource","resource":{"name":"cpu",
                              "target":{"type":"Utilization","averageUtilization":60}}},
                           {"type":"Resource","resource":{"name":"memory",
                              "target":{"type":"AverageValue","averageValue":"500Mi"}}}]}}""".formatted(name);
    }

    @Test
    void createdThroughV1ReadThroughV2AndBack() {
        JsonNode created = send(201, "POST", V1 + "?fieldManager=tester", "application/json", v1Hpa("v1-made", 50));
        assertThat(created.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(created.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(50);
        assertThat(created.path("spec").has("metrics")).isFalse();

        JsonNode v2 = send(200, "GET", V2 + "/v1-made", null, null);
        assertThat(v2.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(v2.path("spec").path("metrics").toString()).isEqualTo("[{\"type\":\"Resource\",\"resource\":"
                + "{\"name\":\"cpu\",\"target\":{\"type\":\"Utilization\",\"averageUtilization\":50}}}]");
        assertThat(v2.path("spec").has("targetCPUUtilizationPercentage")).isFalse();
        assertThat(v2.path("metadata").path("annotations").has(METRICS_ANNOTATION)).isFalse();

        JsonNode v1 = send(200, "GET", V1 + "/v1-made", null, null);
        assertThat(v1.path("spec")).isEqualTo(created.path("spec"));
        assertThat(v1.path("metadata").path("resourceVersion").asString())
                .isEqualTo(v2.path("metadata").path("resourceVersion").asString());
        // the write's managedFields entry names v1 and v1's field
        JsonNode entry = v1.path("metadata").path("managedFields").get(0);
        assertThat(entry.path("manager").asString()).isEqualTo("tester");
        assertThat(entry.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(entry.path("fieldsV1").path("f:spec").has("f:targetCPUUtilizationPercentage")).isTrue();

        // stored once, in the storage version
        JsonNode stored = Json.parse(server.store().get("/registry/horizontalpodautoscalers/default/v1-made")
                .orElseThrow().value());
        assertThat(stored.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(stored.path("spec").has("metrics")).isTrue();
    }

    @Test
    void otherMetricsSurviveAV1Update() {
        send(201, "POST", V2, "application/json", v2HpaWithMemory("mem"));

        JsonNode v1 = send(200, "GET", V1 + "/mem", null, null);
        assertThat(v1.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(60);
        assertThat(v1.path("metadata").path("annotations").path(METRICS_ANNOTATION).asString())
                .isEqualTo("[{\"type\":\"Resource\",\"resource\":{\"name\":\"memory\","
                        + "\"targetAverageValue\":\"500Mi\"}}]");

        ObjectNode changed = (ObjectNode) v1.deepCopy();
        ((ObjectNode) changed.path("spec")).put("maxReplicas", 12).put("targetCPUUtilizationPercentage", 75);
        JsonNode updated = send(200, "PUT", V1 + "/mem", "application/json", changed.toString());
        assertThat(updated.path("spec").path("maxReplicas").asInt()).isEqualTo(12);

        JsonNode v2 = send(200, "GET", V2 + "/mem", null, null);
        assertThat(v2.path("spec").path("maxReplicas").asInt()).isEqualTo(12);
        assertThat(v2.path("spec").path("metrics").findValuesAsString("name")).containsExactly("memory", "cpu");
        assertThat(v2.path("spec").path("metrics").get(0).path("resource").path("target").path("averageValue")
                .asString()).isEqualTo("500Mi");
        assertThat(v2.path("spec").path("metrics").get(1).path("resource").path("target").path("averageUtilization")
                .asInt()).isEqualTo(75);
        assertThat(v2.path("metadata").path("annotations").has(METRICS_ANNOTATION)).isFalse();
    }

    @Test
    void patchesThroughV1ApplyToTheV1Shape() {
        send(201, "POST", V2, "application/json", v2HpaWithMemory("patched"));

        JsonNode strategic = send(200, "PATCH", V1 + "/patched", "application/strategic-merge-patch+json",
                "{\"spec\":{\"targetCPUUtilizationPercentage\":90}}");
        assertThat(strategic.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(90);
        JsonNode merge = send(200, "PATCH", V1 + "/patched", "application/merge-patch+json",
                "{\"spec\":{\"maxReplicas\":9}}");
        assertThat(merge.path("spec").path("maxReplicas").asInt()).isEqualTo(9);

        JsonNode v2 = send(200, "GET", V2 + "/patched", null, null);
        assertThat(v2.path("spec").path("metrics").toString()).contains("\"memory\"", "\"averageUtilization\":90");

        // server-side apply through v1 records v1's fields for its manager
        JsonNode applied = send(200, "PATCH", V1 + "/patched?fieldManager=applier&force=true",
                "application/apply-patch+yaml", """
                        apiVersion: autoscaling/v1
                        kind: HorizontalPodAutoscaler
                        metadata:
                          name: patched
                        spec:
                          targetCPUUtilizationPercentage: 65
                        """);
        assertThat(applied.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(65);
        boolean found = false;
        for (JsonNode entry : applied.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString().equals("applier")) {
                found = true;
                assertThat(entry.path("operation").asString()).isEqualTo("Apply");
                assertThat(entry.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
            }
        }
        assertThat(found).isTrue();
        assertThat(send(200, "GET", V2 + "/patched", null, null).path("spec").path("metrics").toString())
                .contains("\"memory\"", "\"averageUtilization\":65");
    }

    @Test
    void listsAndFieldSelectorsThroughV1ServeV1Objects() {
        send(201, "POST", V2, "application/json", v2HpaWithMemory("listed"));
        for (String query : new String[] {"", "?resourceVersion=0", "?limit=1",
                "?fieldSelector=metadata.name%3Dlisted"}) {
            JsonNode list = send(200, "GET", V1 + query, null, null);
            assertThat(list.path("kind").asString()).isEqualTo("HorizontalPodAutoscalerList");
            assertThat(list.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
            for (JsonNode item : list.path("items")) {
                assertThat(item.path("apiVersion").asString()).as(query).isEqualTo("autoscaling/v1");
                assertThat(item.path("spec").has("metrics")).as(query).isFalse();
            }
        }
        JsonNode selected = send(200, "GET", V1 + "?fieldSelector=metadata.name%3Dlisted", null, null);
        assertThat(selected.path("items")).hasSize(1);
        assertThat(selected.path("items").get(0).path("spec").path("targetCPUUtilizationPercentage").asInt())
                .isEqualTo(60);
    }

    @Test
    void anObjectStoredInV1FormIsReadInEachVersionsForm() {
        // as an older kube4j stored a v1 write
        server.store().create("/registry/horizontalpodautoscalers/default/legacy", v1Hpa("legacy", 40)
                .replace("\"metadata\":{", "\"metadata\":{\"namespace\":\"default\",\"uid\":\"u-legacy\","
                        + "\"creationTimestamp\":\"2024-01-01T00:00:00Z\",")
                .getBytes(StandardCharsets.UTF_8), io.kube4j.store.Store.NO_LEASE);

        JsonNode v2 = send(200, "GET", V2 + "/legacy", null, null);
        assertThat(v2.path("spec").path("metrics").get(0).path("resource").path("target").path("averageUtilization")
                .asInt()).isEqualTo(40);
        assertThat(v2.path("spec").has("targetCPUUtilizationPercentage")).isFalse();
        JsonNode listed = send(200, "GET", V2 + "?fieldSelector=metadata.name%3Dlegacy", null, null);
        assertThat(listed.path("items").get(0).path("spec").has("metrics")).isTrue();
        JsonNode v1 = send(200, "GET", V1 + "/legacy", null, null);
        assertThat(v1.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(40);
    }

    @Test
    void aV1WatchGetsV1Objects() throws Exception {
        String rv = send(200, "GET", V1, null, null).path("metadata").path("resourceVersion").asString();
        BlockingQueue<String> lines = watch(V1 + "?watch=1&timeoutSeconds=30&resourceVersion=" + rv);
        send(201, "POST", V2, "application/json", v2HpaWithMemory("watched"));

        JsonNode event = nextEvent(lines);
        assertThat(event.path("type").asString()).isEqualTo("ADDED");
        JsonNode object = event.path("object");
        assertThat(object.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(object.path("metadata").path("name").asString()).isEqualTo("watched");
        assertThat(object.path("spec").path("targetCPUUtilizationPercentage").asInt()).isEqualTo(60);
        assertThat(object.path("spec").has("metrics")).isFalse();
        assertThat(object.path("metadata").path("annotations").path(METRICS_ANNOTATION).asString()).contains("memory");
    }

    @Test
    void kubectlShowsTheV1Shape() {
        send(201, "POST", V2, "application/json", v2HpaWithMemory("shown"));
        // the full resource name: kubectl's short-name expansion drops the version of "hpa.v1.autoscaling" and asks
        // for the preferred version (v2), against upstream servers too
        Kubectl.Result v1 = kubectl.run("get", "horizontalpodautoscalers.v1.autoscaling", "shown", "-o", "yaml");
        assertThat(v1.exit()).as(v1.all()).isZero();
        assertThat(v1.out()).contains("apiVersion: autoscaling/v1", "targetCPUUtilizationPercentage: 60",
                METRICS_ANNOTATION).doesNotContain("averageUtilization");

        Kubectl.Result v2 = kubectl.run("get", "hpa.v2.autoscaling", "shown", "-o", "yaml");
        assertThat(v2.exit()).as(v2.all()).isZero();
        assertThat(v2.out()).contains("apiVersion: autoscaling/v2", "averageUtilization: 60")
                .doesNotContain("targetCPUUtilizationPercentage", METRICS_ANNOTATION);

        Kubectl.Result table = kubectl.run("get", "horizontalpodautoscalers.v1.autoscaling", "shown");
        assertThat(table.exit()).as(table.all()).isZero();
        // the table is printed from all metrics, the annotation's too, as upstream prints from its internal form
        assertThat(table.out()).contains("shown", "Deployment/web", "memory: <unknown>/500Mi",
                "cpu: <unknown>/60%");
    }

    private static JsonNode nextEvent(BlockingQueue<String> lines) throws InterruptedException {
        while (true) {
            String line = lines.poll(20, TimeUnit.SECONDS);
            assertThat(line).as("a watch event").isNotNull();
            JsonNode event = Json.parse(line.getBytes(StandardCharsets.UTF_8));
            if (!event.path("type").asString().equals("BOOKMARK")) {
                return event;
            }
        }
    }

    private static BlockingQueue<String> watch(String path) {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.url() + path)).GET().build();
        http.sendAsync(request, HttpResponse.BodyHandlers.ofLines()).thenAccept(response -> {
            Thread reader = new Thread(() -> {
                try (Stream<String> body = response.body()) {
                    body.filter(l -> !l.isBlank()).forEach(lines::add);
                } catch (RuntimeException ignored) {
                    // the server ended the watch
                }
            });
            reader.setDaemon(true);
            reader.start();
        });
        return lines;
    }
}
