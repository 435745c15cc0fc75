package io.kube4j.apiserver.resourcemetrics;

import com.sun.net.httpserver.HttpServer;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * metrics.k8s.io end to end inside one API server: a fake kubelet whose counters advance by fixed steps per
 * scrape (with their own sample timestamps, so the rates do not depend on when the scrapes happen), a Node that
 * points at it, and a second Ready Node whose kubelet does not answer.
 */
class ResourceMetricsApiTest {

    /** Each scrape is one second later by the samples' clocks: node 0.5 core, container app 0.25 core. */
    private static final long STEP_MILLIS = 1000;

    @RegisterExtension
    static final TestServer server = TestServer.perClass()
            .withConfig(c -> c.withMetricResolution(Duration.ofMillis(200)));
    static HttpServer kubelet;
    static final AtomicInteger scrapes = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        kubelet = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        kubelet.createContext("/metrics/resource", exchange -> {
            byte[] body = metricsText(scrapes.incrementAndGet()).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        kubelet.start();
        create("/api/v1/nodes", node("n1", kubelet.getAddress().getPort(), "fast"));
        create("/api/v1/nodes", node("n2", TestServer.freePort(), "slow"));
        create("/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"x\"}}");
        create("/api/v1/namespaces/x/pods", pod("busy", "busy"));
        create("/api/v1/namespaces/x/pods", pod("idle", "idle"));
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/apis/metrics.k8s.io/v1beta1/namespaces/x/pods")
                .path("items").size() == 2);
    }

    @AfterAll
    static void stop() throws IOException {
        if (kubelet != null) {
            kubelet.stop(0);
        }
    }

    private static String metricsText(int n) {
        long at = 1_700_000_000_000L + n * STEP_MILLIS;
        String busy = "namespace=\"x\",pod=\"busy\"";
        String idle = "namespace=\"x\",pod=\"idle\"";
        return "# HELP container_cpu_usage_seconds_total [STABLE] Cumulative cpu time\n"
                + "# TYPE container_cpu_usage_seconds_total counter\n"
                + "container_cpu_usage_seconds_total{container=\"app\"," + busy + "} " + (0.25 * n) + " " + at + "\n"
                + "container_cpu_usage_seconds_total{container=\"side\"," + busy + "} " + (0.001 * n) + " " + at + "\n"
                + "container_cpu_usage_seconds_total{container=\"c\"," + idle + "} 3.0 " + at + "\n"
                + "container_memory_working_set_bytes{container=\"app\"," + busy + "} 20971520 " + at + "\n"
                + "container_memory_working_set_bytes{container=\"side\"," + busy + "} 1048576 " + at + "\n"
                + "container_memory_working_set_bytes{container=\"c\"," + idle + "} 4096 " + at + "\n"
                + "node_cpu_usage_seconds_total " + (100 + 0.5 * n) + " " + at + "\n"
                + "node_memory_working_set_bytes 104857600 " + at + "\n"
                + "pod_cpu_usage_seconds_total{" + busy + "} " + (0.251 * n) + " " + at + "\n"
                + "scrape_error 0\n";
    }

    private static String node(String name, int port, String speed) {
        return """
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"speed":"%s"}},
                 "status":{"addresses":[{"type":"InternalIP","address":"127.0.0.1"}],
                  "daemonEndpoints":{"kubeletEndpoint":{"Port":%d}},
                  "capacity":{"cpu":"2","memory":"1Gi","pods":"110"},
                  "allocatable":{"cpu":"2","memory":"1Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","reason":"KubeletReady"}]}}
                """.formatted(name, speed, port);
    }

