package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.DeleteOptions;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Service {@code default/kubernetes} as upstream's kubernetes-service controller keeps it: created in upstream's
 * shape, created again on the loop after a delete (with its endpoints), an edit kept, the targetPort corrected
 * at start only.
 */
class KubernetesServiceControllerTest {

    @TempDir
    Path dir;
    EmbeddedStore store;
    Resources resources;
    ScheduledExecutorService timers;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        Bootstrap.run(resources);
        timers = Executors.newSingleThreadScheduledExecutor();
    }

    @AfterEach
    void close() {
        timers.shutdownNow();
        resources.close();
        store.close();
    }

    private GenericRegistry services() {
        return resources.find("", "v1", "services").orElseThrow();
    }

    private ObjectNode service() {
        return services().get("default", "kubernetes");
    }

    private static JsonNode parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private void delete() {
        services().delete("default", "kubernetes", DeleteOptions.defaults(), false);
        assertThat(services().find("default", "kubernetes")).isEmpty();
    }

    @Test
    void createsTheServiceInUpstreamsShape() {
        new KubernetesServiceController(resources, 6443, null).reconcile(true);
        ObjectNode svc = service();
        assertThat(svc.path("metadata").path("labels")).isEqualTo(parse(
                "{\"component\":\"apiserver\",\"provider\":\"kubernetes\"}"));
        JsonNode spec = svc.path("spec");
        assertThat(spec.path("type").asString()).isEqualTo("ClusterIP");
        // the service CIDR's first address (10.43.0.0/16 by default)
        assertThat(spec.path("clusterIP").asString()).isEqualTo(resources.clusterIps().first()).isEqualTo("10.43.0.1");
        assertThat(spec.path("ipFamilyPolicy").asString()).isEqualTo("SingleStack");
        assertThat(spec.path("sessionAffinity").asString()).isEqualTo("None");
        assertThat(spec.has("selector")).as("endpoints are written by the API server, not selected").isFalse();
        assertThat(spec.path("ports")).isEqualTo(parse(
                "[{\"name\":\"https\",\"protocol\":\"TCP\",\"port\":443,\"targetPort\":6443}]"));
    }

    @Test
    void aDeletedServiceAndItsEndpointsComeBackOnTheLoop() {
        KubernetesEndpointsReconciler endpoints = new KubernetesEndpointsReconciler(resources, store, "10.1.2.3", 6443);
        try (KubernetesServiceController controller = new KubernetesServiceController(resources, 6443, endpoints,
                Duration.ofMillis(100)).start(timers)) {
            String uid = service().path("metadata").path("uid").asString();
            delete();
            GenericRegistry slices = resources.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
            slices.delete("default", "kubernetes", DeleteOptions.defaults(), false);

            await().atMost(Duration.ofSeconds(10)).until(() -> services().find("default", "kubernetes").isPresent()
                    && slices.find("default", "kubernetes").isPresent());
            ObjectNode again = service();
            assertThat(again.path("metadata").path("uid").asString()).isNotEqualTo(uid);
            assertThat(again.path("spec").path("clusterIP").asString()).isEqualTo("10.43.0.1");
            assertThat(again.path("metadata").path("labels").path("provider").asString()).isEqualTo("kubernetes");
            assertThat(again.path("spec").path("ports").get(0).path("targetPort").asInt()).isEqualTo(6443);
            assertThat(slices.get("default", "kubernetes").path("endpoints").toString()).contains("10.1.2.3");
        }
    }

    @Test
    void theLoopKeepsAUsersEditAsUpstreamDoes() {
        KubernetesServiceController controller = new KubernetesServiceController(resources, 6443, null);
        controller.reconcile(true);
        // e.g. exposing the API on another port or a NodePort: upstream's periodic pass leaves the Service alone
        services().guaranteedUpdate("default", "kubernetes", true, false, false, read -> {
            ObjectNode next = read.deepCopy();
            ((ObjectNode) next.path("spec").path("ports").get(0)).put("port", 8443);
            Json.metadata(next).putObject("labels").put("team", "platform");
            return next;
        });
        String version = service().path("metadata").path("resourceVersion").asString();
        controller.reconcile(false);
        controller.reconcile(false);
        ObjectNode svc = service();
        assertThat(svc.path("metadata").path("resourceVersion").asString()).isEqualTo(version);
        assertThat(svc.path("spec").path("ports").get(0).path("port").asInt()).isEqualTo(8443);
        assertThat(svc.path("metadata").path("labels")).isEqualTo(parse("{\"team\":\"platform\"}"));
    }

    @Test
    void atStartOnlyTheTargetPortFollowsTheSecurePort() {
        new KubernetesServiceController(resources, 6443, null).reconcile(true);
        KubernetesServiceController restarted = new KubernetesServiceController(resources, 7443, null);
        restarted.reconcile(false);
        assertThat(service().path("spec").path("ports").get(0).path("targetPort").asInt())
                .as("not on the periodic pass").isEqualTo(6443);
        restarted.reconcile(true);
        JsonNode port = service().path("spec").path("ports").get(0);
        assertThat(port.path("targetPort").asInt()).isEqualTo(7443);
        assertThat(port.path("port").asInt()).isEqualTo(443);
    }

    @Test
    void aServiceThatCannotBeCreatedIsTriedAgainOnTheNextPass() {
        KubernetesServiceController controller = new KubernetesServiceController(resources, 6443, null);
        controller.reconcile(true);
        delete();
        // somebody else's Service took the address: the create fails (the loop logs it) until it is free again
        ObjectNode squatter = Json.object();
        Json.metadata(squatter).put("name", "squatter");
        squatter.putObject("spec").put("clusterIP", "10.43.0.1").putArray("ports").addObject().put("port", 80);
        services().create("default", squatter, false);
        assertThatThrownBy(() -> controller.reconcile(false)).isInstanceOf(StatusException.class)
                .satisfies(e -> assertThat(((StatusException) e).code()).isEqualTo(422));
        services().delete("default", "squatter", DeleteOptions.defaults(), false);
        controller.reconcile(false);
        assertThat(service().path("spec").path("clusterIP").asString()).isEqualTo("10.43.0.1");
    }
}
