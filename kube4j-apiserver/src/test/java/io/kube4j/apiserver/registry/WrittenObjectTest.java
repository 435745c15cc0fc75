package io.kube4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.KeyValue;
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
 * Create and update answer with the object they wrote rather than the stored bytes parsed again: both ways must give
 * the same object, byte for byte, and the bytes in the store must be that object without its resourceVersion.
 */
class WrittenObjectTest {

    @TempDir
    static Path dir;
    static EmbeddedStore store;
    static Resources resources;

    @BeforeAll
    static void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        registry("namespaces").create(null, parse("{\"metadata\":{\"name\":\"ns\"}}"), false, "test");
    }

    @AfterAll
    static void close() {
        resources.close();
        store.close();
    }

    private static GenericRegistry registry(String plural) {
        return resources.find("", "v1", plural).orElseThrow();
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The returned object against the one decoded from the store, and the stored bytes against its encoding. */
    private static void assertSameAsStored(GenericRegistry registry, ObjectNode returned) {
        String name = returned.path("metadata").path("name").asString();
        KeyValue kv = store.get(registry.key("ns", name)).orElseThrow();
        ObjectNode decoded = registry.decode(kv);
        assertThat(returned.path("metadata").path("resourceVersion").asString())
                .isEqualTo(Long.toString(kv.modRevision()));
        assertThat(new String(Json.bytes(returned), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(decoded), StandardCharsets.UTF_8));
        assertThat(returned).isEqualTo(decoded);
        assertThat(new String(ObjectCodec.encode(returned), StandardCharsets.UTF_8))
                .isEqualTo(new String(kv.value(), StandardCharsets.UTF_8));
    }

    @Test
    void createdPodIsWhatWasStored() {
        GenericRegistry pods = registry("pods");
        ObjectNode created = pods.create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{"
                + "\"name\":\"p\",\"resourceVersion\":\"\",\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":["
                + "{\"name\":\"c\",\"image\":\"busybox:1.36\",\"ports\":[{\"containerPort\":80}],"
                + "\"resources\":{\"limits\":{\"cpu\":0.5}}}]}}"), false, "kubectl-create");
        assertSameAsStored(pods, created);
        assertThat(created.path("metadata").path("managedFields").isArray()).isTrue();
    }

    @Test
    void createdConfigMapWithUnusualContentIsWhatWasStored() {
        GenericRegistry configMaps = registry("configmaps");
        ObjectNode created = configMaps.create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"odd\",\"annotations\":{}},\"data\":{\"k\":\"a\\\"\\\\\\n\\u0001 é "
                + "\\/x\",\"n\":\"1e3\"}}"), false, null);
        assertSameAsStored(configMaps, created);
    }

    @Test
    void updatedObjectWithAClientResourceVersionIsWhatWasStored() {
        GenericRegistry configMaps = registry("configmaps");
        ObjectNode created = configMaps.create("ns", parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\","
                + "\"metadata\":{\"name\":\"cm\"},\"data\":{\"a\":\"1\"}}"), false, "kubectl-create");
        // The client's resourceVersion sits mid-metadata; the answer has the new one last, as a read gives it.
        ObjectNode change = parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm\","
                + "\"resourceVersion\":\"" + created.path("metadata").path("resourceVersion").asString()
                + "\",\"labels\":{\"x\":\"y\"}},\"data\":{\"a\":\"2\",\"b\":\"3\"}}");
        ObjectNode updated = configMaps.update("ns", "cm", change, false, false, "kubectl-edit");
        assertSameAsStored(configMaps, updated);
        assertThat(updated.path("metadata").path("resourceVersion").asString())
                .isNotEqualTo(created.path("metadata").path("resourceVersion").asString());

        ObjectNode patched = configMaps.patch("ns", "cm", current -> {
            current.withObject("data").put("c", "4");
            return current;
        }, false, false);
        assertSameAsStored(configMaps, patched);
    }
}
