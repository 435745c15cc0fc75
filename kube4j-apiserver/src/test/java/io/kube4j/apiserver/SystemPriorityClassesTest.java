package io.kube4j.apiserver;

import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The system priority classes as upstream's API server keeps them: created at start with upstream's values and
 * descriptions (by kube-apiserver, in managedFields), not deletable one by one (403, upstream's message), and
 * created again by the next start when a collection delete removed them.
 */
class SystemPriorityClassesTest {

    private static final String PATH = "/apis/scheduling.k8s.io/v1/priorityclasses";

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theServerCreatesThemAsUpstreamDefinesThem() {
        try (TestServer server = TestServer.inTempDir().start()) {
            JsonNode node = json(server.get(PATH + "/system-node-critical"));
            assertThat(node.path("value").asLong()).isEqualTo(2000001000L);
            assertThat(node.path("description").asString())
                    .isEqualTo("Used for system critical pods that must not be moved from their current node.");
            assertThat(node.path("preemptionPolicy").asString()).isEqualTo("PreemptLowerPriority");
            assertThat(node.path("metadata").path("managedFields").get(0).path("manager").asString())
                    .isEqualTo("kube-apiserver");
            JsonNode cluster = json(server.get(PATH + "/system-cluster-critical"));
            assertThat(cluster.path("value").asLong()).isEqualTo(2000000000L);
            assertThat(cluster.path("description").asString()).isEqualTo("Used for system critical pods that must run"
                    + " in the cluster, but can be moved to another node if necessary.");
        }
    }

    @Test
    void deletingOneIsForbiddenButAUsersClassIsDeleted() {
        try (TestServer server = TestServer.inTempDir().start()) {
            HttpResponse<String> refused = server.send("DELETE", PATH + "/system-cluster-critical", null, null);
            assertThat(refused.statusCode()).isEqualTo(403);
            JsonNode status = json(refused);
            assertThat(status.path("reason").asString()).isEqualTo("Forbidden");
            assertThat(status.path("message").asString()).isEqualTo("priorityclasses.scheduling.k8s.io "
                    + "\"system-cluster-critical\" is forbidden: this is a system priority class and cannot be deleted");
            assertThat(server.get(PATH + "/system-cluster-critical").statusCode()).isEqualTo(200);

            assertThat(server.send("POST", PATH, "application/json", "{\"apiVersion\":\"scheduling.k8s.io/v1\","
                    + "\"kind\":\"PriorityClass\",\"metadata\":{\"name\":\"high\"},\"value\":1000}").statusCode())
                    .isEqualTo(201);
            assertThat(server.send("DELETE", PATH + "/high", null, null).statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aCollectionDeleteRemovesThemAndTheNextStartCreatesThemAgain(@TempDir Path dir) {
        try (TestServer first = TestServer.start(dir)) {
            // upstream's DeleteCollection does not go through the priority class storage's own Delete
            assertThat(first.send("DELETE", PATH, null, null).statusCode()).isEqualTo(200);
            assertThat(json(first.get(PATH)).path("items")).isEmpty();
        }
        try (TestServer again = TestServer.at(dir).start()) {
            assertThat(json(again.get(PATH)).path("items")).extracting(i -> i.path("metadata").path("name").asString())
                    .containsExactlyInAnyOrder("system-node-critical", "system-cluster-critical");
        }
    }
}
