package io.kube4j.apiserver.registry;

import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.apiserver.json.Json;
import io.kube4j.store.KeyValue;
import io.kube4j.store.embedded.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
    static RegistryFixture fixture;
    static EmbeddedStore store;

    @BeforeAll
    static void open() {
        fixture = new RegistryFixture(dir);
        store = fixture.store;
    }

    @AfterAll
    static void close() {
        fixture.close();
    }

    private static GenericRegistry registry(String plural) {
        return fixture.core(plural);
    }

    private static ObjectNode parse(String json) {
        return RegistryFixture.parse(json);
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

    /**
     * The answer of a create or update is made from the stored bytes (resourceVersion inserted): it must be the
     * returned object's encoding, byte for byte, also for an update that starts from the watch cache's copy of the
     * object rather than from the stored bytes parsed again.
     */
    @Test
    void answersMadeFromStoredBytesEqualTheObjectsEncoding() throws Exception {
        GenericRegistry configMaps = registry("configmaps");
        GenericRegistry.Written created = configMaps.createWritten("ns", parse("{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"answered\",\"labels\":{\"a\":\"b\"}},"
                + "\"data\":{\"k\":\"\\u0001 \\\"q\\\" é\"}}"), false, "kubectl-create");
        assertThat(created.servedBytes("v1")).isNotNull();
        assertThat(new String(created.servedBytes("v1"), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(created.object()), StandardCharsets.UTF_8));
        // another apiVersion than the stored one: the caller encodes the object itself
        assertThat(created.servedBytes("v2")).isNull();

        // once the cache holds the created version, the update copies the cached object instead of decoding it
        KeyValue stored = store.get(configMaps.key("ns", "answered")).orElseThrow();
        org.awaitility.Awaitility.await().until(() -> configMaps.cache().cached(stored) != null);
        ObjectNode cachedBefore = configMaps.cache().cached(stored).object();
        ObjectNode change = parse("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{"
                + "\"name\":\"answered\",\"labels\":{\"a\":\"c\"}},\"data\":{\"k\":\"v\"}}");
        GenericRegistry.Written updated = configMaps.updateWritten("ns", "answered", change, false, false,
                "kubectl-edit");
        assertSameAsStored(configMaps, updated.object());
        assertThat(new String(updated.servedBytes("v1"), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.bytes(updated.object()), StandardCharsets.UTF_8));
        assertThat(updated.object().path("metadata").path("creationTimestamp"))
                .isEqualTo(created.object().path("metadata").path("creationTimestamp"));
        // the cached object the update started from is unchanged by it
        assertThat(cachedBefore.path("metadata").path("labels").path("a").asString()).isEqualTo("b");
        assertThat(cachedBefore.path("data").path("k").asString()).isNotEqualTo("v");

        // a dry run stores nothing, so there are no stored bytes to answer with
        GenericRegistry.Written dry = configMaps.createWritten("ns", parse("{\"apiVersion\":\"v1\","
                + "\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"}}"), true, null);
        assertThat(dry.servedBytes("v1")).isNull();
    }
}
