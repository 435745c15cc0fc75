package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The system namespaces as upstream keeps them: namespace lifecycle admission refuses to delete default, kube-system
 * and kube-public (403 Forbidden, upstream's message); kube-node-lease may be deleted, and the system-namespaces
 * controller creates it again once it is gone (not while it is still terminating).
 */
class SystemNamespacesTest {

    @TempDir
    Path dir;

    @Test
    void deletingDefaultKubeSystemOrKubePublicIsForbiddenAsUpstreamsNamespaceLifecycle() throws Exception {
        try (TestServer server = TestServer.inTempDir().start()) {
            for (String name : new String[] {"default", "kube-system", "kube-public"}) {
                HttpResponse<String> response = server.send("DELETE", "/api/v1/namespaces/" + name, null, null);
                assertThat(response.statusCode()).as(name).isEqualTo(403);
                JsonNode status = Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
                assertThat(status.path("kind").asString()).isEqualTo("Status");
                assertThat(status.path("status").asString()).isEqualTo("Failure");
                assertThat(status.path("reason").asString()).isEqualTo("Forbidden");
                assertThat(status.path("code").asInt()).isEqualTo(403);
                assertThat(status.path("message").asString())
                        .isEqualTo("namespaces \"" + name + "\" is forbidden: this namespace may not be deleted");
                assertThat(status.path("details").path("name").asString()).isEqualTo(name);
                assertThat(status.path("details").path("kind").asString()).isEqualTo("namespaces");
                HttpResponse<String> still = server.get("/api/v1/namespaces/" + name);
                assertThat(still.statusCode()).isEqualTo(200);
                assertThat(Json.parse(still.body().getBytes(StandardCharsets.UTF_8)).path("status").path("phase")
                        .asString()).isEqualTo("Active");
            }
            // upstream's immortal namespaces are those three: kube-node-lease is deleted like any other
            HttpResponse<String> lease = server.send("DELETE", "/api/v1/namespaces/kube-node-lease", null, null);
            assertThat(lease.statusCode()).isEqualTo(200);
            assertThat(Json.parse(lease.body().getBytes(StandardCharsets.UTF_8)).path("status").path("phase")
                    .asString()).isEqualTo("Terminating");
        }
    }

    @Test
    void aDeletedKubeNodeLeaseIsCreatedAgainOnceItIsGone() {
        EmbeddedStore store = EmbeddedStore.open(dir.resolve("store"));
        Resources resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
        try {
            GenericRegistry namespaces = resources.find("", "v1", "namespaces").orElseThrow();
            SystemNamespacesController controller = new SystemNamespacesController(resources, Duration.ofMillis(100));
            controller.start(timers);
            ObjectNode before = namespaces.get(null, "kube-node-lease");
            assertThat(controller.ensure()).as("nothing missing").isEmpty();

            resources.namespaces().delete(namespaces, "kube-node-lease", DeleteOptions.defaults(), false);
            // terminating, it still exists: several passes leave it alone (upstream's lister finds it too)
            await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
                ObjectNode terminating = namespaces.get(null, "kube-node-lease");
                assertThat(terminating.path("status").path("phase").asString()).isEqualTo("Terminating");
                assertThat(terminating.path("metadata").path("uid")).isEqualTo(before.path("metadata").path("uid"));
            });

            // the namespace controller's last step: the kubernetes finalizer removed, the namespace goes
            ObjectNode noFinalizers = Json.object();
            noFinalizers.putObject("spec").putArray("finalizers");
            ObjectNode finalized = resources.namespaces().finalize(namespaces, "kube-node-lease", noFinalizers, false);
            assertThat(finalized.path("metadata").path("uid")).as("finalize answers with the namespace")
                    .isEqualTo(before.path("metadata").path("uid"));
            assertThat(namespaces.find(null, "kube-node-lease").map(ns -> ns.path("metadata").path("uid")))
                    .as("gone, or already created again").isNotEqualTo(java.util.Optional.of(before.path("metadata").path("uid")));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                ObjectNode again = namespaces.find(null, "kube-node-lease").orElse(null);
                assertThat(again).isNotNull();
                assertThat(again.path("metadata").path("uid")).isNotEqualTo(before.path("metadata").path("uid"));
                assertThat(again.path("metadata").has("deletionTimestamp")).isFalse();
                assertThat(again.path("status").path("phase").asString()).isEqualTo("Active");
            });
        } finally {
            timers.shutdownNow();
            resources.close();
            store.close();
        }
    }
}
