package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The API over plain HTTP: discovery, bad input, gzip, watches, tables and metrics. */
class HttpApiTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withBookmarkInterval(Duration.ofMillis(300));

    private static JsonNode json(HttpResponse<String> response) {
        return Json.parse(response.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void assertStatus(HttpResponse<String> response, int code, String reason) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(code);
        JsonNode status = json(response);
        assertThat(status.path("kind").asString()).isEqualTo("Status");
        assertThat(status.path("code").asInt()).isEqualTo(code);
        assertThat(status.path("reason").asString()).isEqualTo(reason);
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},\"data\":{\"a\":\"b\"}}";
    }

    @Test
    void versionHealthAndDiscovery() {
        JsonNode version = json(server.get("/version"));
        assertThat(version.path("major").asString()).isEqualTo("1");
        assertThat(version.path("minor").asString()).isEqualTo("32");
        assertThat(version.path("gitVersion").asString()).startsWith("v1.32.");
        for (String path : List.of("/healthz", "/livez", "/readyz")) {
            assertThat(server.get(path).body()).isEqualTo("ok");
        }
        assertThat(json(server.get("/api")).path("versions").get(0).asString()).isEqualTo("v1");
        JsonNode groups = json(server.get("/apis"));
        assertThat(groups.path("kind").asString()).isEqualTo("APIGroupList");
        JsonNode core = json(server.get("/api/v1"));
        assertThat(core.path("resources").findValuesAsString("name")).contains("pods", "pods/status", "pods/binding",
                "services", "namespaces/finalize");
        JsonNode apps = json(server.get("/apis/apps/v1"));
        JsonNode scale = null;
        for (JsonNode r : apps.path("resources")) {
            if (r.path("name").asString().equals("deployments/scale")) {
                scale = r;
            }
        }
        assertThat(scale).isNotNull();
        assertThat(scale.path("group").asString()).isEqualTo("autoscaling");
        assertThat(scale.path("kind").asString()).isEqualTo("Scale");
    }

    @Test
    void aggregatedDiscoveryHasItsContentType() {
        HttpResponse<String> response = server.get("/apis", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json");
        assertThat(response.headers().firstValue("Content-Type")).hasValue(
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList");
        JsonNode doc = json(response);
        assertThat(doc.path("kind").asString()).isEqualTo("APIGroupDiscoveryList");
        assertThat(doc.path("items").findValuesAsString("resource")).contains("deployments", "leases");
        HttpResponse<String> core = server.get("/api", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList");
        assertThat(core.headers().firstValue("Content-Type").orElseThrow()).contains("v=v2beta1");
        assertThat(json(core).path("apiVersion").asString()).isEqualTo("apidiscovery.k8s.io/v2beta1");
    }

    @Test
    void discoveryListsTheServedConnectSubresourcesWithUpstreamsKindsAndVerbs() {
        java.util.Map<String, JsonNode> core = new java.util.LinkedHashMap<>();
        json(server.get("/api/v1")).path("resources").forEach(r -> core.put(r.path("name").asString(), r));
        assertThat(core.get("pods/exec").toString()).isEqualTo("{\"name\":\"pods/exec\",\"singularName\":\"\","
                + "\"namespaced\":true,\"kind\":\"PodExecOptions\",\"verbs\":[\"create\",\"get\"]}");
        assertThat(core.get("pods/attach").path("kind").asString()).isEqualTo("PodAttachOptions");
        assertThat(core.get("pods/portforward").path("kind").asString()).isEqualTo("PodPortForwardOptions");
        assertThat(core.get("nodes/proxy").path("namespaced").asBoolean()).isFalse();
        assertThat(core.get("nodes/proxy").path("kind").asString()).isEqualTo("NodeProxyOptions");
        assertThat(core.get("nodes/proxy").path("verbs").toString())
                .isEqualTo("[\"create\",\"delete\",\"get\",\"patch\",\"update\"]");
        // core/v1 kinds carry no group or version; a kind from elsewhere names both, as upstream
        assertThat(core.get("pods/log").has("version")).isFalse();
        assertThat(core.get("pods/eviction").path("group").asString()).isEqualTo("policy");
        assertThat(core.get("pods/proxy").path("kind").asString()).isEqualTo("PodProxyOptions");
        assertThat(core.get("services/proxy").path("kind").asString()).isEqualTo("ServiceProxyOptions");
        assertThat(core.get("services/proxy").path("verbs").toString())
                .isEqualTo("[\"create\",\"delete\",\"get\",\"patch\",\"update\"]");
        // upstream's order: a resource's subresources sorted by name
        List<String> podNames = core.keySet().stream().filter(n -> n.startsWith("pods/")).toList();
        assertThat(podNames).containsExactly("pods/attach", "pods/binding", "pods/ephemeralcontainers",
                "pods/eviction", "pods/exec", "pods/log", "pods/portforward", "pods/proxy", "pods/status");

        JsonNode aggregated = json(server.get("/api", "Accept",
                "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList"));
        java.util.Map<String, JsonNode> subresources = new java.util.LinkedHashMap<>();
        for (JsonNode resource : aggregated.path("items").get(0).path("versions").get(0).path("resources")) {
            resource.path("subresources").forEach(sub -> subresources.put(resource.path("resource").asString() + "/"
                    + sub.path("subresource").asString(), sub));
        }
        assertThat(subresources.get("pods/exec").toString()).isEqualTo("{\"subresource\":\"exec\","
                + "\"responseKind\":{\"group\":\"\",\"version\":\"v1\",\"kind\":\"PodExecOptions\"},"
                + "\"verbs\":[\"create\",\"get\"]}");
        assertThat(subresources.get("pods/portforward").path("responseKind").path("kind").asString())
                .isEqualTo("PodPortForwardOptions");
        assertThat(subresources.get("nodes/proxy").path("verbs").toString())
                .isEqualTo("[\"create\",\"delete\",\"get\",\"patch\",\"update\"]");
        assertThat(subresources).containsKeys("pods/attach", "pods/log", "pods/eviction", "pods/proxy",
                "services/proxy");
        assertThat(subresources.get("services/proxy").path("responseKind").path("kind").asString())
                .isEqualTo("ServiceProxyOptions");
    }

    @Test
    void podsHaveNoGenerationThroughAnyWrite() {
        // upstream 1.32's pod strategy sets no metadata.generation (PodGeneration is 1.33 alpha), whatever is sent
        String pods = "/api/v1/namespaces/default/pods";
        HttpResponse<String> created = server.send("POST", pods, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"nogen\",\"generation\":5},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("metadata").has("generation")).as(created.body()).isFalse();
        ObjectNode pod = (ObjectNode) json(created);
        ((ObjectNode) pod.path("spec").path("containers").get(0)).put("image", "busybox:2");
        ((ObjectNode) pod.path("metadata")).put("generation", 7);
        HttpResponse<String> updated = server.send("PUT", pods + "/nogen", "application/json", pod.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        assertThat(json(updated).path("spec").path("containers").get(0).path("image").asString())
                .isEqualTo("busybox:2");
        assertThat(json(updated).path("metadata").has("generation")).as(updated.body()).isFalse();
        HttpResponse<String> patched = server.send("PATCH", pods + "/nogen", "application/strategic-merge-patch+json",
                "{\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox:3\"}]}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(json(patched).path("metadata").has("generation")).as(patched.body()).isFalse();
        HttpResponse<String> applied = server.send("PATCH", pods + "/nogen?fieldManager=t&force=true",
                "application/apply-patch+yaml", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":"
                        + "{\"name\":\"nogen\"},\"spec\":{\"containers\":[{\"name\":\"c\","
                        + "\"image\":\"busybox:4\"}]}}");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        assertThat(json(applied).path("metadata").has("generation")).as(applied.body()).isFalse();
        assertThat(json(server.get(pods + "/nogen")).path("metadata").has("generation")).isFalse();
        // other kinds are unchanged: a Deployment counts its spec changes
        HttpResponse<String> deployment = server.send("POST", "/apis/apps/v1/namespaces/default/deployments",
                "application/json", "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":"
                        + "{\"name\":\"gen\"},\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},"
                        + "\"template\":{\"metadata\":{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":"
                        + "[{\"name\":\"c\",\"image\":\"busybox:1\"}]}}}}");
        assertThat(deployment.statusCode()).as(deployment.body()).isEqualTo(201);
        assertThat(json(deployment).path("metadata").path("generation").asLong()).isEqualTo(1);
    }

    @Test
    void podStatusWritesChangeLabelsAndAnnotationsButNotOwnersOrSpec() {
        String pods = "/api/v1/namespaces/default/pods";
        String owner = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"OWNER\",\"uid\":\"UID\"}";
        HttpResponse<String> created = server.send("POST", pods, "application/json", "{\"apiVersion\":\"v1\","
                + "\"kind\":\"Pod\",\"metadata\":{\"name\":\"st\",\"labels\":{\"a\":\"1\"},"
                + "\"ownerReferences\":[" + owner.replace("OWNER", "o1").replace("UID", "u1") + "]},"
                + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        // upstream's podStatusStrategy resets spec and ownerReferences only
        HttpResponse<String> patched = server.send("PATCH", pods + "/st/status", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"a\":null,\"b\":\"2\"},\"annotations\":{\"note\":\"x\"},"
                        + "\"ownerReferences\":[" + owner.replace("OWNER", "o2").replace("UID", "u2") + "]},"
                        + "\"spec\":{\"activeDeadlineSeconds\":5},\"status\":{\"phase\":\"Running\"}}");
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        JsonNode pod = json(server.get(pods + "/st"));
        assertThat(pod.path("status").path("phase").asString()).isEqualTo("Running");
        assertThat(pod.path("metadata").path("labels").toString()).isEqualTo("{\"b\":\"2\"}");
        assertThat(pod.path("metadata").path("annotations").path("note").asString()).isEqualTo("x");
        assertThat(pod.path("metadata").path("ownerReferences").findValuesAsString("name")).containsExactly("o1");
        assertThat(pod.path("spec").has("activeDeadlineSeconds")).isFalse();
        // what the request changes in metadata is validated as any write's
        HttpResponse<String> invalid = server.send("PATCH", pods + "/st/status", "application/merge-patch+json",
                "{\"metadata\":{\"labels\":{\"bad key!\":\"v\"}}}");
        assertStatus(invalid, 422, "Invalid");
    }

    @Test
    void deploymentStatusWritesChangeAnnotationsButNotLabels() {
        String deployments = "/apis/apps/v1/namespaces/default/deployments";
        HttpResponse<String> created = server.send("POST", deployments, "application/json", "{\"apiVersion\":"
                + "\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"st\",\"labels\":{\"a\":\"1\"}},"
                + "\"spec\":{\"selector\":{\"matchLabels\":{\"a\":\"b\"}},\"template\":{\"metadata\":"
                + "{\"labels\":{\"a\":\"b\"}},\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}}}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        ObjectNode deployment = (ObjectNode) json(created);
        ObjectNode metadata = (ObjectNode) deployment.path("metadata");
        metadata.putObject("annotations").put("deployment.kubernetes.io/revision", "1");
        metadata.putObject("labels").put("a", "changed");
        deployment.putObject("status").put("observedGeneration", 1);
        ((ObjectNode) deployment.path("spec")).put("replicas", 9);
        // upstream's deploymentStatusStrategy resets spec and labels; annotations follow the request
        HttpResponse<String> updated = server.send("PUT", deployments + "/st/status", "application/json",
                deployment.toString());
        assertThat(updated.statusCode()).as(updated.body()).isEqualTo(200);
        JsonNode stored = json(server.get(deployments + "/st"));
        assertThat(stored.path("metadata").path("annotations").path("deployment.kubernetes.io/revision").asString())
                .isEqualTo("1");
        assertThat(stored.path("metadata").path("labels").path("a").asString()).isEqualTo("1");
        assertThat(stored.path("metadata").path("generation").asLong()).isEqualTo(1);
        assertThat(stored.path("spec").path("replicas").asInt()).isEqualTo(1);
        assertThat(stored.path("status").path("observedGeneration").asLong()).isEqualTo(1);
    }

    @Test
    void malformedBodiesAreBadRequestsAndStoreNothing() {
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", "{not json"),
                400, "BadRequest");
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/yaml",
                "a: [unclosed"), 400, "BadRequest");
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"apiVersion\":\"apps/v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"wrongversion\"}}"),
                400, "BadRequest");
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Secret\",\"metadata\":{\"name\":\"wrongkind\"}}"),
                400, "BadRequest");
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "text/plain", "hello"),
                415, "UnsupportedMediaType");
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                configMap("Bad_Name")), 422, "Invalid");
        assertThat(json(server.get("/api/v1/namespaces/default/configmaps")).path("items").findValuesAsString("name"))
                .doesNotContain("wrongversion", "wrongkind", "Bad_Name");
    }

    @Test
    void yamlBodiesAreAccepted() {
        HttpResponse<String> created = server.send("POST", "/api/v1/namespaces/default/configmaps", "application/yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  x: y\n");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(json(created).path("data").path("x").asString()).isEqualTo("y");
    }

    @Test
    void oversizedBodyIs413() {
        String big = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"big\"},\"data\":{\"a\":\""
                + "x".repeat(3 * 1024 * 1024 + 10) + "\"}}";
        assertStatus(server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", big), 413,
                "RequestEntityTooLarge");
        assertThat(server.get("/api/v1/namespaces/default/configmaps/big").statusCode()).isEqualTo(404);
    }

    @Test
    void unknownResourcesAndWrongVerbs() {
        assertStatus(server.get("/api/v1/namespaces/default/widgets"), 404, "NotFound");
        assertStatus(server.get("/apis/nope.example.com/v1"), 404, "NotFound");
        assertStatus(server.get("/api/v1/namespaces/default/bindings"), 405, "MethodNotAllowed");
        assertStatus(server.send("DELETE", "/api/v1/namespaces", null, null), 405, "MethodNotAllowed");
        assertStatus(server.send("POST", "/version", "application/json", "{}"), 405, "MethodNotAllowed");
        assertStatus(server.get("/api/v1/namespaces/default/pods?fieldSelector=spec.nope%3Dx"), 400, "BadRequest");
        assertStatus(server.get("/api/v1/namespaces/default/pods?labelSelector=%3D%3D%3D"), 400, "BadRequest");
        assertStatus(server.get("/api/v1/namespaces/default/configmaps?limit=1&continue=garbage"), 400, "BadRequest");
        assertStatus(server.send("PATCH", "/api/v1/namespaces/default/configmaps/x", "application/json", "{}"),
                415, "UnsupportedMediaType");
    }

    @Test
    void notFoundMessageIsUpstreams() {
        HttpResponse<String> response = server.get("/apis/apps/v1/namespaces/default/deployments/nope");
        assertStatus(response, 404, "NotFound");
        assertThat(json(response).path("message").asString()).isEqualTo("deployments.apps \"nope\" not found");
        assertThat(json(response).path("details").path("group").asString()).isEqualTo("apps");
    }

    @Test
    void largeListsAreGzippedWhenAsked() throws Exception {
        server.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"gzip\"}}");
        String value = "v".repeat(40_000);
        for (int i = 0; i < 5; i++) {
            server.send("POST", "/api/v1/namespaces/gzip/configmaps", "application/json",
                    "{\"metadata\":{\"name\":\"g" + i + "\"},\"data\":{\"a\":\"" + value + "\"}}");
        }
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(server.url()
                + "/api/v1/namespaces/gzip/configmaps")).header("Accept-Encoding", "gzip").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        byte[] plain = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body())).readAllBytes();
        assertThat(Json.parse(plain).path("items")).hasSize(5);
        HttpResponse<String> small = server.get("/api/v1/namespaces/default/configmaps", "Accept-Encoding", "gzip");
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void tablesForGetListAndWatch() {
        server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("table-cm"));
        String accept = "application/json;as=Table;v=v1;g=meta.k8s.io,application/json";
        JsonNode table = json(server.get("/api/v1/namespaces/default/configmaps/table-cm", "Accept", accept));
        assertThat(table.path("kind").asString()).isEqualTo("Table");
        assertThat(table.path("columnDefinitions").get(0).path("name").asString()).isEqualTo("Name");
        assertThat(table.path("rows").get(0).path("cells").get(0).asString()).isEqualTo("table-cm");
        assertThat(table.path("rows").get(0).path("object").path("kind").asString()).isEqualTo("PartialObjectMetadata");
        JsonNode full = json(server.get("/api/v1/namespaces/default/configmaps?includeObject=Object", "Accept", accept));
        assertThat(full.path("rows").get(0).path("object").path("kind").asString()).isEqualTo("ConfigMap");
    }

    @Test
    void watchStreamsInitialStateThenChangesAndBookmarks() throws Exception {
        server.send("POST", "/api/v1/namespaces", "application/json",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"watching\"}}");
        // the initial state no older than the write: at resourceVersion=0 a watch cache that has not seen the write
        // yet may rightly send it as a later event instead
        String before = json(server.send("POST", "/api/v1/namespaces/watching/configmaps", "application/json",
                configMap("before"))).path("metadata").path("resourceVersion").asString();
        List<String> lines = new ArrayList<>();
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("GET /api/v1/namespaces/watching/configmaps?watch=1&allowWatchBookmarks=true"
                    + "&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&resourceVersion=" + before
                    + " HTTP/1.1\r\n"
                    + "Host: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
            server.send("POST", "/api/v1/namespaces/watching/configmaps", "application/json", configMap("after"));
            server.send("DELETE", "/api/v1/namespaces/watching/configmaps/after", null, null);
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("{")) {
                    lines.add(line);
                    if (line.contains("\"DELETED\"")) {
                        break;
                    }
                }
            }
        }
        List<String> types = lines.stream().map(l -> Json.parse(l.getBytes(StandardCharsets.UTF_8)).path("type")
                .asString() + " " + Json.parse(l.getBytes(StandardCharsets.UTF_8)).path("object").path("metadata")
                .path("name").asString("")).filter(s -> !s.startsWith("BOOKMARK ") || true).toList();
        assertThat(types.get(0)).isEqualTo("ADDED before");
        assertThat(types.get(1)).isEqualTo("BOOKMARK ");
        assertThat(lines.get(1)).contains("\"k8s.io/initial-events-end\":\"true\"");
        assertThat(types.stream().filter(t -> !t.startsWith("BOOKMARK"))).containsExactly("ADDED before",
                "ADDED after", "DELETED after");
    }

    @Test
    void listAtCompactedRevisionIsExpired() throws Exception {
        HttpResponse<String> created = server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json",
                configMap("compact-me"));
        long rv = Long.parseLong(json(created).path("metadata").path("resourceVersion").asString());
        server.send("DELETE", "/api/v1/namespaces/default/configmaps/compact-me", null, null);
        for (int i = 0; i < 3; i++) {
            server.send("POST", "/api/v1/namespaces/default/configmaps", "application/json", configMap("filler-" + i));
        }
        server.store().compact(server.store().currentRevision());
        HttpResponse<String> list = server.get("/api/v1/namespaces/default/configmaps?resourceVersion=" + (rv - 1)
                + "&resourceVersionMatch=Exact");
        assertStatus(list, 410, "Expired");
        HttpResponse<String> continued = server.get("/api/v1/namespaces/default/configmaps?limit=1");
        assertThat(json(continued).path("metadata").path("continue").asString("")).isNotEmpty();
    }

    @Test
    void eventsAreStoredWithALease() {
        HttpResponse<String> created = server.send("POST", "/api/v1/namespaces/default/events", "application/json",
                "{\"metadata\":{\"name\":\"ev1\"},\"involvedObject\":{\"kind\":\"Pod\",\"name\":\"p\","
                        + "\"namespace\":\"default\"},\"reason\":\"Test\",\"message\":\"hi\",\"type\":\"Normal\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        long lease = server.store().get("/registry/events/default/ev1").orElseThrow().lease();
        assertThat(lease).isNotZero();
        assertThat(server.store().leaseTimeToLive(lease)).isGreaterThan(3000);
        JsonNode selected = json(server.get("/api/v1/namespaces/default/events?fieldSelector=involvedObject.name%3Dp,"
                + "reason%3DTest"));
        assertThat(selected.path("items")).hasSize(1);
    }

    @Test
    void servicesGetUniqueClusterIpsAndNodePorts() {
        String svc = "{\"metadata\":{\"name\":\"%s\"},\"spec\":{\"type\":\"NodePort\",\"ports\":[{\"port\":80%s}]}}";
        JsonNode a = json(server.send("POST", "/api/v1/namespaces/default/services", "application/json",
                svc.formatted("np-a", ",\"nodePort\":30555")));
        assertThat(a.path("spec").path("ports").get(0).path("nodePort").asInt()).isEqualTo(30555);
        assertThat(a.path("spec").path("clusterIP").asString()).startsWith("10.43.");
        HttpResponse<String> clash = server.send("POST", "/api/v1/namespaces/default/services", "application/json",
                svc.formatted("np-b", ",\"nodePort\":30555"));
        assertStatus(clash, 422, "Invalid");
        assertThat(server.get("/api/v1/namespaces/default/services/np-b").statusCode()).isEqualTo(404);
        JsonNode c = json(server.send("POST", "/api/v1/namespaces/default/services", "application/json",
                svc.formatted("np-c", "")));
        assertThat(c.path("spec").path("ports").get(0).path("nodePort").asInt()).isBetween(30000, 32767)
                .isNotEqualTo(30555);
        assertThat(c.path("spec").path("clusterIP").asString()).isNotEqualTo(a.path("spec").path("clusterIP").asString());
        // deleting frees the port for the next one
        server.send("DELETE", "/api/v1/namespaces/default/services/np-a", null, null);
        assertThat(server.send("POST", "/api/v1/namespaces/default/services", "application/json",
                svc.formatted("np-d", ",\"nodePort\":30555")).statusCode()).isEqualTo(201);
        JsonNode kubernetes = json(server.get("/api/v1/namespaces/default/services/kubernetes"));
        assertThat(kubernetes.path("spec").path("clusterIP").asString()).isEqualTo("10.43.0.1");
    }

    @Test
    void namespaceFinalizeAndTerminatingNamespaces() {
        server.send("POST", "/api/v1/namespaces", "application/json",
                "{\"metadata\":{\"name\":\"fin\",\"finalizers\":[\"example.com/hold\"]}}");
        JsonNode ns = json(server.get("/api/v1/namespaces/fin"));
        assertThat(ns.path("status").path("phase").asString()).isEqualTo("Active");
        assertThat(ns.path("spec").path("finalizers").get(0).asString()).isEqualTo("kubernetes");
        server.send("DELETE", "/api/v1/namespaces/fin", null, null);
        assertThat(json(server.get("/api/v1/namespaces/fin")).path("status").path("phase").asString())
                .isEqualTo("Terminating");
        assertStatus(server.send("POST", "/api/v1/namespaces/fin/configmaps", "application/json", configMap("late")),
                403, "Forbidden");
        // no controller manager runs here: the namespace waits for its "kubernetes" finalizer to be removed
        assertThat(json(server.get("/api/v1/namespaces/fin")).path("spec").path("finalizers").get(0).asString())
                .isEqualTo("kubernetes");
        // as the namespace controller does once the namespace is empty; metadata.finalizers still hold it
        server.send("PUT", "/api/v1/namespaces/fin/finalize", "application/json",
                "{\"metadata\":{\"name\":\"fin\"},\"spec\":{\"finalizers\":[]}}");
        assertThat(json(server.get("/api/v1/namespaces/fin")).path("spec").path("finalizers").isEmpty()).isTrue();
        JsonNode held = json(server.get("/api/v1/namespaces/fin"));
        server.send("PATCH", "/api/v1/namespaces/fin", "application/merge-patch+json",
                "{\"metadata\":{\"finalizers\":null}}");
        assertThat(held.path("metadata").path("deletionTimestamp").isMissingNode()).isFalse();
        assertThat(server.get("/api/v1/namespaces/fin").statusCode()).isEqualTo(404);
    }

    @Test
    void metricsCountRequests() {
        server.get("/api/v1/namespaces/default/configmaps");
        String metrics = server.get("/metrics").body();
        assertThat(metrics).contains("apiserver_request_total{verb=\"LIST\",group=\"\",version=\"v1\","
                + "resource=\"configmaps\",subresource=\"\",code=\"200\"}");
        assertThat(metrics).contains("apiserver_request_duration_seconds_bucket{verb=\"LIST\"");
        assertThat(metrics).contains("apiserver_longrunning_requests{verb=\"WATCH\"}");
        // the four system namespaces (others the class's tests create may be there too), from the watch cache
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(server.get("/metrics").body())
                        .containsPattern("\napiserver_storage_objects\\{resource=\"namespaces\"} ([4-9]|[1-9][0-9]+)\n")
                        .contains("apiserver_storage_objects{resource=\"priorityclasses.scheduling.k8s.io\"} 2\n"));
    }

    @Test
    void h2cUpgradeIsIgnored() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(server.url() + "/version"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(client.send(HttpRequest.newBuilder(URI.create(server.url() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("ok");
    }

    @Test
    void kubeconfigPointsAtTheServer() throws Exception {
        String text = Files.readString(server.kubeconfig());
        assertThat(text).contains("server: http://127.0.0.1:" + server.port());
        assertThat(text).contains("current-context: default");
        try (Stream<String> lines = Files.lines(server.kubeconfig())) {
            assertThat(lines.count()).isGreaterThan(5);
        }
    }
}
