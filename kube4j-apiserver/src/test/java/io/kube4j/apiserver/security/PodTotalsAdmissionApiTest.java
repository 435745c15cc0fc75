package io.kube4j.apiserver.security;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The pod totals admission works with, as upstream's: a LimitRange "Pod" limit and a ResourceQuota both add a
 * sidecar (an init container with restartPolicy Always) to the app containers it runs beside; LimitRanger leaves the
 * RuntimeClass overhead out of what it bounds.
 */
class PodTotalsAdmissionApiTest {
    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
    }

    @Test
    void aPodLimitCountsTheSidecarsButNotTheOverhead() {
        server.createNamespace("podlimit", Map.of());
        expect(201, post("/apis/node.k8s.io/v1/runtimeclasses", "{'apiVersion':'node.k8s.io/v1','kind':'RuntimeClass',"
                + "'metadata':{'name':'vm'},'handler':'vm','overhead':{'podFixed':{'memory':'120Mi'}}}"));
        expect(201, post("/api/v1/namespaces/podlimit/limitranges", "{'apiVersion':'v1','kind':'LimitRange',"
                + "'metadata':{'name':'per-pod'},'spec':{'limits':[{'type':'Pod','max':{'cpu':'1','memory':'256Mi'}}]}}"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cached("/apis/node.k8s.io/v1/runtimeclasses").contains("\"vm\"")
                && cached("/api/v1/namespaces/podlimit/limitranges").contains("per-pod"));

        // 200Mi of containers fits a 256Mi pod limit; the 120Mi the sandbox costs is not the pod's to bound
        HttpResponse<String> withOverhead = post("/api/v1/namespaces/podlimit/pods", pod("vm-pod",
                "'runtimeClassName':'vm',", "", container("app", "500m", "200Mi", "")));
        assertThat(withOverhead.statusCode()).as(withOverhead.body()).isEqualTo(201);
        assertThat(SecureServer.json(withOverhead).path("spec").path("overhead").path("memory").asString())
                .isEqualTo("120Mi");

        // the sidecar runs beside the app container for the pod's whole life: 600m + 600m
        HttpResponse<String> withSidecar = post("/api/v1/namespaces/podlimit/pods", pod("sidecar-pod", "",
                container("proxy", "600m", "50Mi", ",'restartPolicy':'Always'"), container("app", "600m", "50Mi", "")));
        assertThat(withSidecar.statusCode()).as(withSidecar.body()).isEqualTo(403);
        assertThat(SecureServer.json(withSidecar).path("message").asString()).isEqualTo("pods \"sidecar-pod\" is "
                + "forbidden: maximum cpu usage per Pod is 1, but limit is 1200m");
    }

    @Test
    void aQuotaChargesASidecarWithTheAppContainers() {
        server.createNamespace("sidecars", Map.of());
        String quotas = "/api/v1/namespaces/sidecars/resourcequotas";
        expect(201, post(quotas, "{'apiVersion':'v1','kind':'ResourceQuota','metadata':{'name':'compute'},"
                + "'spec':{'hard':{'requests.cpu':'1'}}}"));
        // what the quota controller (not running here) would write once it counted the namespace
        expect(200, server.send(admin, "PATCH", quotas + "/compute/status",
                "{\"status\":{\"hard\":{\"requests.cpu\":\"1\"},\"used\":{\"requests.cpu\":\"0\"}}}",
                "Content-Type", "application/merge-patch+json"));
        await().atMost(Duration.ofSeconds(10)).until(() -> cached(quotas).contains("\"used\""));

        HttpResponse<String> refused = post("/api/v1/namespaces/sidecars/pods", pod("sidecar-pod", "",
                container("proxy", "600m", "50Mi", ",'restartPolicy':'Always'"), container("app", "600m", "50Mi", "")));

        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
        assertThat(SecureServer.json(refused).path("message").asString()).isEqualTo("pods \"sidecar-pod\" is "
                + "forbidden: exceeded quota: compute, requested: requests.cpu=1200m, used: requests.cpu=0, "
                + "limited: requests.cpu=1");
    }

    /** A pod; {@code init} is an init container or empty. */
    private static String pod(String name, String spec, String init, String app) {
        return "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'" + name + "'},'spec':{" + spec
                + (init.isEmpty() ? "" : "'initContainers':[" + init + "],") + "'containers':[" + app + "]}}";
    }

    /** A container requesting and limited to this cpu and memory. */
    private static String container(String name, String cpu, String memory, String more) {
        String resources = "{'cpu':'" + cpu + "','memory':'" + memory + "'}";
        return "{'name':'" + name + "','image':'busybox','resources':{'requests':" + resources + ",'limits':"
                + resources + "}" + more + "}";
    }

    /** A collection as the watch cache holds it (a resourceVersion=0 list), which admission reads. */
    private static String cached(String path) {
        return expect(200, server.get(admin, path + "?resourceVersion=0")).toString();
    }

    private static HttpResponse<String> post(String path, String json) {
        return server.send(admin, "POST", path, json.replace('\'', '"'));
    }

    private static ObjectNode expect(int code, HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return SecureServer.json(response);
    }
}
