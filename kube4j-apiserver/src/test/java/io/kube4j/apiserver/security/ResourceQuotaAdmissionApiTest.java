package io.kube4j.apiserver.security;

import io.kube4j.store.Store;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * ResourceQuota admission on a securely serving API server, where upstream's plugin differs in the details: the
 * wording of a compute-resource refusal, what a pod sent as finished is charged, and how quotas the watch cache has
 * not seen yet (written through another API server, or charged a moment ago) are read. No quota controller runs
 * here: the tests write the status it would.
 */
class ResourceQuotaAdmissionApiTest {
    private static final String CACHE_PREFIX = "/registry/resourcequotas/";

    static ObservedStore store;
    @RegisterExtension
    static final SecureServer server = SecureServer.perClass(s -> store = new ObservedStore(s));
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
    }

    @Test
    void aPodWithoutTheComputeResourcesAQuotaTracksIsRefusedNamingTheContainers() {
        server.createNamespace("specify", Map.of());
        createCountedQuota("specify", "compute", "'requests.cpu':'1','limits.memory':'1Gi'",
                "'requests.cpu':'0','limits.memory':'0'");

        HttpResponse<String> refused = post("/api/v1/namespaces/specify/pods", "{'apiVersion':'v1','kind':'Pod',"
                + "'metadata':{'name':'bare'},'spec':{'initContainers':[{'name':'init','image':'busybox'}],"
                + "'containers':[{'name':'app','image':'busybox','resources':{'requests':{'cpu':'100m'}}},"
                + "{'name':'web','image':'busybox','resources':{'requests':{'cpu':'100m'},"
                + "'limits':{'memory':'64Mi'}}}]}}");

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(SecureServer.json(refused).path("message").asString()).isEqualTo("pods \"bare\" is forbidden: "
                + "failed quota: compute: must specify limits.memory for: app,init; requests.cpu for: init");
    }

    @Test
    void aPodSentAsFinishedIsChargedAsThePendingPodItIsStoredAs() {
        server.createNamespace("finished", Map.of());
        createCountedQuota("finished", "pods", "'pods':'1','count/pods':'1'", "'pods':'0','count/pods':'0'");

        HttpResponse<String> created = post("/api/v1/namespaces/finished/pods", pod("sent-as-done",
                ",'status':{'phase':'Succeeded'}"));

        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(SecureServer.json(created).path("status").path("phase").asString()).isEqualTo("Pending");
        ObjectNode used = (ObjectNode) SecureServer.json(server.get(admin,
                "/api/v1/namespaces/finished/resourcequotas/pods")).path("status").path("used");
        assertThat(used.path("pods").asString()).isEqualTo("1");
        assertThat(used.path("count/pods").asString()).isEqualTo("1");
        HttpResponse<String> second = post("/api/v1/namespaces/finished/pods", pod("second", ""));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(403);
    }

    @Test
    void aQuotaTheCacheHasNotSeenYetIsReadFromTheStore() {
        // no namespaced object is created before the quota: a request that finds no quota, in the cache or the store,
        // is remembered as such for a while (upstream's live lookup cache), and would be answered so again
        expect(201, post("/api/v1/namespaces", "{'apiVersion':'v1','kind':'Namespace','metadata':{'name':'live'}}"));
        store.hold(CACHE_PREFIX);
        try {
            // counted, and written as another API server sharing the store would write it: this one's watch cache
            // has not seen it, so its cache holds no quota at all for the namespace
            store.create(CACHE_PREFIX + "live/cms", ("{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':"
                    + "'cms','namespace':'live','uid':'uid-cms','creationTimestamp':'2026-01-01T00:00:00Z'},"
                    + "'spec':{'hard':{'count/configmaps':'1'}},'status':{'hard':{'count/configmaps':'1'},"
                    + "'used':{'count/configmaps':'0'}}}").replace('\'', '"').getBytes(StandardCharsets.UTF_8),
                    Store.NO_LEASE);
            assertThat(cachedQuotas("live")).as("the watch cache has not seen the quota").doesNotContain("cms");

            assertThat(post("/api/v1/namespaces/live/configmaps", configMap("first")).statusCode()).isEqualTo(201);
            HttpResponse<String> second = post("/api/v1/namespaces/live/configmaps", configMap("second"));

            assertThat(second.statusCode()).as(second.body()).isEqualTo(403);
            assertThat(SecureServer.json(second).path("message").asString()).isEqualTo("configmaps \"second\" is "
                    + "forbidden: exceeded quota: cms, requested: count/configmaps=1, used: count/configmaps=1, "
                    + "limited: count/configmaps=1");
        } finally {
            store.release(CACHE_PREFIX);
        }
    }

    @Test
    void backToBackChargesBuildOnTheVersionAdmissionJustWrote() {
        server.createNamespace("consecutive", Map.of());
        createCountedQuota("consecutive", "cms", "'count/configmaps':'3'", "'count/configmaps':'0'");
        String quotaKey = CACHE_PREFIX + "consecutive/cms";
        store.hold(CACHE_PREFIX);
        try {
            int before = store.reads(quotaKey);
            for (String name : new String[] {"one", "two", "three"}) {
                assertThat(post("/api/v1/namespaces/consecutive/configmaps", configMap(name)).statusCode())
                        .isEqualTo(201);
            }
            // one compare-and-swap each (one read of the quota per attempt): none built on the cache's stale
            // version and lost to the charge before it
            assertThat(store.reads(quotaKey) - before).as("quota write attempts").isEqualTo(3);
            assertThat(post("/api/v1/namespaces/consecutive/configmaps", configMap("four")).statusCode())
                    .isEqualTo(403);
        } finally {
            store.release(CACHE_PREFIX);
        }
    }

    @Test
    void aLoadBalancerWithoutNodePortsIsChargedOnlyThePortsThatNameOne() {
        server.createNamespace("lb", Map.of());
        createCountedQuota("lb", "ports", "'services.nodeports':'1'", "'services.nodeports':'0'");

        // allocateLoadBalancerNodePorts: false - no node port is allocated, so none is charged (upstream's
        // service evaluator)
        expect(201, post("/api/v1/namespaces/lb/services", service("no-ports", "LoadBalancer",
                ",'allocateLoadBalancerNodePorts':false", "{'name':'a','port':80},{'name':'b','port':443}")));
        // one port that names its node port explicitly is still one
        expect(201, post("/api/v1/namespaces/lb/services", service("one-port", "LoadBalancer",
                ",'allocateLoadBalancerNodePorts':false",
                "{'name':'a','port':80,'nodePort':30081},{'name':'b','port':443}")));
        ObjectNode used = (ObjectNode) SecureServer.json(server.get(admin,
                "/api/v1/namespaces/lb/resourcequotas/ports")).path("status").path("used");
        assertThat(used.path("services.nodeports").asString()).isEqualTo("1");
        // and none is allocated (upstream's shouldAllocateNodePorts), so the quota controller's count agrees
        assertThat(SecureServer.json(server.get(admin, "/api/v1/namespaces/lb/services/no-ports")).path("spec")
                .path("ports").toString()).doesNotContain("nodePort");
        ObjectNode named = SecureServer.json(server.get(admin, "/api/v1/namespaces/lb/services/one-port"));
        assertThat(named.path("spec").path("ports").path(0).path("nodePort").asInt()).isEqualTo(30081);
        assertThat(named.path("spec").path("ports").path(1).has("nodePort")).isFalse();
        HttpResponse<String> refused = post("/api/v1/namespaces/lb/services", service("node-port", "NodePort", "",
                "{'port':80}"));
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
    }

    /** A quota as its controller leaves it once counted, waited for until the watch cache has it. */
    private static void createCountedQuota(String namespace, String name, String hard, String used) {
        createQuota(namespace, name, hard, used);
        await().atMost(Duration.ofSeconds(10)).until(() -> cachedQuotas(namespace).contains("\"used\""));
    }

    private static void createQuota(String namespace, String name, String hard, String used) {
        String quotas = "/api/v1/namespaces/" + namespace + "/resourcequotas";
        expect(201, post(quotas, "{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':'" + name + "'},"
                + "'spec':{'hard':{" + hard + "}}}"));
        // what the quota controller writes: the limits copied into status.hard, and the usage it counted
        expect(200, server.send(admin, "PATCH", quotas + "/" + name + "/status", ("{'status':{'hard':{" + hard
                + "},'used':{" + used + "}}}").replace('\'', '"'), "Content-Type", "application/merge-patch+json"));
    }

    /** The namespace's quotas as the watch cache holds them (a resourceVersion=0 list). */
    private static String cachedQuotas(String namespace) {
        return expect(200, server.get(admin, "/api/v1/namespaces/" + namespace + "/resourcequotas?resourceVersion=0"))
                .toString();
    }

    private static String pod(String name, String more) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'},'spec':{'containers':"
                + "[{'name':'c','image':'busybox'}]}" + more + "}";
    }

    private static String service(String name, String type, String more, String ports) {
        return "{'apiVersion':'v1','kind':'Service','metadata':{'name':'" + name + "'},'spec':{'type':'" + type
                + "','selector':{'app':'x'},'ports':[" + ports + "]" + more + "}}";
    }

    private static String configMap(String name) {
        return "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'" + name + "'}}";
    }

    private static HttpResponse<String> post(String path, String json) {
        return server.send(admin, "POST", path, json.replace('\'', '"'));
    }

    private static ObjectNode expect(int code, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return SecureServer.json(response);
    }
}
