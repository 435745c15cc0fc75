package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The resources upstream serves with a create-only storage, as it routes them: v1 {@code bindings} (BindingREST, which
 * binds the pod it names) and the reviews. Only POST to the collection is installed, so nothing is stored, another
 * method there is the router's 405 and any other path a 404.
 */
class CreateOnlyResourcesApiTest {

    private static final String BINDINGS = "/api/v1/namespaces/default/bindings";

    @RegisterExtension
    static final KubectlServer cluster = new KubectlServer();

    private static JsonNode json(HttpResponse<String> response, int code) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void kubectlCreatesABindingAndCannotListThem() {
        cluster.kubectl().run("run", "web", "--image=busybox", "--", "sleep", "3600").ok();
        cluster.kubectl().run("create", "-f", cluster.file("binding.yaml", """
                apiVersion: v1
                kind: Binding
                metadata:
                  name: web
                target:
                  apiVersion: v1
                  kind: Node
                  name: node-1
                """).toString()).ok();
        assertThat(cluster.kubectl().run("get", "pod", "web", "-o", "jsonpath={.spec.nodeName}").ok().out())
                .isEqualTo("node-1");

        Kubectl.Result list = cluster.kubectl().run("get", "bindings");
        assertThat(list.exit()).isNotZero();
        assertThat(list.err()).contains("Error from server (MethodNotAllowed): the server does not allow this method "
                + "on the requested resource");
        assertThat(cluster.kubectl().run("api-resources", "-o", "wide").ok().out()).containsPattern(
                "(?m)^bindings\\s+v1\\s+true\\s+Binding\\s+create\\s*$");
    }

    @Test
    void createAnswersUpstreamsStatusAndOtherVerbsAreRefusedAsUpstreamsRouter() {
        TestServer server = cluster.server();
        json(server.send("POST", "/api/v1/namespaces/default/pods", "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"db\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                + "\"image\":\"busybox\"}]}}"), 201);
        JsonNode created = json(server.send("POST", BINDINGS, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Binding\",\"metadata\":{\"name\":\"db\"},\"target\":{\"kind\":\"Node\","
                + "\"name\":\"node-2\"}}"), 201);
        assertThat(created.toString()).isEqualTo("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},"
                + "\"status\":\"Success\",\"code\":201}");

        // the collection is served for POST only: its other methods are go-restful's 405, which names nothing
        for (String[] request : new String[][]{{"GET", BINDINGS}, {"GET", BINDINGS + "?watch=true"},
                {"DELETE", BINDINGS}, {"PUT", BINDINGS}}) {
            JsonNode status = json(server.send(request[0], request[1], "application/json",
                    request[0].equals("GET") ? null : "{}"), 405);
            assertThat(status.path("reason").asString()).isEqualTo("MethodNotAllowed");
            assertThat(status.path("message").asString())
                    .isEqualTo("the server does not allow this method on the requested resource");
            assertThat(status.path("details").toString()).isEqualTo("{}");
        }
        // and nothing else under it is served: no items, no watch path, no list across namespaces
        for (String[] request : new String[][]{{"GET", BINDINGS + "/db"}, {"DELETE", BINDINGS + "/db"},
                {"GET", "/api/v1/watch/namespaces/default/bindings"}, {"GET", "/api/v1/bindings"}}) {
            JsonNode status = json(server.send(request[0], request[1], "application/json", null), 404);
            assertThat(status.path("message").asString()).isEqualTo("the server could not find the requested resource");
        }
    }

    @Test
    void theReviewsAreRoutedAsBindings() {
        Kubectl.Result list = cluster.kubectl().run("get", "selfsubjectaccessreviews");
        assertThat(list.exit()).isNotZero();
        assertThat(list.err()).contains("Error from server (MethodNotAllowed): the server does not allow this method "
                + "on the requested resource");

        TestServer server = cluster.server();
        String reviews = "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews";
        assertThat(json(server.get(reviews), 405).path("message").asString())
                .isEqualTo("the server does not allow this method on the requested resource");
        for (String path : new String[]{reviews + "/mine", "/apis/authorization.k8s.io/v1/watch/selfsubjectaccessreviews",
                "/apis/authorization.k8s.io/v1/namespaces/default/selfsubjectaccessreviews",
                "/apis/authorization.k8s.io/v1/localsubjectaccessreviews"}) {
            assertThat(json(server.send("POST", path, "application/json", "{}"), 404).path("message").asString())
                    .as(path).isEqualTo("the server could not find the requested resource");
        }
    }
}
