package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * managedFields after sequences of creates, updates, patches, applies and status writes by managers writing in
 * different versions of one kind: a custom resource served in two versions (None conversion: an owner of the other
 * version sees a change as the request's version does, so the field manager's shortcut may answer with owners of
 * both versions) and HorizontalPodAutoscalers (v1 and v2 name fields differently: an owner of the other version
 * must be compared in its own, never by the shortcut).
 */
class ManagedFieldsAcrossVersionsApiTest {

    private static final String GROUP = "mf.kube4j.io";
    private static final String WIDGETS_V1 = "/apis/" + GROUP + "/v1/namespaces/default/widgets";
    private static final String WIDGETS_V2 = "/apis/" + GROUP + "/v2/namespaces/default/widgets";
    private static final String HPA_V1 = "/apis/autoscaling/v1/namespaces/default/horizontalpodautoscalers";
    private static final String HPA_V2 = "/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers";
    private static final String JSON = "application/json";
    private static final String MERGE = "application/merge-patch+json";
    private static final String APPLY = "application/apply-patch+yaml";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode send(int expected, String method, String path, String contentType, String body) {
        HttpResponse<String> response = server.send(method, path, contentType, body);
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void createWidgetCrd() {
        String schema = """
                {"openAPIV3Schema":{"type":"object","properties":{
                  "spec":{"type":"object","properties":{"size":{"type":"integer"},"color":{"type":"string"}}},
                  "status":{"type":"object","properties":{"phase":{"type":"string"}}}}}}""";
        send(201, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", JSON, """
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"widgets.%s"},
                 "spec":{"group":"%s","scope":"Namespaced",
                   "names":{"plural":"widgets","singular":"widget","kind":"Widget"},
                   "versions":[
                     {"name":"v1","served":true,"storage":true,"schema":%s,"subresources":{"status":{}}},
                     {"name":"v2","served":true,"storage":false,"schema":%s,"subresources":{"status":{}}}]}}"""
                .formatted(GROUP, GROUP, schema, schema));
        await().atMost(Duration.ofSeconds(20)).until(() -> server.get(WIDGETS_V1).statusCode() == 200
                && server.get(WIDGETS_V2).statusCode() == 200);
    }

    /** The object read through {@code path} with {@code change} made to it, as a client's PUT body. */
    private static String edited(String path, java.util.function.Consumer<ObjectNode> change) {
        ObjectNode obj = (ObjectNode) send(200, "GET", path, null, null).deepCopy();
        change.accept(obj);
        return obj.toString();
    }

    private static ObjectNode spec(ObjectNode obj) {
        return (ObjectNode) obj.get("spec");
    }

    /**
     * Every managedFields entry of {@code object} as {@code manager operation apiVersion subresource} to its fields,
     * without times (which decide the order): each owner must appear once.
     */
    private static Map<String, String> owners(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        for (JsonNode e : object.path("metadata").path("managedFields")) {
            String owner = e.path("manager").asString() + " " + e.path("operation").asString() + " "
                    + e.path("apiVersion").asString() + " " + e.path("subresource").asString("");
            assertThat(out.put(owner.strip(), e.path("fieldsV1").toString())).as("owners of " + object).isNull();
        }
        return out;
    }

    @Test
    void ownersOfBothVersionsOfACustomResourceKeepAndLoseFieldsAsIfOneVersion() {
        createWidgetCrd();
        send(201, "POST", WIDGETS_V1 + "?fieldManager=alice", JSON, """
                {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"w","labels":{"app":"web"}},
                 "spec":{"size":1,"color":"red"}}""".formatted(GROUP));
        // bob, writing v2, takes the color from alice (a new owner: the full bookkeeping)
        send(200, "PUT", WIDGETS_V2 + "/w?fieldManager=bob", JSON,
                edited(WIDGETS_V2 + "/w", o -> spec(o).put("color", "blue")));
        // bob changes his own color again, alice (v1) the size she owns: nobody's fields move
        send(200, "PUT", WIDGETS_V2 + "/w?fieldManager=bob", JSON,
                edited(WIDGETS_V2 + "/w", o -> spec(o).put("color", "green")));
        JsonNode afterAlice = send(200, "PUT", WIDGETS_V1 + "/w?fieldManager=alice", JSON,
                edited(WIDGETS_V1 + "/w", o -> spec(o).put("size", 2)));
        assertThat(owners(afterAlice)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "alice Update mf.kube4j.io/v1",
                "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:size\":{}}}",
                "bob Update mf.kube4j.io/v2", "{\"f:spec\":{\"f:color\":{}}}")));
        assertThat(afterAlice.path("spec").toString()).isEqualTo("{\"size\":2,\"color\":\"green\"}");

        // a v2 merge patch of alice's size takes it from her; a v2 status writer, twice
        send(200, "PATCH", WIDGETS_V2 + "/w?fieldManager=bob", MERGE, "{\"spec\":{\"size\":3}}");
        send(200, "PUT", WIDGETS_V2 + "/w/status?fieldManager=controller", JSON,
                edited(WIDGETS_V2 + "/w", o -> o.putObject("status").put("phase", "Pending")));
        send(200, "PUT", WIDGETS_V2 + "/w/status?fieldManager=controller", JSON,
                edited(WIDGETS_V2 + "/w", o -> ((ObjectNode) o.get("status")).put("phase", "Ready")));
        // an applier of v1 shares bob's size (the same value: no conflict); bob changes the color he owns alone,
        // then the size: the applier loses it
        send(200, "PATCH", WIDGETS_V1 + "/w?fieldManager=applier", APPLY, """
                {"apiVersion":"%s/v1","kind":"Widget","metadata":{"name":"w","labels":{"tier":"front"}},
                 "spec":{"size":3}}""".formatted(GROUP));
        JsonNode shared = send(200, "PUT", WIDGETS_V2 + "/w?fieldManager=bob", JSON,
                edited(WIDGETS_V2 + "/w", o -> spec(o).put("color", "black")));
        assertThat(owners(shared)).containsEntry("applier Apply mf.kube4j.io/v1",
                "{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}},\"f:spec\":{\"f:size\":{}}}");
        JsonNode last = send(200, "PUT", WIDGETS_V2 + "/w?fieldManager=bob", JSON,
                edited(WIDGETS_V2 + "/w", o -> spec(o).put("size", 4)));

        assertThat(owners(last)).containsExactlyEntriesOf(new TreeMap<>(Map.of(
                "alice Update mf.kube4j.io/v1", "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}}}",
                "applier Apply mf.kube4j.io/v1", "{\"f:metadata\":{\"f:labels\":{\"f:tier\":{}}}}",
                "bob Update mf.kube4j.io/v2", "{\"f:spec\":{\"f:color\":{},\"f:size\":{}}}",
                "controller Update mf.kube4j.io/v2 status", "{\"f:status\":{\".\":{},\"f:phase\":{}}}")));
        assertThat(last.path("spec").toString()).isEqualTo("{\"size\":4,\"color\":\"black\"}");
        assertThat(last.path("status").path("phase").asString()).isEqualTo("Ready");
        // read in the other version, the entries are the same: they are never converted
        assertThat(send(200, "GET", WIDGETS_V1 + "/w", null, null).path("metadata").path("managedFields"))
                .isEqualTo(last.path("metadata").path("managedFields"));
    }

    @Test
    void aV2UpdateOfAValueItsManagerOwnsTakesItFromAV1OwnerOfTheSameValue() {
        send(201, "POST", HPA_V2 + "?fieldManager=v2-updater", JSON, """
                {"apiVersion":"autoscaling/v2","kind":"HorizontalPodAutoscaler","metadata":{"name":"shared"},
                 "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
                         "minReplicas":1,"maxReplicas":5,
                         "metrics":[{"type":"Resource","resource":{"name":"cpu",
                            "target":{"type":"Utilization","averageUtilization":60}}}]}}""");
        // a v1 applier shares the cpu target under its v1 name (the same value: no conflict, nothing changes)
        JsonNode applied = send(200, "PATCH", HPA_V1 + "/shared?fieldManager=v1-applier", APPLY, """
                {"apiVersion":"autoscaling/v1","kind":"HorizontalPodAutoscaler","metadata":{"name":"shared"},
                 "spec":{"maxReplicas":5,"targetCPUUtilizationPercentage":60}}""");
        assertThat(owners(applied).get("v1-applier Apply autoscaling/v1"))
                .contains("f:targetCPUUtilizationPercentage");

        // v2-updater owns spec.metrics alone in v2's names, and changes nothing else: in v1's, the change is the
        // applier's targetCPUUtilizationPercentage, which it loses (compared in v1, as upstream)
        JsonNode updated = send(200, "PUT", HPA_V2 + "/shared?fieldManager=v2-updater", JSON,
                edited(HPA_V2 + "/shared", o -> ((ObjectNode) o.at("/spec/metrics/0/resource/target"))
                        .put("averageUtilization", 75)));
        Map<String, String> owners = owners(updated);
        assertThat(owners.get("v1-applier Apply autoscaling/v1")).doesNotContain("f:targetCPUUtilizationPercentage")
                .contains("f:maxReplicas");
        assertThat(owners.get("v2-updater Update autoscaling/v2")).contains("f:metrics");

        // a v2 status write by the controller, then again by it: the v1 applier keeps what it has
        send(200, "PUT", HPA_V2 + "/shared/status?fieldManager=hpa-controller", JSON,
                edited(HPA_V2 + "/shared", o -> o.putObject("status").put("currentReplicas", 1)
                        .put("desiredReplicas", 1)));
        JsonNode status = send(200, "PUT", HPA_V2 + "/shared/status?fieldManager=hpa-controller", JSON,
                edited(HPA_V2 + "/shared", o -> ((ObjectNode) o.get("status")).put("desiredReplicas", 2)));
        assertThat(owners(status)).containsEntry("v1-applier Apply autoscaling/v1",
                owners.get("v1-applier Apply autoscaling/v1"));
        assertThat(owners(status).get("hpa-controller Update autoscaling/v2 status")).contains("f:desiredReplicas");
    }
}
