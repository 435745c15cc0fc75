package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read-only types served without storage - v1 componentstatuses, metrics.k8s.io's nodes and pods - routed as
 * upstream routes them (kube-apiserver's, and metrics-server's generic API server's): only get and list are installed,
 * so another method on their paths is go-restful's 405, naming no resource, and a path not installed is a 404.
 */
class UnstoredRoutesApiTest {

    private static final String METHOD_NOT_ALLOWED = "the server does not allow this method on the requested resource";
    private static final String METRICS = "/apis/metrics.k8s.io/v1beta1";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void routerRefuses(String method, String path) {
        JsonNode status = json(cluster.server().send(method, path, "application/json",
                method.equals("GET") || method.equals("DELETE") ? null : "{}"), 405);
        assertThat(status.path("reason").asString()).as(method + " " + path).isEqualTo("MethodNotAllowed");
        assertThat(status.path("message").asString()).as(method + " " + path).isEqualTo(METHOD_NOT_ALLOWED);
        assertThat(status.path("details").toString()).as(method + " " + path).isEqualTo("{}");
    }

    private static void notInstalled(String method, String path) {
        JsonNode status = json(cluster.server().send(method, path, "application/json", null), 404);
        assertThat(status.path("message").asString()).as(method + " " + path)
                .isEqualTo("the server could not find the requested resource");
    }

    @Test
    void kubectlCannotDeleteAComponentStatus() {
        Kubectl.Result deleted = cluster.kubectl().run("delete", "componentstatus", "etcd-0");
        assertThat(deleted.exit()).isNotZero();
        assertThat(deleted.err()).contains("Error from server (MethodNotAllowed): " + METHOD_NOT_ALLOWED);
    }

    @Test
    void componentStatusesTakeOnlyGetAndList() {
        routerRefuses("POST", "/api/v1/componentstatuses");
        routerRefuses("DELETE", "/api/v1/componentstatuses");
        routerRefuses("DELETE", "/api/v1/componentstatuses/etcd-0");
        routerRefuses("PUT", "/api/v1/componentstatuses/etcd-0");
        routerRefuses("PATCH", "/api/v1/componentstatuses/etcd-0");
        notInstalled("GET", "/api/v1/namespaces/default/componentstatuses");
        notInstalled("GET", "/api/v1/watch/componentstatuses");
        notInstalled("GET", "/api/v1/componentstatuses/etcd-0/status");
        // a watch through the list route reaches upstream's list handler, which names what cannot be watched
        assertThat(json(cluster.server().get("/api/v1/componentstatuses?watch=true"), 405).path("message")
                .asString()).isEqualTo("watch is not supported on resources of kind \"componentstatuses\"");
    }

    @Test
    void resourceMetricsTakeOnlyGetAndList() {
        routerRefuses("POST", METRICS + "/nodes");
        routerRefuses("DELETE", METRICS + "/nodes/n1");
        routerRefuses("PUT", METRICS + "/namespaces/default/pods/p");
        routerRefuses("POST", METRICS + "/namespaces/default/pods");
        // across namespaces only the list of a namespaced type is installed
        routerRefuses("POST", METRICS + "/pods");
        notInstalled("GET", METRICS + "/pods/p");
        notInstalled("GET", METRICS + "/namespaces/default/nodes");
        notInstalled("GET", METRICS + "/watch/nodes");
        assertThat(json(cluster.server().get(METRICS + "/nodes?watch=true"), 405).path("message").asString())
                .isEqualTo("watch is not supported on resources of kind \"nodes.metrics.k8s.io\"");
    }
}
