package io.kube4j.apiserver.crd;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write through customresourcedefinitions/status as upstream's CRD statusStrategy: spec stays as stored, while the
 * request's labels, annotations, finalizers and owner references are taken (its ResetObjectMetaForStatus is given the
 * new metadata twice, so it resets none of them).
 */
class CrdStatusWriteTest {

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private Resources resources;
    private GenericRegistry crds;

    @BeforeEach
    void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        ResourceRegistry registry = ResourceRegistry.builtin();
        resources = new Resources(registry, store, Clock.systemUTC(), 100);
        // the strategy CrdController.start installs, without the controller: only the registry's writes are tested
        ResourceType type = registry.find("apiextensions.k8s.io", "v1", "customresourcedefinitions").orElseThrow();
        crds = resources.add(type, new CrdStrategy(type), "customresourcedefinitions");
        crds.create(null, parse("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition",
                 "metadata":{"name":"gizmos.example.com","labels":{"keep":"1","drop":"1"},"annotations":{"a":"1"}},
                 "spec":{"group":"example.com","scope":"Namespaced",
                   "names":{"plural":"gizmos","singular":"gizmo","kind":"Gizmo"},
                   "versions":[{"name":"v1","served":true,"storage":true,
                     "schema":{"openAPIV3Schema":{"type":"object"}}}]}}"""), false, "creator");
    }

    @AfterEach
    void stop() {
        resources.close();
        store.close();
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aStatusWriteTakesTheUsersMetadataButNotTheSpec() {
        ObjectNode body = crds.get(null, "gizmos.example.com").deepCopy();
        ObjectNode metadata = Json.metadata(body);
        metadata.withObject("/labels").remove("drop");
        metadata.withObject("/labels").put("added", "2");
        metadata.withObject("/annotations").put("a", "changed");
        metadata.withArray("finalizers").add("example.com/hold");
        metadata.withArray("ownerReferences").addObject().put("apiVersion", "v1").put("kind", "ConfigMap")
                .put("name", "owner").put("uid", "0b3c7c0e-7d6f-4a8e-9d7e-2f3c4b5a6d7e");
        body.withObject("/spec").withObject("/names").put("singular", "other");
        body.withObject("/status").withArray("conditions").addObject().put("type", "NamesAccepted")
                .put("status", "True").put("reason", "NoConflicts").put("message", "ok")
                .put("lastTransitionTime", "2026-01-01T00:00:00Z");

        ObjectNode written = crds.updateWritten(null, "gizmos.example.com", body, false, "status", "controller")
                .object();

        ObjectNode meta = Json.metadata(written);
        assertThat(meta.path("labels").toString()).isEqualTo("{\"keep\":\"1\",\"added\":\"2\"}");
        assertThat(meta.path("annotations").path("a").asString()).isEqualTo("changed");
        assertThat(meta.path("finalizers").toString()).contains("example.com/hold");
        assertThat(meta.path("ownerReferences").findValuesAsString("name")).containsExactly("owner");
        assertThat(written.path("spec").path("names").path("singular").asString()).isEqualTo("gizmo");
        assertThat(written.path("status").path("conditions").get(0).path("type").asString())
                .isEqualTo("NamesAccepted");
        assertThat(meta.path("generation").asLong()).isEqualTo(1);
    }
}
