package io.kube4j.apiserver.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kube4j.apiserver.registry.StoredBeforeValidation;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * pods/proxy and services/proxy through the API server to a backend on loopback: the service's Endpoints name a pod
 * whose status says 127.0.0.1. The pod proxy refuses that address, as upstream does for any IP that is not global
 * unicast, so its relaying is the service proxy's (one relay serves both) and its resolution is checked in
 * {@code PodProxyTest}.
 */
class PodServiceProxyTest {

    private static final String NS = "/api/v1/namespaces/default";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    /** Larger than the server's 128 KiB whole-body limit, so it is streamed back in chunks. */
    private static final byte[] LARGE = new byte[1024 * 1024 + 17];

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static HttpServer backend;

    @BeforeAll
    static void start() throws IOException {
        Arrays.fill(LARGE, (byte) 'x');
        LARGE[LARGE.length - 1] = 'y';
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.createContext("/", PodServiceProxyTest::echo);
        backend.start();
        int port = backend.getAddress().getPort();
        created(server.send("POST", NS + "/pods", "application/json", "{\"metadata\":{\"name\":\"backend\"},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\",\"ports\":[{\"containerPort\":"
                + port + "}]}]}}"));
        ok(server.send("PATCH", NS + "/pods/backend/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"Running\",\"podIP\":\"127.0.0.1\",\"podIPs\":[{\"ip\":\"127.0.0.1\"}]}}"));
        service("web", "{\"name\":\"http\",\"port\":8080,\"targetPort\":" + port + "}");
        endpoints("web", "{\"addresses\":[{\"ip\":\"127.0.0.1\",\"targetRef\":{\"kind\":\"Pod\",\"name\":\"backend\","
                + "\"namespace\":\"default\"}}],\"ports\":[{\"name\":\"http\",\"port\":" + port + "}]}");
        service("empty", "{\"port\":80}");
        created(server.send("POST", NS + "/endpoints", "application/json", "{\"metadata\":{\"name\":\"empty\"}}"));
        // an address whose pod no longer has that IP: upstream skips it rather than dial a stranger
        service("stale", "{\"port\":80}");
        endpoints("stale", "{\"addresses\":[{\"ip\":\"127.0.0.2\",\"targetRef\":{\"kind\":\"Pod\",\"name\":\"backend\","
                + "\"namespace\":\"default\"}}],\"ports\":[{\"port\":" + port + "}]}");
        // a ready address whose port nobody listens on
        service("down", "{\"port\":80}");
        endpoints("down", "{\"addresses\":[{\"ip\":\"127.0.0.1\",\"targetRef\":{\"kind\":\"Pod\",\"name\":\"backend\","
                + "\"namespace\":\"default\"}}],\"ports\":[{\"port\":" + TestServer.freePort() + "}]}");
    }

    @AfterAll
    static void stop() {
        if (backend != null) {
            backend.stop(0);
        }
    }

    /** Answers with what it was asked: method, raw path and query, a few headers and the body. */
    private static void echo(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getRawPath();
        byte[] answer;
        if (path.equals("/large")) {
            answer = LARGE;
            exchange.getResponseHeaders().add("Content-Type", "application/octet-stream");
        } else if (path.equals("/moved")) {
            exchange.getResponseHeaders().add("Location", "/login?next=%2Fmoved");
            exchange.sendResponseHeaders(302, -1);
            exchange.close();
            return;
        } else {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            answer = (exchange.getRequestMethod() + " " + path + " ?" + exchange.getRequestURI().getRawQuery()
                    + " type=" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + " auth=" + exchange.getRequestHeaders().getFirst("Authorization")
                    + " uri=" + exchange.getRequestHeaders().getFirst("X-Forwarded-Uri")
                    + " body=" + body).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
            exchange.getResponseHeaders().add("X-Backend", "echo");
            exchange.getResponseHeaders().add("Access-Control-Allow-Origin", "*");
        }
        exchange.sendResponseHeaders(201, exchange.getRequestMethod().equals("HEAD") ? -1 : answer.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
        }
    }

    private static void service(String name, String port) {
        created(server.send("POST", NS + "/services", "application/json", "{\"metadata\":{\"name\":\"" + name
                + "\"},\"spec\":{\"ports\":[" + port + "]}}"));
    }

    /**
     * Endpoints naming the loopback backend. Validation refuses a loopback endpoint (as upstream's does), so they
     * are created naming a TEST-NET-1 address and then changed in the store, as data written before that rule.
     */
    private static void endpoints(String name, String subset) {
        created(server.send("POST", NS + "/endpoints", "application/json", "{\"metadata\":{\"name\":\"" + name
                + "\"},\"subsets\":[" + subset.replace("\"127.0.0.", "\"192.0.2.") + "]}"));
        StoredBeforeValidation.replace(server.store(), "endpoints/default/" + name, "\"192.0.2.", "\"127.0.0.");
        Awaitility.await().untilAsserted(() -> assertThat(server.get(NS + "/endpoints/" + name).body())
                .contains("\"127.0.0."));
    }

    private static void created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    private static void assertStatus(HttpResponse<String> response, int code, String reason, String message)
            throws IOException {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        JsonNode status = JSON.readTree(response.body());
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo(reason);
        assertThat(status.path("message").asString()).isEqualTo(message);
    }

