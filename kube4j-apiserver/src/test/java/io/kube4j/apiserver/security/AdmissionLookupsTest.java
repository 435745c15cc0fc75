package io.kube4j.apiserver.security;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Admission plugins read what they need as upstream's do through their informers: from the watch caches, with no
 * store read per pod, and - when a cache has not seen an object yet (created a moment ago) - from the store, so the
 * pod is admitted (with the RuntimeClass's overhead, say) rather than refused.
 */
class AdmissionLookupsTest {
    private static final String RUNTIME_CLASSES = "/apis/node.k8s.io/v1/runtimeclasses";
    private static final String CACHE_PREFIX = "/registry/runtimeclasses/";
    private static final String PODS = "/api/v1/namespaces/default/pods";

    @TempDir
    static Path dir;
    static ObservedStore store;
    static SecureServer server;
    static HttpClient admin;

    @BeforeAll
    static void start() {
        server = SecureServer.start(dir, s -> store = new ObservedStore(s));
        admin = server.admin();
        // no service account controller runs here: the pods' account is created by hand
        expect(201, post("/api/v1/namespaces/default/serviceaccounts",
                "{'apiVersion':'v1','kind':'ServiceAccount','metadata':{'name':'default'}}"));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            store.release(CACHE_PREFIX);
            server.close();
        }
    }

    private static HttpResponse<String> post(String path, String json) {
        return server.send(admin, "POST", path, json.replace('\'', '"'));
    }

    private static ObjectNode expect(int code, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return SecureServer.json(response);
    }

    private static void createRuntimeClass(String name, String cpu) {
        expect(201, post(RUNTIME_CLASSES, "{'apiVersion':'node.k8s.io/v1','kind':'RuntimeClass','metadata':"
                + "{'name':'" + name + "'},'handler':'runc','overhead':{'podFixed':{'cpu':'" + cpu + "'}}}"));
    }

    /** Whether the watch cache holds the class: a resourceVersion=0 list is the cache as it is. */
    private static boolean cached(String name) {
        return cached(RUNTIME_CLASSES, name);
    }

    private static boolean cached(String collection, String name) {
        for (JsonNode item : expect(200, server.get(admin, collection + "?resourceVersion=0")).path("items")) {
            if (item.path("metadata").path("name").asString().equals(name)) {
                return true;
            }
        }
        return false;
    }

    private static HttpResponse<String> createPod(String name, String runtimeClass) {
        return post(PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'},'spec':{"
                + "'automountServiceAccountToken':false,'runtimeClassName':'" + runtimeClass + "',"
                + "'containers':[{'name':'c','image':'busybox'}]}}");
    }

    @Test
    void aCachedClassIsReadFromTheCacheNotTheStore() {
        createRuntimeClass("cached", "100m");
        await().atMost(Duration.ofSeconds(10)).until(() -> cached("cached"));
        int before = store.reads(CACHE_PREFIX + "cached");

        ObjectNode pod = expect(201, createPod("from-cache", "cached"));

        assertThat(pod.path("spec").path("overhead").path("cpu").asString()).isEqualTo("100m");
        assertThat(store.reads(CACHE_PREFIX + "cached")).as("store reads of the class while admitting the pod")
                .isEqualTo(before);
    }

    @Test
    void aClassTheCacheHasNotSeenYetIsReadFromTheStore() {
        store.hold(CACHE_PREFIX);
        try {
            createRuntimeClass("fresh", "250m");
            assertThat(cached("fresh")).as("the watch cache has not seen the class").isFalse();

            ObjectNode pod = expect(201, createPod("from-store", "fresh"));

            assertThat(pod.path("spec").path("overhead").path("cpu").asString()).isEqualTo("250m");
            assertThat(store.reads(CACHE_PREFIX + "fresh")).isPositive();
            // a class in neither the cache nor the store is still refused, as upstream words it
            ObjectNode refused = expect(403, createPod("no-class", "missing"));
            assertThat(refused.path("message").asString())
                    .isEqualTo("pods \"no-class\" is forbidden: pod rejected: RuntimeClass \"missing\" not found");
        } finally {
            store.release(CACHE_PREFIX);
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> cached("fresh"));
    }

    @Test
    void theServiceAccountPriorityClassAndNamespaceOfAPodAreReadFromTheCaches() {
        expect(201, post("/apis/scheduling.k8s.io/v1/priorityclasses",
                "{'apiVersion':'scheduling.k8s.io/v1','kind':'PriorityClass','metadata':{'name':'high'},'value':1000}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cached("/apis/scheduling.k8s.io/v1/priorityclasses", "high")
                && cached("/api/v1/namespaces/default/serviceaccounts", "default")
                && cached("/api/v1/namespaces", "default"));
        String account = "/registry/serviceaccounts/default/default";
        String priorityClass = "/registry/priorityclasses/high";
        String namespace = "/registry/namespaces/default";
        int[] before = {store.reads(account), store.reads(priorityClass), store.reads(namespace)};

        ObjectNode pod = expect(201, post(PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'cached-reads'},"
                + "'spec':{'priorityClassName':'high','containers':[{'name':'c','image':'busybox'}]}}"));

        assertThat(pod.path("spec").path("priority").asLong()).isEqualTo(1000);
        assertThat(pod.path("spec").path("serviceAccountName").asString()).isEqualTo("default");
        assertThat(new int[] {store.reads(account), store.reads(priorityClass)})
                .as("store reads of the account and the class while admitting the pod")
                .containsExactly(before[0], before[1]);
        // the one read left is the lifecycle check's (is the namespace there, not terminating?), which stays live;
        // Pod Security's labels come from the cache
        assertThat(store.reads(namespace) - before[2]).as("store reads of the namespace").isEqualTo(1);
    }

    @Test
    void aCustomResourceSharingABuiltInPluralIsNeverReadInItsPlace() {
        // a cluster-scoped custom resource named priorityclasses, one of whose objects looks like a global default
        expect(201, post("/apis/apiextensions.k8s.io/v1/customresourcedefinitions", "{'apiVersion':"
                + "'apiextensions.k8s.io/v1','kind':'CustomResourceDefinition','metadata':{'name':"
                + "'priorityclasses.impostor.example.com'},'spec':{'group':'impostor.example.com','scope':'Cluster',"
                + "'names':{'plural':'priorityclasses','singular':'priorityclass','kind':'PriorityClass'},"
                + "'versions':[{'name':'v1','served':true,'storage':true,'schema':{'openAPIV3Schema':{'type':"
                + "'object','x-kubernetes-preserve-unknown-fields':true}}}]}}"));
        String impostors = "/apis/impostor.example.com/v1/priorityclasses";
        await().atMost(Duration.ofSeconds(10)).until(() -> server.get(admin, impostors).statusCode() == 200);
        expect(201, post(impostors, "{'apiVersion':'impostor.example.com/v1','kind':'PriorityClass','metadata':"
                + "{'name':'impostor'},'value':5,'globalDefault':true}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cached(impostors, "impostor"));

        ObjectNode pod = expect(201, post(PODS, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'no-class'},"
                + "'spec':{'containers':[{'name':'c','image':'busybox'}]}}"));

        assertThat(pod.path("spec").has("priorityClassName")).as(pod.toString()).isFalse();
        assertThat(pod.path("spec").path("priority").asLong()).isZero();
    }
}
