package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import io.kube4j.store.embedded.EmbeddedStore;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

/** An embedded store and the built-in registries over it, with a namespace "ns": what registry tests start from. */
final class RegistryFixture implements AutoCloseable {

    final EmbeddedStore store;
    final Resources resources;

    RegistryFixture(Path dir) {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        core("namespaces").create(null, parse("{\"metadata\":{\"name\":\"ns\"}}"), false, "test");
    }

    /** The registry of a core/v1 resource. */
    GenericRegistry core(String plural) {
        return resources.find("", "v1", plural).orElseThrow();
    }

    static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        resources.close();
        store.close();
    }
}