    @Test
    void aGetThroughTheServicePortNumberReachesTheEndpointWithItsPathAndQuery() {
        HttpResponse<String> response = server.get(NS + "/services/web:8080/proxy/echo/a%20b/?x=1&y=a%20b",
                "Authorization", "Bearer not-for-the-pod");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
        assertThat(response.body()).isEqualTo("GET /echo/a%20b/ ?x=1&y=a+b type=null auth=null"
                + " uri=" + NS + "/services/web:8080/proxy/echo/a%20b/ body=");
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("x-backend")).hasValue("echo");
        // upstream's proxy transport drops the backend's CORS headers
        assertThat(response.headers().firstValue("access-control-allow-origin")).isEmpty();
        HttpResponse<String> head = server.send("HEAD", NS + "/services/web:8080/proxy/echo", null, null);
        assertThat(head.statusCode()).isEqualTo(201);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("x-backend")).hasValue("echo");
    }

    @Test
    void writesThroughTheNamedPortCarryTheirBodies() {
        HttpResponse<String> posted = server.send("POST", NS + "/services/http:web:http/proxy/submit",
                "application/json", "{\"a\":1}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(201);
        assertThat(posted.body()).startsWith("POST /submit ?null type=application/json").endsWith("body={\"a\":1}");
        for (String method : List.of("PUT", "PATCH", "DELETE", "OPTIONS")) {
            HttpResponse<String> r = server.send(method, NS + "/services/web/proxy/x", "text/plain", "b");
            // "web" alone names the unnamed port, which web does not have: only the named one is served
            assertThat(r.statusCode()).as(method).isEqualTo(503);
            HttpResponse<String> named = server.send(method, NS + "/services/web:http/proxy/x", "text/plain", "b");
            assertThat(named.body()).as(method).startsWith(method + " /x ");
        }
    }

    @Test
    void aLargeAnswerIsStreamedBackWhole() throws Exception {
        HttpResponse<byte[]> response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                .newBuilder(java.net.URI.create(server.url() + NS + "/services/web:8080/proxy/large")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.body()).isEqualTo(LARGE);
    }

    @Test
    void theBareProxyPathRedirectsToItsSlashAndBackendRedirectsStayBehindTheProxy() {
        HttpResponse<String> bare = server.get(NS + "/services/web:8080/proxy?a=1");
        assertThat(bare.statusCode()).isEqualTo(301);
        assertThat(bare.headers().firstValue("location")).hasValue(NS + "/services/web:8080/proxy/?a=1");
        HttpResponse<String> moved = server.get(NS + "/services/web:8080/proxy/moved");
        assertThat(moved.statusCode()).isEqualTo(302);
        assertThat(moved.headers().firstValue("location"))
                .hasValue(NS + "/services/web:8080/proxy/login?next=%2Fmoved");
    }

    @Test
    void servicesWithoutAUsableEndpointAnswerUpstreamsStatuses() throws IOException {
        assertStatus(server.get(NS + "/services/empty/proxy/"), 503, "ServiceUnavailable",
                "no endpoints available for service \"empty\"");
        assertStatus(server.get(NS + "/services/stale:80/proxy/"), 503, "ServiceUnavailable",
                "no endpoints available for service \"stale:80\"");
        assertStatus(server.get(NS + "/services/web:9999/proxy/"), 503, "ServiceUnavailable",
                "no service port 9999 found for service \"web\"");
        assertStatus(server.get(NS + "/services/nope:80/proxy/"), 404, "NotFound", "services \"nope\" not found");
        assertStatus(server.get(NS + "/services/nope:http/proxy/"), 404, "NotFound", "endpoints \"nope\" not found");
        assertStatus(server.get(NS + "/services/ftp:web:80/proxy/"), 400, "BadRequest",
                "invalid service request \"ftp:web:80\"");
        HttpResponse<String> down = server.get(NS + "/services/down:80/proxy/");
        assertThat(down.statusCode()).as(down.body()).isEqualTo(503);
        assertThat(JSON.readTree(down.body()).path("message").asString()).startsWith("error trying to reach service: ");
    }

    @Test
    void podsAnswerUpstreamsStatuses() throws IOException {
        assertStatus(server.get(NS + "/pods/nope/proxy/"), 404, "NotFound", "pods \"nope\" not found");
        // the pod's address is loopback: upstream will not let a pod's status point the API server at itself
        assertStatus(server.get(NS + "/pods/backend/proxy/"), 400, "BadRequest", "address not allowed");
        assertStatus(server.get(NS + "/pods/a:b:c:d/proxy/"), 400, "BadRequest", "invalid pod request \"a:b:c:d\"");
        assertStatus(server.send("TRACE", NS + "/pods/backend/proxy/", null, null), 405, "MethodNotAllowed",
                "TRACE is not supported on resources of kind \"pods/proxy\"");
    }

    @Test
    void discoveryListsBothProxiesWithUpstreamsKindsAndVerbs() throws IOException {
        JsonNode core = JSON.readTree(server.get("/api/v1").body());
        java.util.Map<String, JsonNode> byName = new java.util.HashMap<>();
        core.path("resources").forEach(r -> byName.put(r.path("name").asString(), r));
        assertThat(byName.get("pods/proxy").path("kind").asString()).isEqualTo("PodProxyOptions");
        assertThat(byName.get("services/proxy").path("kind").asString()).isEqualTo("ServiceProxyOptions");
        assertThat(byName.get("services/proxy").path("verbs").toString())
                .isEqualTo("[\"create\",\"delete\",\"get\",\"patch\",\"update\"]");
    }

    @Test
    void kubectlGetRawReadsThroughTheServiceProxy() {
        Kubectl kubectl = new Kubectl(server.kubeconfig(), server.dir());
        Kubectl.Result result = kubectl.run("get", "--raw", NS + "/services/web:8080/proxy/x?q=1").ok();
        assertThat(result.out()).startsWith("GET /x ?q=1 ");
    }
}