    private static String pod(String name, String app) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s"}},
                 "spec":{"nodeName":"n1","containers":[{"name":"app","image":"busybox"},{"name":"side","image":"busybox"}]}}
                """.formatted(name, app);
    }

    @Test
    void nodeMetricsAreTheRateBetweenScrapes() {
        JsonNode list = get("/apis/metrics.k8s.io/v1beta1/nodes");

        assertThat(list.path("kind").asString()).isEqualTo("NodeMetricsList");
        assertThat(list.path("items")).hasSize(1);
        JsonNode n1 = list.path("items").get(0);
        assertThat(n1.path("metadata").path("name").asString()).isEqualTo("n1");
        assertThat(n1.path("metadata").path("labels").path("speed").asString()).isEqualTo("fast");
        assertThat(n1.path("usage").path("cpu").asString()).isEqualTo("500m");
        assertThat(n1.path("usage").path("memory").asString()).isEqualTo("100Mi");
        assertThat(n1.path("window").asString()).isEqualTo("1s");

        assertThat(get("/apis/metrics.k8s.io/v1beta1/nodes/n1").path("kind").asString()).isEqualTo("NodeMetrics");
    }

    @Test
    void podMetricsPerContainerInANamespaceAndAcrossNamespaces() {
        JsonNode busy = get("/apis/metrics.k8s.io/v1beta1/namespaces/x/pods/busy");

        assertThat(busy.path("kind").asString()).isEqualTo("PodMetrics");
        assertThat(busy.path("metadata").path("namespace").asString()).isEqualTo("x");
        assertThat(busy.path("containers").get(0).path("name").asString()).isEqualTo("app");
        assertThat(busy.path("containers").get(0).path("usage").path("cpu").asString()).isEqualTo("250m");
        assertThat(busy.path("containers").get(0).path("usage").path("memory").asString()).isEqualTo("20Mi");
        assertThat(busy.path("containers").get(1).path("usage").path("cpu").asString()).isEqualTo("1m");
        JsonNode idle = get("/apis/metrics.k8s.io/v1beta1/namespaces/x/pods/idle");
        assertThat(idle.path("containers").get(0).path("usage").path("cpu").asString()).isEqualTo("0");

        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/pods"))).containsExactly("busy", "idle");
        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/namespaces/default/pods"))).isEmpty();
    }

    @Test
    void selectorsChooseByTheMeasuredObjectsLabelsAndName() {
        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/namespaces/x/pods?labelSelector=app%3Dbusy")))
                .containsExactly("busy");
        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3Didle")))
                .containsExactly("idle");
        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=speed%3Dslow"))).isEmpty();
        assertThat(names(get("/apis/metrics.k8s.io/v1beta1/nodes?labelSelector=speed%3Dfast"))).containsExactly("n1");
    }

    @Test
    void whatHasNoUsageIsNotFoundAndWritesAreNotAllowed() {
        HttpResponse<String> slow = send("GET", "/apis/metrics.k8s.io/v1beta1/nodes/n2", null);
        assertThat(slow.statusCode()).isEqualTo(404);
        assertThat(Json.parse(slow.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                .isEqualTo("nodemetrics.metrics.k8s.io \"n2\" not found");
        assertThat(send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods/ghost", null).statusCode())
                .isEqualTo(404);

        HttpResponse<String> post = send("POST", "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods",
                "{\"apiVersion\":\"metrics.k8s.io/v1beta1\",\"kind\":\"PodMetrics\",\"metadata\":{\"name\":\"p\"}}");
        assertThat(post.statusCode()).isEqualTo(405);
        JsonNode status = Json.parse(post.body().getBytes(StandardCharsets.UTF_8));
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("reason").asString()).isEqualTo("MethodNotAllowed");
        assertThat(send("DELETE", "/apis/metrics.k8s.io/v1beta1/nodes/n1", null).statusCode()).isEqualTo(405);
    }

    @Test
    void discoveryListsTheGroupBothWays() {
        JsonNode group = get("/apis/metrics.k8s.io");
        assertThat(group.path("preferredVersion").path("version").asString()).isEqualTo("v1beta1");
        JsonNode resources = get("/apis/metrics.k8s.io/v1beta1");
        assertThat(resources.path("resources").findValuesAsString("name")).contains("nodes", "pods");

        HttpResponse<String> aggregated = send("GET", "/apis", null, "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        assertThat(aggregated.body()).contains("\"metrics.k8s.io\"").contains("\"PodMetrics\"");
    }

    @Test
    void tablesForKubectlGet() {
        HttpResponse<String> table = send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods", null, "Accept",
                "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        JsonNode doc = Json.parse(table.body().getBytes(StandardCharsets.UTF_8));

        assertThat(doc.path("kind").asString()).isEqualTo("Table");
        assertThat(doc.path("rows").get(0).path("cells").get(0).asString()).isEqualTo("busy");
        assertThat(doc.path("rows").get(0).path("cells").get(1).asString()).isEqualTo("251m");
    }

    @Test
    void metadataOnlyAnswersAsTheGenericHandlersDo() {
        String objectAccept = "application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1";
        String listAccept = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

        HttpResponse<String> one = send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods/busy", null,
                "Accept", objectAccept);
        assertThat(one.statusCode()).as(one.body()).isEqualTo(200);
        JsonNode busy = Json.parse(one.body().getBytes(StandardCharsets.UTF_8));
        assertThat(busy.path("kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(busy.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1");
        assertThat(busy.at("/metadata/name").asString()).isEqualTo("busy");
        assertThat(busy.at("/metadata/labels/app").asString()).isEqualTo("busy");
        assertThat(busy.has("containers")).isFalse();

        HttpResponse<String> list = send("GET", "/apis/metrics.k8s.io/v1beta1/nodes", null, "Accept",
                listAccept.replace("v=v1", "v=v1beta1"));
        assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
        JsonNode nodes = Json.parse(list.body().getBytes(StandardCharsets.UTF_8));
        assertThat(nodes.path("kind").asString()).isEqualTo("PartialObjectMetadataList");
        assertThat(nodes.path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
        assertThat(names(nodes)).containsExactly("n1");
        assertThat(nodes.at("/items/0/kind").asString()).isEqualTo("PartialObjectMetadata");
        assertThat(nodes.at("/items/0/usage").isMissingNode()).isTrue();

        // a list is no single object and an object no list, as upstream's transformation refuses them
        HttpResponse<String> listAsObject = send("GET", "/apis/metrics.k8s.io/v1beta1/nodes", null, "Accept",
                objectAccept);
        assertThat(listAsObject.statusCode()).isEqualTo(406);
        assertThat(Json.parse(listAsObject.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                .isEqualTo("you requested PartialObjectMetadata, but the requested object is a list "
                        + "(*metrics.NodeMetricsList)");
        HttpResponse<String> objectAsList = send("GET", "/apis/metrics.k8s.io/v1beta1/namespaces/x/pods/busy",
                null, "Accept", listAccept);
        assertThat(objectAsList.statusCode()).isEqualTo(406);
        assertThat(Json.parse(objectAsList.body().getBytes(StandardCharsets.UTF_8)).path("message").asString())
                .isEqualTo("you requested PartialObjectMetadataList, but the requested object is not a list "
                        + "(*metrics.PodMetrics)");
        // a conversion no handler serves is refused, not ignored
        assertThat(send("GET", "/apis/metrics.k8s.io/v1beta1/nodes", null, "Accept",
                "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v2").statusCode()).isEqualTo(406);
    }

    @Test
    void kubectlTopPrintsTheFigures() throws Exception {
        Path kubectl = Path.of("/usr/bin/kubectl");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(kubectl), "kubectl is not installed");

        String nodes = kubectl(kubectl, "top", "node");
        assertThat(nodes).contains("CPU(cores)");
        assertThat(nodes.lines().filter(l -> l.startsWith("n1")).findFirst().orElseThrow().split("\\s+"))
                .containsExactly("n1", "500m", "25%", "100Mi", "9%");

        String pods = kubectl(kubectl, "top", "pod", "-n", "x");
        assertThat(pods.lines().filter(l -> l.startsWith("busy")).findFirst().orElseThrow().split("\\s+"))
                .containsExactly("busy", "251m", "21Mi");

        String containers = kubectl(kubectl, "top", "pod", "busy", "-n", "x", "--containers");
        assertThat(containers).containsPattern("busy\\s+app\\s+250m\\s+20Mi");

        String table = kubectl(kubectl, "get", "podmetrics.metrics.k8s.io", "-n", "x");
        assertThat(table).containsPattern("busy\\s+251m\\s+21Mi\\s+1s");
    }

    private static String kubectl(Path binary, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--kubeconfig",
                server.kubeconfig().toString(), "--cache-dir", server.dir().resolve("kubectl-cache").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = process.getInputStream().readAllBytes();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String text = new String(out, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(text).isZero();
        return text;
    }

    private static List<String> names(JsonNode list) {
        List<String> names = new ArrayList<>();
        list.path("items").forEach(i -> names.add(i.path("metadata").path("name").asString()));
        return names;
    }

    private static JsonNode get(String path) {
        HttpResponse<String> response = send("GET", path, null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void create(String path, String body) {
        HttpResponse<String> response = send("POST", path, body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static HttpResponse<String> send(String method, String path, String body, String... headers) {
        return server.send(method, path, body == null ? null : "application/json", body, headers);
    }
}
