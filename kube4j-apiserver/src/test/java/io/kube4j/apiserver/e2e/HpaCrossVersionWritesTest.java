package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writes through one HorizontalPodAutoscaler version seen through the other, as upstream: status travels in v1's
 * round-trip annotations only as far as the written part goes (a status write takes the request's, other writes keep
 * the stored status), and managedFields owners keep the version they wrote in, losing and conflicting on fields in
 * their own version's names.
 */
class HpaCrossVersionWritesTest {

    private static final String V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    private static final String V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    private static final String CONDITIONS = "autoscaling.alpha.kubernetes.io/conditions";
    private static final String CURRENT_METRICS = "autoscaling.alpha.kubernetes.io/current-metrics";
    private static final String APPLY = "application/apply-patch+yaml";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(500));

    private static JsonNode send(int expected, String method, String path, String contentType, String body) {
        HttpResponse<String> response = server.send(method, path, contentType, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static String v2Hpa(String name) {
        return """
                {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"%s"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":8,
                         "metrics":[
                           {"type":"Resource","resource":{"name":"cpu",
                              "target":{"type":"Utilization","averageUtilization":60}}},
                           {"type":"Resource","resource":{"name":"memory",
                              "target":{"type":"AverageValue","averageValue":"500Mi"}}}]}}""".formatted(name);
    }

    /** A v2 HPA whose status (written through v2) has cpu and memory current metrics and a condition. */
    private static void createWithStatus(String name) {
        JsonNode created = send(201, "POST", V2, "application/json", v2Hpa(name));
        ObjectNode withStatus = (ObjectNode) created.deepCopy();
        withStatus.set("status", Json.parse("""
                {"currentReplicas":2,"desiredReplicas":2,
                 "currentMetrics":[
                   {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":40,"averageValue":"80m"}}},
                   {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"300Mi"}}}],
                 "conditions":[{"type":"AbleToScale","status":"True","reason":"ReadyForNewScale",
                                "lastTransitionTime":"2024-01-01T00:00:00Z"}]}"""
                .getBytes(StandardCharsets.UTF_8)));
        send(200, "PUT", V2 + "/" + name + "/status", "application/json", withStatus.toString());
    }

    @Test
    void aV1StatusWriteWithoutTheAnnotationsReplacesStatusWithWhatV1Holds() {
        createWithStatus("status-bare");
        JsonNode v1 = send(200, "GET", V1 + "/status-bare", null, null);
        assertThat(v1.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(40);

        // a v1 client that knows nothing of the annotations: upstream decodes its body alone, so status is what
        // v1 can say - the cpu utilization - and the conditions and the memory metric are gone
        ObjectNode bare = (ObjectNode) v1.deepCopy();
        ((ObjectNode) bare.path("metadata")).remove("annotations");
        ((ObjectNode) bare.path("status")).put("currentCPUUtilizationPercentage", 33).put("currentReplicas", 3);
        JsonNode written = send(200, "PUT", V1 + "/status-bare/status", "application/json", bare.toString());
        assertThat(written.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(33);

        JsonNode v2 = send(200, "GET", V2 + "/status-bare", null, null);
        assertThat(v2.path("status").path("currentReplicas").asInt()).isEqualTo(3);
        assertThat(v2.path("status").path("currentMetrics").toString()).isEqualTo("[{\"type\":\"Resource\","
                + "\"resource\":{\"name\":\"cpu\",\"current\":{\"averageUtilization\":33}}}]");
        assertThat(v2.path("status").has("conditions")).isFalse();
        // spec is not a status write's to change: both metrics stay (their order is v1's conversion's: the others
        // first, cpu last)
        assertThat(v2.path("spec").path("metrics").findValuesAsString("name"))
                .containsExactlyInAnyOrder("cpu", "memory");
    }

    @Test
    void aV1StatusWriteWithTheAnnotationsKeepsWhatTheyHold() {
        createWithStatus("status-annotated");
        JsonNode v1 = send(200, "GET", V1 + "/status-annotated", null, null);
        ObjectNode changed = (ObjectNode) v1.deepCopy();
        ((ObjectNode) changed.path("status")).put("desiredReplicas", 5);
        send(200, "PUT", V1 + "/status-annotated/status", "application/json", changed.toString());

        JsonNode v2 = send(200, "GET", V2 + "/status-annotated", null, null);
        assertThat(v2.path("status").path("desiredReplicas").asInt()).isEqualTo(5);
        assertThat(v2.path("status").path("currentMetrics").findValuesAsString("name"))
                .containsExactly("cpu", "memory");
        assertThat(v2.path("status").path("conditions").get(0).path("type").asString()).isEqualTo("AbleToScale");
    }

    @Test
    void aV1SpecWriteKeepsTheStoredStatusWhateverItsAnnotationsSay() {
        createWithStatus("spec-write");
        JsonNode v1 = send(200, "GET", V1 + "/spec-write", null, null);
        ObjectNode changed = (ObjectNode) v1.deepCopy();
        ObjectNode annotations = (ObjectNode) changed.path("metadata").path("annotations");
        annotations.remove(CONDITIONS);
        annotations.put(CURRENT_METRICS, "[]");
        ((ObjectNode) changed.path("spec")).put("maxReplicas", 9);
        send(200, "PUT", V1 + "/spec-write", "application/json", changed.toString());

        JsonNode v2 = send(200, "GET", V2 + "/spec-write", null, null);
        assertThat(v2.path("spec").path("maxReplicas").asInt()).isEqualTo(9);
        assertThat(v2.path("status").path("currentMetrics").findValuesAsString("name"))
                .containsExactly("cpu", "memory");
        assertThat(v2.path("status").path("conditions")).hasSize(1);
    }

    @Test
    void aV1CreateCannotSetStatusThroughTheAnnotations() {
        send(201, "POST", V1, "application/json", """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler",
                 "metadata":{"name":"created-v1","annotations":{
                   "autoscaling.alpha.kubernetes.io/conditions":
                     "[{\\"type\\":\\"ScalingActive\\",\\"status\\":\\"True\\",\\"lastTransitionTime\\":\\"2024-01-01T00:00:00Z\\"}]",
                   "keep":"me"}},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "maxReplicas":3,"targetCPUUtilizationPercentage":70}}""");
        JsonNode v2 = send(200, "GET", V2 + "/created-v1", null, null);
        assertThat(v2.path("status").has("conditions")).isFalse();
        assertThat(v2.path("metadata").path("annotations").path("keep").asString()).isEqualTo("me");
    }

    @Test
    void aV1OwnerConflictsAndLosesInItsOwnFieldNames() {
        send(201, "POST", V1 + "?fieldManager=v1-writer", "application/json", """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"owned"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}}""");
        String apply = """
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata:
                  name: owned
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  maxReplicas: 5
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
                """;
        // the v2 configuration changes the cpu metric, which v1-writer owns as targetCPUUtilizationPercentage
        JsonNode conflict = send(409, "PATCH", V2 + "/owned?fieldManager=v2-applier", APPLY, apply);
        assertThat(conflict.path("message").asString()).contains(
                "conflict with \"v1-writer\" using autoscaling/v1: .spec.targetCPUUtilizationPercentage");

        JsonNode forced = send(200, "PATCH", V2 + "/owned?fieldManager=v2-applier&force=true", APPLY, apply);
        JsonNode writer = entry(forced, "v1-writer");
        assertThat(writer.path("apiVersion").asString()).isEqualTo("autoscaling/v1");
        assertThat(writer.path("fieldsV1").path("f:spec").has("f:targetCPUUtilizationPercentage")).isFalse();
        assertThat(writer.path("fieldsV1").path("f:spec").has("f:minReplicas")).isTrue();
        assertThat(entry(forced, "v2-applier").path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        // read through v1, the entries are the same: they are never converted
        JsonNode v1 = send(200, "GET", V1 + "/owned", null, null);
        assertThat(v1.path("metadata").path("managedFields")).isEqualTo(forced.path("metadata").path("managedFields"));
    }

    @Test
    void aV2UpdateTakesTheChangedFieldFromAV1Owner() {
        send(201, "POST", V1 + "?fieldManager=v1-writer", "application/json", """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"updated"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":5,"targetCPUUtilizationPercentage":50}}""");
        ObjectNode v2 = (ObjectNode) send(200, "GET", V2 + "/updated", null, null).deepCopy();
        ((ObjectNode) v2.path("spec").path("metrics").get(0).path("resource").path("target"))
                .put("averageUtilization", 65);
        JsonNode updated = send(200, "PUT", V2 + "/updated?fieldManager=v2-updater", "application/json",
                v2.toString());
        JsonNode writer = entry(updated, "v1-writer");
        assertThat(writer.path("fieldsV1").path("f:spec").has("f:targetCPUUtilizationPercentage")).isFalse();
        assertThat(writer.path("fieldsV1").path("f:spec").has("f:maxReplicas")).isTrue();
        JsonNode updater = entry(updated, "v2-updater");
        assertThat(updater.path("apiVersion").asString()).isEqualTo("autoscaling/v2");
        assertThat(updater.path("fieldsV1").path("f:spec").has("f:metrics")).isTrue();
    }

    @Test
    void aV1StatusRoundTripKeepsTheV2CurrentMetricsInTheirOrder() {
        JsonNode created = send(201, "POST", V2, "application/json", v2Hpa("status-order"));
        ObjectNode withStatus = (ObjectNode) created.deepCopy();
        // cpu is neither first nor alone: v1 holds it in currentCPUUtilizationPercentage and the rest only in the
        // current-metrics annotation
        String metrics = """
                [{"type":"Resource","resource":{"name":"memory","current":{"averageValue":"300Mi"}}},\
                {"type":"Pods","pods":{"metric":{"name":"qps"},"current":{"averageValue":"7"}}},\
                {"type":"Resource","resource":{"name":"cpu","current":{"averageValue":"80m","averageUtilization":40}}},\
                {"type":"External","external":{"metric":{"name":"queue"},"current":{"value":"12"}}},\
                {"type":"ContainerResource","containerResource":{"name":"cpu",\
                "current":{"averageValue":"20m","averageUtilization":20},"container":"app"}}]""";
        withStatus.set("status", Json.parse(("{\"currentReplicas\":2,\"desiredReplicas\":2,\"currentMetrics\":"
                + metrics + "}").getBytes(StandardCharsets.UTF_8)));
        send(200, "PUT", V2 + "/status-order/status", "application/json", withStatus.toString());
        JsonNode expected = send(200, "GET", V2 + "/status-order", null, null).path("status").path("currentMetrics");
        assertThat(expected.toString()).isEqualTo(metrics);
        assertThat(expected.findValuesAsString("name")).containsExactly("memory", "qps", "cpu", "queue", "cpu");

        JsonNode v1 = send(200, "GET", V1 + "/status-order", null, null);
        assertThat(v1.path("status").path("currentCPUUtilizationPercentage").asInt()).isEqualTo(40);
        ObjectNode changed = (ObjectNode) v1.deepCopy();
        ((ObjectNode) changed.path("status")).put("desiredReplicas", 3);
        send(200, "PUT", V1 + "/status-order/status", "application/json", changed.toString());
        // the same list, in the same order, down to the order of each metric's fields (upstream's Go field order)
        assertThat(send(200, "GET", V2 + "/status-order", null, null).path("status").path("currentMetrics")
                .toString()).isEqualTo(expected.toString());

        send(200, "PATCH", V1 + "/status-order/status", "application/merge-patch+json",
                "{\"status\":{\"desiredReplicas\":4}}");
        JsonNode patched = send(200, "GET", V2 + "/status-order", null, null).path("status");
        assertThat(patched.path("desiredReplicas").asInt()).isEqualTo(4);
        assertThat(patched.path("currentMetrics").toString()).isEqualTo(expected.toString());
    }

    private static JsonNode entry(JsonNode object, String manager) {
        for (JsonNode entry : object.path("metadata").path("managedFields")) {
            if (entry.path("manager").asString().equals(manager)) {
                return entry;
            }
        }
        throw new AssertionError("no managedFields entry of " + manager + " in " + object);
    }
}
