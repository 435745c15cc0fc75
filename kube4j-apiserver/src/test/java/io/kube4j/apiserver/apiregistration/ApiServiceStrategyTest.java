package io.kube4j.apiserver.apiregistration;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
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
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The APIService registry with its strategy: what create, update and a status write keep and reset. */
class ApiServiceStrategyTest {

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private Resources resources;
    private GenericRegistry apiServices;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        ResourceRegistry registry = ResourceRegistry.builtin();
        resources = new Resources(registry, store, Clock.systemUTC(), 100);
        ResourceType type = registry.find("apiregistration.k8s.io", "v1", "apiservices").orElseThrow();
        apiServices = resources.add(type, new ApiServiceStrategy(type), "apiservices");
    }

    @AfterEach
    void close() {
        resources.close();
        store.close();
    }

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8));
    }

    private static final String APPS = "{'apiVersion':'apiregistration.k8s.io/v1','kind':'APIService',"
            + "'metadata':{'name':'v1.example.com','labels':{'a':'1'}},'spec':{'group':'example.com','version':'v1',"
            + "'groupPriorityMinimum':1000,'versionPriority':100},"
            + "'status':{'conditions':[{'type':'Available','status':'True'}]}}";

    @Test
    void aCreateStartsWithAnEmptyStatusAndAnUpdateKeepsTheStoredOne() {
        ObjectNode created = apiServices.create(null, parse(APPS), false, "test");
        assertThat(created.get("status").toString()).isEqualTo("{}");
        ObjectNode withStatus = created.deepCopy();
        withStatus.putObject("status").putArray("conditions").addObject().put("type", "Available")
                .put("status", "False").put("reason", "Test");
        apiServices.update(null, "v1.example.com", withStatus, false, true, "test");

        ObjectNode update = apiServices.get(null, "v1.example.com");
        ((ObjectNode) update.get("spec")).put("versionPriority", 50);
        update.remove("status");
        ObjectNode updated = apiServices.update(null, "v1.example.com", update, false, false, "test");
        assertThat(updated.at("/spec/versionPriority").asInt()).isEqualTo(50);
        assertThat(updated.at("/status/conditions/0/reason").asString()).isEqualTo("Test");
    }

    @Test
    void aStatusWriteChangesTheStatusAlone() {
        ObjectNode created = apiServices.create(null, parse(APPS), false, "test");
        ObjectNode write = created.deepCopy();
        ((ObjectNode) write.get("spec")).put("versionPriority", 7);
        ((ObjectNode) write.at("/metadata/labels")).put("a", "2");
        write.putObject("status").putArray("conditions").addObject().put("type", "Available").put("status", "True");
        ObjectNode written = apiServices.update(null, "v1.example.com", write, false, true, "test");
        assertThat(written.at("/spec/versionPriority").asInt()).isEqualTo(100);
        assertThat(written.at("/metadata/labels/a").asString()).isEqualTo("1");
        assertThat(written.at("/status/conditions/0/status").asString()).isEqualTo("True");
    }

    @Test
    void anInvalidApiServiceIsA422WithItsCauses() {
        StatusException refused = catchThrowableOfType(StatusException.class, () -> apiServices.create(null,
                parse(APPS.replace("v1.example.com", "example")), false, "test"));
        assertThat(refused.toStatus().get("code").asInt()).isEqualTo(422);
        assertThat(refused.toStatus().at("/details/causes/0/field").asString()).isEqualTo("metadata.name");
    }
}
