package io.kube4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.embedded.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A created pod's status.qosClass is upstream's GetPodQOS over the defaulted spec: quantities compare by value, limits
 * stand in for absent requests, and whatever status the client sent is replaced.
 */
class PodQosClassTest {

    @TempDir
    static Path dir;
    static EmbeddedStore store;
    static Resources resources;

    @BeforeAll
    static void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        resources.find("", "v1", "namespaces").orElseThrow()
                .create(null, parse("{\"metadata\":{\"name\":\"ns\"}}"), false, "test");
    }

    @AfterAll
    static void close() {
        resources.close();
        store.close();
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String qosOf(String name, String resources, String status) {
        ObjectNode created = PodQosClassTest.resources.find("", "v1", "pods").orElseThrow().create("ns", parse(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"resources\":" + resources + "}]}"
                        + status + "}"), false, "test");
        assertThat(created.path("status").path("phase").asString()).isEqualTo("Pending");
        return created.path("status").path("qosClass").asString();
    }

    @Test
    void equalQuantitiesWrittenDifferentlyAreGuaranteed() {
        assertThat(qosOf("same-value", "{\"requests\":{\"cpu\":\"1\",\"memory\":\"64Mi\"},"
                + "\"limits\":{\"cpu\":\"1000m\",\"memory\":\"67108864\"}}", "")).isEqualTo("Guaranteed");
    }

    @Test
    void limitsAloneAreGuaranteedBecauseRequestsDefaultToThem() {
        assertThat(qosOf("limits-only", "{\"limits\":{\"cpu\":\"100m\",\"memory\":\"32Mi\"}}", ""))
                .isEqualTo("Guaranteed");
    }

    @Test
    void lowerRequestsAreBurstableAndNoneIsBestEffort() {
        assertThat(qosOf("burstable", "{\"requests\":{\"cpu\":\"100m\"},\"limits\":{\"cpu\":\"200m\","
                + "\"memory\":\"32Mi\"}}", "")).isEqualTo("Burstable");
        assertThat(qosOf("best-effort", "{}", "")).isEqualTo("BestEffort");
    }

    @Test
    void theClientsStatusIsReplaced() {
        assertThat(qosOf("sent-status", "{}", ",\"status\":{\"phase\":\"Running\",\"qosClass\":\"Guaranteed\"}"))
                .isEqualTo("BestEffort");
    }
}
