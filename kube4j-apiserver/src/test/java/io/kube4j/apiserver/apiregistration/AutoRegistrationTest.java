package io.kube4j.apiserver.apiregistration;

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

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The autoregistration cases of upstream's checkAPIService table, each sync called directly: the controller's queue
 * runs on an executor that is shut down, so nothing syncs behind the test's back.
 */
class AutoRegistrationTest {

    private static final ApiServicePriorities.Priority APPS = ApiServicePriorities.builtin("apps", "v1").orElseThrow();

    @TempDir
    Path dir;
    private EmbeddedStore store;
    private Resources resources;
    private GenericRegistry apiServices;
    private ScheduledExecutorService inert;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        ResourceRegistry registry = ResourceRegistry.builtin();
        resources = new Resources(registry, store, Clock.systemUTC(), 100);
        ResourceType type = registry.find("apiregistration.k8s.io", "v1", "apiservices").orElseThrow();
        apiServices = resources.add(type, new ApiServiceStrategy(type), "apiservices");
        inert = Executors.newSingleThreadScheduledExecutor();
        inert.shutdown();
    }

    @AfterEach
    void close() {
        resources.close();
        store.close();
    }

    private AutoRegistration started() {
        AutoRegistration controller = new AutoRegistration(apiServices, inert);
        controller.start();
        return controller;
    }

    private ObjectNode stored(String name) {
        return apiServices.find(null, name).orElse(null);
    }

    private void store(ObjectNode apiService) {
        apiServices.create(null, apiService, false, "test");
    }

    private void setPriority(String name, int groupPriority) {
        ObjectNode changed = stored(name);
        ((ObjectNode) changed.get("spec")).put("groupPriorityMinimum", groupPriority);
        apiServices.update(null, name, changed, false, false, "test");
    }

    @Test
    void aBuiltInIsCreatedOnceAndAUsersLaterEditStaysUntilTheNextStart() {
        AutoRegistration controller = started();
        controller.addOnStart("apps", "v1", APPS);
        controller.sync("v1.apps");
        ObjectNode created = stored("v1.apps");
        assertThat(created.at("/metadata/labels").toString())
                .isEqualTo("{\"kube-aggregator.kubernetes.io/automanaged\":\"onstart\"}");
        assertThat(created.get("spec").toString())
                .isEqualTo("{\"group\":\"apps\",\"version\":\"v1\",\"groupPriorityMinimum\":17800,"
                        + "\"versionPriority\":15}");

        setPriority("v1.apps", 5);
        controller.sync("v1.apps");
        assertThat(stored("v1.apps").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(5);
        apiServices.delete(null, "v1.apps", io.kube4j.apiserver.registry.DeleteOptions.defaults(), false);
        controller.sync("v1.apps");
        assertThat(stored("v1.apps")).isNull();
    }

    @Test
    void aBuiltInEditedBeforeTheStartIsPutBackOnce() {
        store(AutoRegistration.localApiService("apps", "v1", new ApiServicePriorities.Priority(5, 5),
                AutoRegistration.ON_START));
        AutoRegistration controller = started();
        controller.addOnStart("apps", "v1", APPS);
        controller.sync("v1.apps");
        assertThat(stored("v1.apps").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(17800);

        setPriority("v1.apps", 7);
        controller.sync("v1.apps");
        assertThat(stored("v1.apps").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(7);
    }

    @Test
    void anOnStartApiServiceNoLongerWantedIsDeletedAtStart() {
        store(AutoRegistration.localApiService("flowcontrol.example.com", "v1", APPS, AutoRegistration.ON_START));
        String name = ApiServices.name("flowcontrol.example.com", "v1");
        AutoRegistration controller = started();
        controller.sync(name);
        assertThat(stored(name)).isNull();
    }

    @Test
    void anOnStartApiServiceAddedAfterTheStartIsLeftAlone() {
        AutoRegistration controller = started();
        store(AutoRegistration.localApiService("example.com", "v1", APPS, AutoRegistration.ON_START));
        controller.sync("v1.example.com");
        assertThat(stored("v1.example.com")).isNotNull();
    }

    @Test
    void aCustomResourceApiServiceIsPutBackEveryTimeAndDeletedWhenNoLongerWanted() {
        AutoRegistration controller = started();
        controller.addAlways("example.com", "v1", ApiServicePriorities.CUSTOM_RESOURCE);
        controller.sync("v1.example.com");
        assertThat(stored("v1.example.com").at("/metadata/labels/kube-aggregator.kubernetes.io~1automanaged")
                .asString()).isEqualTo("true");
        for (int round = 0; round < 2; round++) {
            setPriority("v1.example.com", 3);
            controller.sync("v1.example.com");
            assertThat(stored("v1.example.com").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(1000);
        }
        controller.removeAlways("v1.example.com");
        controller.sync("v1.example.com");
        assertThat(stored("v1.example.com")).isNull();
    }

    @Test
    void aUsersOwnApiServiceIsNeverTouched() {
        ObjectNode own = AutoRegistration.localApiService("example.com", "v1", new ApiServicePriorities.Priority(9, 9),
                AutoRegistration.ALWAYS);
        ((ObjectNode) own.get("metadata")).remove("labels");
        store(own);
        AutoRegistration controller = started();
        controller.addAlways("example.com", "v1", ApiServicePriorities.CUSTOM_RESOURCE);
        controller.sync("v1.example.com");
        controller.removeAlways("v1.example.com");
        controller.sync("v1.example.com");
        assertThat(stored("v1.example.com").at("/spec/groupPriorityMinimum").asInt()).isEqualTo(9);
    }

    @Test
    void theCoreGroupsApiServiceHasNoGroup() {
        ObjectNode core = AutoRegistration.localApiService("", "v1", ApiServicePriorities.builtin("", "v1")
                .orElseThrow(), AutoRegistration.ON_START);
        assertThat(Json.text(core, "metadata", "name")).isEqualTo("v1.");
        assertThat(core.get("spec").has("group")).isFalse();
    }
}
