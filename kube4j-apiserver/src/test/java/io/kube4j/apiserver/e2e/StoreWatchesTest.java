package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A started server holds one store watch per resource clients may watch (its watch cache) and none for the resources
 * nobody watches - bindings (create only) and componentstatuses (computed, get and list) - which still answer as
 * before.
 */
class StoreWatchesTest {

    private static final String PODS = "/api/v1/namespaces/default/pods";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.MAPPER.readTree(response.body());
    }

    /** Every served resource (no subresource) whose discovery verbs include watch, as group/version/plural. */
    private static List<String> watchableResources() {
        List<String> paths = new ArrayList<>(List.of("/api/v1"));
        for (JsonNode group : json(server.get("/apis"), 200).path("groups")) {
            for (JsonNode version : group.path("versions")) {
                paths.add("/apis/" + version.path("groupVersion").asString());
            }
        }
        List<String> watchable = new ArrayList<>();
        for (String path : paths) {
            for (JsonNode resource : json(server.get(path), 200).path("resources")) {
                String name = resource.path("name").asString();
                boolean watch = false;
                for (JsonNode verb : resource.path("verbs")) {
                    watch |= verb.asString().equals("watch");
                }
                if (!name.contains("/") && watch) {
                    watchable.add(path + "/" + name);
                }
            }
        }
        return watchable;
    }

    @Test
    void theServerWatchesTheStoreOncePerWatchableResource() {
        List<String> watchable = watchableResources();
        assertThat(watchable).contains("/api/v1/pods", "/apis/apps/v1/deployments")
                .doesNotContain("/api/v1/bindings", "/api/v1/componentstatuses");
        // every watchable resource here has a cache of its own: views of another's storage (events.k8s.io Events,
        // autoscaling/v1 HPAs) decode in their own form, and no custom resource shares a storage yet
        assertThat(((EmbeddedStore) server.store()).watchCount()).isEqualTo(watchable.size());
    }

    @Test
    void componentStatusesAndBindingsAnswerAsBefore() {
        JsonNode statuses = json(server.get("/api/v1/componentstatuses"), 200);
        assertThat(statuses.path("kind").asString()).isEqualTo("ComponentStatusList");
        assertThat(json(server.get("/api/v1/componentstatuses?watch=true"), 405).path("reason").asString())
                .isEqualTo("MethodNotAllowed");

        json(server.send("POST", PODS, "application/json", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                + "{\"name\":\"bound\"},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"), 201);
        JsonNode binding = json(server.send("POST", "/api/v1/namespaces/default/bindings", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Binding\",\"metadata\":{\"name\":\"bound\"},"
                        + "\"target\":{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"name\":\"node-1\"}}"), 201);
        assertThat(binding.path("kind").asString()).isEqualTo("Status");
        assertThat(json(server.get(PODS + "/bound"), 200).path("spec").path("nodeName").asString())
                .isEqualTo("node-1");
        assertThat(json(server.get("/api/v1/namespaces/default/bindings"), 405).path("reason").asString())
                .isEqualTo("MethodNotAllowed");
    }
}
