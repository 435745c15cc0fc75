package io.kube4j.apiserver;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code default/kubernetes} Endpoints and EndpointSlice: created with the advertise address and the secure
 * port, left alone when right, rewritten when changed, shared by several API servers over one store.
 */
class KubernetesEndpointsReconcilerTest {

    @TempDir
    Path dir;
    EmbeddedStore store;
    Resources resources;

    @BeforeEach
    void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        Bootstrap.run(resources);
        new KubernetesServiceController(resources, 6443, null).reconcile(true);
    }

    @AfterEach
    void close() {
        resources.close();
        store.close();
    }

    private GenericRegistry endpoints() {
        return resources.find("", "v1", "endpoints").orElseThrow();
    }

    private GenericRegistry slices() {
        return resources.find("discovery.k8s.io", "v1", "endpointslices").orElseThrow();
    }

    private static tools.jackson.databind.JsonNode parse(String json) {
        return Json.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void createsTheEndpointsAndTheSliceAndLeavesThemAloneWhenRight() {
        try (KubernetesEndpointsReconciler r = new KubernetesEndpointsReconciler(resources, store, "10.1.2.3", 6443)) {
            r.reconcile();
            ObjectNode ep = endpoints().get("default", "kubernetes");
            assertThat(ep.path("subsets")).isEqualTo(parse("""
                    [{"addresses":[{"ip":"10.1.2.3"}],"ports":[{"name":"https","port":6443,"protocol":"TCP"}]}]"""));
            assertThat(ep.path("metadata").path("labels").path("endpointslice.kubernetes.io/skip-mirror").asString())
                    .isEqualTo("true");
            ObjectNode slice = slices().get("default", "kubernetes");
            assertThat(slice.path("metadata").path("labels")).isEqualTo(parse(
                    "{\"kubernetes.io/service-name\":\"kubernetes\"}"));
            assertThat(slice.path("addressType").asString()).isEqualTo("IPv4");
            assertThat(slice.path("endpoints")).isEqualTo(parse(
                    "[{\"addresses\":[\"10.1.2.3\"],\"conditions\":{\"ready\":true}}]"));
            assertThat(slice.path("ports")).isEqualTo(parse("[{\"name\":\"https\",\"protocol\":\"TCP\",\"port\":6443}]"));

            String epVersion = ep.path("metadata").path("resourceVersion").asString();
            String sliceVersion = slice.path("metadata").path("resourceVersion").asString();
            r.reconcile();
            // nothing to change: nothing written (a write every 10 s would wake every watcher of endpoints)
            assertThat(endpoints().get("default", "kubernetes").path("metadata").path("resourceVersion").asString())
                    .isEqualTo(epVersion);
            assertThat(slices().get("default", "kubernetes").path("metadata").path("resourceVersion").asString())
                    .isEqualTo(sliceVersion);
        }
    }

    @Test
    void rewritesEndpointsAndSliceThatWereChanged() {
        try (KubernetesEndpointsReconciler r = new KubernetesEndpointsReconciler(resources, store, "10.1.2.3", 6443)) {
            r.reconcile();
            endpoints().guaranteedUpdate("default", "kubernetes", true, false, false, ep -> {
                ep.set("subsets", parse("[{\"addresses\":[{\"ip\":\"192.0.2.9\"}],\"ports\":[{\"name\":\"https\","
                        + "\"port\":1234,\"protocol\":\"TCP\"}]}]"));
                return ep;
            });
            slices().guaranteedUpdate("default", "kubernetes", true, false, false, s -> {
                s.set("endpoints", parse("[{\"addresses\":[\"192.0.2.9\"],\"conditions\":{\"ready\":true}}]"));
                s.set("ports", parse("[{\"name\":\"https\",\"protocol\":\"TCP\",\"port\":1234}]"));
                return s;
            });
            r.reconcile();
            assertThat(endpoints().get("default", "kubernetes").path("subsets").toString())
                    .contains("10.1.2.3").contains("6443").doesNotContain("192.0.2.9").doesNotContain("1234");
            ObjectNode slice = slices().get("default", "kubernetes");
            assertThat(slice.path("endpoints").toString()).contains("10.1.2.3").doesNotContain("192.0.2.9");
            assertThat(slice.path("ports").get(0).path("port").asInt()).isEqualTo(6443);
        }
    }

    @Test
    void aDeletedSliceIsCreatedAgain() {
        try (KubernetesEndpointsReconciler r = new KubernetesEndpointsReconciler(resources, store, "10.1.2.3", 6443)) {
            r.reconcile();
            slices().delete("default", "kubernetes", io.kube4j.apiserver.registry.DeleteOptions.defaults(), false);
            assertThat(slices().find("default", "kubernetes")).isEmpty();
            r.reconcile();
            assertThat(slices().get("default", "kubernetes").path("endpoints").toString()).contains("10.1.2.3");
        }
    }

    @Test
    void everyLiveApiServerIsPublishedAndOneThatStopsIsWithdrawn() {
        KubernetesEndpointsReconciler a = new KubernetesEndpointsReconciler(resources, store, "10.1.2.4", 6443);
        try (KubernetesEndpointsReconciler b = new KubernetesEndpointsReconciler(resources, store, "10.1.2.3", 6443)) {
            a.reconcile();
            b.reconcile();
            assertThat(slices().get("default", "kubernetes").path("endpoints")).isEqualTo(parse(
                    "[{\"addresses\":[\"10.1.2.3\"],\"conditions\":{\"ready\":true}},"
                            + "{\"addresses\":[\"10.1.2.4\"],\"conditions\":{\"ready\":true}}]"));
            assertThat(endpoints().get("default", "kubernetes").path("subsets").get(0).path("addresses")).isEqualTo(
                    parse("[{\"ip\":\"10.1.2.3\"},{\"ip\":\"10.1.2.4\"}]"));
            a.close();
            assertThat(slices().get("default", "kubernetes").path("endpoints")).isEqualTo(parse(
                    "[{\"addresses\":[\"10.1.2.3\"],\"conditions\":{\"ready\":true}}]"));
            assertThat(endpoints().get("default", "kubernetes").path("subsets").get(0).path("addresses")).isEqualTo(
                    parse("[{\"ip\":\"10.1.2.3\"}]"));
        }
    }

    @Test
    void theServiceTargetsTheSecurePortAfterARestartOnAnotherPort() {
        GenericRegistry services = resources.find("", "v1", "services").orElseThrow();
        assertThat(services.get("default", "kubernetes").path("spec").path("ports").get(0).path("targetPort").asInt())
                .isEqualTo(6443);
        new KubernetesServiceController(resources, 7443, null).reconcile(true);
        ObjectNode port = (ObjectNode) services.get("default", "kubernetes").path("spec").path("ports").get(0);
        assertThat(port.path("port").asInt()).isEqualTo(443);
        assertThat(port.path("name").asString()).isEqualTo("https");
        assertThat(port.path("targetPort").asInt()).isEqualTo(7443);
    }

    @Test
    void theApiServerListensOnALoopbackAdvertiseAddressButDoesNotPublishIt() throws Exception {
        // 127.0.0.2 is loopback too (the whole 127/8 is): a second address without touching any interface. An
        // endpoint may not be loopback (validation refuses it, as upstream's), so it is not published - nor put in
        // the lease pool, where it would stop every server's write of the Endpoints (kubernetes#121942)
        ApiServerConfig config = ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), null)
                .withAdvertiseAddress("127.0.0.2");
        resources.close(); // the server opens its own over the same store
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 100);
        try (ApiServer api = ApiServer.start(config)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> version = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.2:" + api.port() + "/version")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(version.statusCode()).isEqualTo(200);
            HttpResponse<String> svc = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port()
                    + "/api/v1/namespaces/default/services/kubernetes")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(parse(svc.body()).path("spec").path("ports").get(0).path("targetPort").asInt())
                    .isEqualTo(api.port());
            assertThat(endpoints().find("default", "kubernetes")).isEmpty();
            assertThat(slices().find("default", "kubernetes")).isEmpty();
            assertThat(store.list(KubernetesEndpointsReconciler.LEASE_PREFIX).items()).isEmpty();
        }
    }

    @Test
    void anAdvertiseAddressOfNoInterfaceHereIsPublishedButNotListenedOn() {
        // a NAT or load-balancer address (TEST-NET-2: on no interface of any test machine): upstream starts fine
        assertThat(ServerAddresses.isAddressOfThisHost("198.51.100.7")).isFalse();
        assertThat(ServerAddresses.isAddressOfThisHost("127.0.0.2")).isTrue();
        ApiServerConfig config = ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), null)
                .withAdvertiseAddress("198.51.100.7");
        try (ApiServer api = ApiServer.start(config)) {
            assertThat(endpoints().get("default", "kubernetes").path("subsets").get(0).path("addresses").get(0)
                    .path("ip").asString()).isEqualTo("198.51.100.7");
        }
    }

    @Test
    void aWildcardOrTheSameBindAddressNeedsNoSecondListener() {
        assertThat(ServerAddresses.listensApart(new InetSocketAddress("0.0.0.0", 6443), "10.1.2.3")).isFalse();
        assertThat(ServerAddresses.listensApart(new InetSocketAddress("10.1.2.3", 6443), "10.1.2.3")).isFalse();
        assertThat(ServerAddresses.listensApart(new InetSocketAddress("127.0.0.1", 6443), null)).isFalse();
        assertThat(ServerAddresses.listensApart(new InetSocketAddress("127.0.0.1", 6443), "10.1.2.3")).isTrue();
    }
}
