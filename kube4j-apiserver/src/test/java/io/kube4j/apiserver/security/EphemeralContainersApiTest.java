package io.kube4j.apiserver.security;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.util.Map;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code pods/ephemeralcontainers} on a securely serving API server, as {@code kubectl debug} uses it: a strategic
 * merge patch through the subresource adds a container, under upstream's rules, RBAC and PodSecurity.
 */
class EphemeralContainersApiTest {
    private static final String SMP = "application/strategic-merge-patch+json";
    private static final String NS = "debug";

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient admin;

    @BeforeAll
    static void start() {
        admin = server.admin();
        // baseline: what kubectl debug's general profile asks for is allowed, a privileged container is not
        server.createNamespace(NS, Map.of("pod-security.kubernetes.io/enforce", "baseline"));
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static String createPod(String name) {
        created(server.send(admin, "POST", "/api/v1/namespaces/" + NS + "/pods", "{\"apiVersion\":\"v1\",\"kind\":"
                + "\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{\"app\":\"x\"}},\"spec\":{"
                + "\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"main\",\"image\":\"busybox\","
                + "\"command\":[\"sleep\",\"3600\"]}]}}"));
        return "/api/v1/namespaces/" + NS + "/pods/" + name;
    }

    private static HttpResponse<String> patch(HttpClient client, String path, String type, String body,
                                              String... headers) {
        List<String> all = new ArrayList<>(List.of("Content-Type", type));
        all.addAll(List.of(headers));
        return server.send(client, "PATCH", path, body, all.toArray(String[]::new));
    }

    private static String debugger(String name, String extra) {
        return "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"" + name + "\",\"image\":\"busybox\","
                + "\"targetContainerName\":\"main\",\"stdin\":true,\"tty\":true" + extra + "}]}}";
    }

    @Test
    void kubectlDebugsPatchAddsAContainerAndNothingElse() {
        String pod = createPod("target");
        HttpResponse<String> read = server.get(admin, pod + "/ephemeralcontainers");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(SecureServer.json(read).path("kind").asString()).isEqualTo("Pod");

        // kubectl debug's two-way merge patch; a label and an image change riding along are dropped, as upstream
        HttpResponse<String> added = patch(admin, pod + "/ephemeralcontainers", SMP, "{\"metadata\":{\"labels\":"
                + "{\"app\":\"changed\"}},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"alpine\"}],"
                + "\"ephemeralContainers\":[{\"name\":\"debugger\",\"image\":\"busybox\",\"targetContainerName\":"
                + "\"main\",\"stdin\":true,\"tty\":true,\"command\":[\"sh\"]}]}}", "User-Agent", "kubectl-debug");
        assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
        ObjectNode result = SecureServer.json(added);
        JsonNode ephemeral = result.path("spec").path("ephemeralContainers").path(0);
        assertThat(ephemeral.path("name").asString()).isEqualTo("debugger");
        assertThat(ephemeral.path("targetContainerName").asString()).isEqualTo("main");
        // defaulted like any container
        assertThat(ephemeral.path("terminationMessagePath").asString()).isEqualTo("/dev/termination-log");
        assertThat(ephemeral.path("imagePullPolicy").asString()).isEqualTo("Always");
        assertThat(result.path("metadata").path("labels").path("app").asString()).isEqualTo("x");
        assertThat(result.path("spec").path("containers").path(0).path("image").asString()).isEqualTo("busybox");
        assertThat(result.path("metadata").path("managedFields").toString())
                .contains("\"subresource\":\"ephemeralcontainers\"");

        // stored: the main resource shows it too
        ObjectNode stored = SecureServer.json(server.get(admin, pod));
        assertThat(stored.path("spec").path("ephemeralContainers").path(0).path("name").asString())
                .isEqualTo("debugger");

        // a second one is added beside the first (kubectl's two-way patch says the order it wants)
        HttpResponse<String> second = patch(admin, pod + "/ephemeralcontainers", SMP, "{\"spec\":{"
                + "\"$setElementOrder/ephemeralContainers\":[{\"name\":\"debugger\"},{\"name\":\"debugger2\"}],"
                + "\"ephemeralContainers\":[{\"name\":\"debugger2\",\"image\":\"busybox\"}]}}");
        assertThat(second.statusCode()).as(second.body()).isEqualTo(200);
        assertThat(SecureServer.json(second).path("spec").path("ephemeralContainers").findValuesAsString("name"))
                .containsExactly("debugger", "debugger2");
    }

    @Test
    void theRulesAnswer422InUpstreamsWords() {
        String pod = createPod("rules");
        HttpResponse<String> duplicate = patch(admin, pod + "/ephemeralcontainers", SMP,
                "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}");
        assertThat(duplicate.statusCode()).isEqualTo(422);
        ObjectNode status = SecureServer.json(duplicate);
        assertThat(status.path("reason").asString()).isEqualTo("Invalid");
        assertThat(status.path("message").asString()).isEqualTo("Pod \"rules\" is invalid: "
                + "spec.ephemeralContainers[0].name: Duplicate value: \"main\"");
        assertThat(status.path("details").path("causes").path(0).path("field").asString())
                .isEqualTo("spec.ephemeralContainers[0].name");

        HttpResponse<String> target = patch(admin, pod + "/ephemeralcontainers", SMP,
                "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\",\"targetContainerName\":"
                + "\"nope\",\"ports\":[{\"containerPort\":80}],\"readinessProbe\":{\"exec\":{\"command\":[\"true\"]}}}]}}");
        assertThat(target.statusCode()).isEqualTo(422);
        assertThat(SecureServer.json(target).path("message").asString()).isEqualTo("Pod \"rules\" is invalid: ["
                + "spec.ephemeralContainers[0].targetContainerName: Not found: \"nope\", "
                + "spec.ephemeralContainers[0].ports: Forbidden: cannot be set for an Ephemeral Container, "
                + "spec.ephemeralContainers[0].readinessProbe: Forbidden: cannot be set for an Ephemeral Container]");

        assertThat(patch(admin, pod + "/ephemeralcontainers", SMP, debugger("d", "")).statusCode()).isEqualTo(200);
        // neither removed nor changed once there
        HttpResponse<String> removed = patch(admin, pod + "/ephemeralcontainers", "application/json-patch+json",
                "[{\"op\":\"remove\",\"path\":\"/spec/ephemeralContainers/0\"}]");
        assertThat(removed.statusCode()).isEqualTo(422);
        assertThat(SecureServer.json(removed).path("message").asString()).isEqualTo("Pod \"rules\" is invalid: "
                + "spec.ephemeralContainers: Forbidden: existing ephemeral containers \"d\" may not be removed\n");
        HttpResponse<String> changed = patch(admin, pod + "/ephemeralcontainers", SMP,
                "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"alpine\"}]}}");
        assertThat(changed.statusCode()).isEqualTo(422);
        assertThat(SecureServer.json(changed).path("message").asString())
                .startsWith("Pod \"rules\" is invalid: spec.ephemeralContainers: Forbidden: existing ephemeral "
                        + "containers \"d\" may not be changed\n");

        // the main resource still refuses any change to them
        HttpResponse<String> throughPod = patch(admin, pod, SMP, debugger("other", ""));
        assertThat(throughPod.statusCode()).isEqualTo(422);
        assertThat(SecureServer.json(throughPod).path("message").asString())
                .startsWith("Pod \"rules\" is invalid: spec: Forbidden: pod updates may not change fields other than");

        // a missing pod is the pod's 404, with its name (kubectl debug tells it from a missing subresource so)
        HttpResponse<String> missing = patch(admin, "/api/v1/namespaces/" + NS + "/pods/nope/ephemeralcontainers",
                SMP, debugger("d", ""));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(SecureServer.json(missing).path("details").path("name").asString()).isEqualTo("nope");
    }

    @Test
    void serverSideApplyAddsAnEphemeralContainerAndOwnsIt() {
        String pod = createPod("applied");
        // an apply configuration as client-go's applyconfigurations send it
        HttpResponse<String> applied = patch(admin, pod + "/ephemeralcontainers?fieldManager=debugger",
                "application/apply-patch+yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: applied\n"
                        + "spec:\n  ephemeralContainers:\n  - name: dbg\n"
                        + "    image: busybox\n    targetContainerName: main\n");
        assertThat(applied.statusCode()).as(applied.body()).isEqualTo(200);
        ObjectNode result = SecureServer.json(applied);
        assertThat(result.path("spec").path("ephemeralContainers").findValuesAsString("name")).containsExactly("dbg");
        assertThat(result.path("metadata").path("labels").path("app").asString()).isEqualTo("x");
        JsonNode entry = null;
        for (JsonNode e : result.path("metadata").path("managedFields")) {
            if (e.path("manager").asString().equals("debugger")) {
                entry = e;
            }
        }
        assertThat(entry).as(result.path("metadata").toString()).isNotNull();
        assertThat(entry.path("operation").asString()).isEqualTo("Apply");
        assertThat(entry.path("subresource").asString()).isEqualTo("ephemeralcontainers");
        assertThat(entry.path("fieldsV1").path("f:spec").path("f:ephemeralContainers").has("k:{\"name\":\"dbg\"}"))
                .as(entry.toString()).isTrue();
        // kept in the store, and the rules still hold: an applied change of an existing one is refused
        assertThat(SecureServer.json(server.get(admin, pod)).path("metadata").path("managedFields").toString())
                .contains("\"subresource\":\"ephemeralcontainers\"");
        HttpResponse<String> changed = patch(admin, pod + "/ephemeralcontainers?fieldManager=debugger",
                "application/apply-patch+yaml", "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":"
                        + "{\"ephemeralContainers\":[{\"name\":\"dbg\",\"image\":\"alpine\"}]}}");
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(422);
        // through a subresource apply never creates: a missing pod is its 404
        HttpResponse<String> missing = patch(admin, "/api/v1/namespaces/" + NS + "/pods/nope/ephemeralcontainers"
                + "?fieldManager=debugger", "application/apply-patch+yaml", "{\"apiVersion\":\"v1\",\"kind\":"
                + "\"Pod\",\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\"}]}}");
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
    }

    @Test
    void anUpdateWithTheWholePodAddsToo() {
        String pod = createPod("put");
        ObjectNode current = SecureServer.json(server.get(admin, pod + "/ephemeralcontainers"));
        ObjectNode container = ((ObjectNode) current.path("spec")).putArray("ephemeralContainers").addObject();
        container.put("name", "debugger").put("image", "busybox");
        HttpResponse<String> put = server.send(admin, "PUT", pod + "/ephemeralcontainers", current.toString());
        assertThat(put.statusCode()).as(put.body()).isEqualTo(200);
        assertThat(SecureServer.json(put).path("spec").path("ephemeralContainers").path(0).path("name").asString())
                .isEqualTo("debugger");
        // the resourceVersion it was read at is now stale
        HttpResponse<String> stale = server.send(admin, "PUT", pod + "/ephemeralcontainers", current.toString());
        assertThat(stale.statusCode()).isEqualTo(409);
    }

    @Test
    void podSecurityChecksTheDebugContainer() {
        String pod = createPod("secure");
        HttpResponse<String> privileged = patch(admin, pod + "/ephemeralcontainers", SMP,
                debugger("root", ",\"securityContext\":{\"privileged\":true}"));
        assertThat(privileged.statusCode()).isEqualTo(403);
        assertThat(SecureServer.json(privileged).path("message").asString())
                .contains("violates PodSecurity \"baseline:latest\": privileged");
        assertThat(SecureServer.json(server.get(admin, pod)).path("spec").has("ephemeralContainers")).isFalse();
    }

    @Test
    void patchingNeedsTheSubresourcesOwnPermission() {
        String pod = createPod("rbac");
        created(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/roles",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"Role\",\"metadata\":{\"name\":\"pods\"},"
                + "\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"],\"verbs\":[\"get\",\"patch\"]}]}"));
        created(server.send(admin, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/rolebindings",
                "{\"apiVersion\":\"rbac.authorization.k8s.io/v1\",\"kind\":\"RoleBinding\",\"metadata\":{\"name\":"
                + "\"jane\"},\"roleRef\":{\"apiGroup\":\"rbac.authorization.k8s.io\",\"kind\":\"Role\",\"name\":"
                + "\"pods\"},\"subjects\":[{\"kind\":\"User\",\"apiGroup\":\"rbac.authorization.k8s.io\",\"name\":"
                + "\"jane\"}]}"));
        HttpClient jane = server.anonymous();
        String[] bearer = {"Authorization", "Bearer jane-token"};
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(server.get(jane, pod, bearer).statusCode()).isEqualTo(200));
        HttpResponse<String> refused = patch(jane, pod + "/ephemeralcontainers", SMP, debugger("d", ""), bearer);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(SecureServer.json(refused).path("message").asString()).isEqualTo("pods \"rbac\" is forbidden: "
                + "User \"jane\" cannot patch resource \"pods/ephemeralcontainers\" in API group \"\" in the "
                + "namespace \"debug\"");

        assertThat(patch(admin, "/apis/rbac.authorization.k8s.io/v1/namespaces/" + NS + "/roles/pods",
                "application/json-patch+json", "[{\"op\":\"add\",\"path\":\"/rules/-\",\"value\":{\"apiGroups\":[\"\"],"
                + "\"resources\":[\"pods/ephemeralcontainers\"],\"verbs\":[\"patch\"]}}]").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                patch(jane, pod + "/ephemeralcontainers", SMP, debugger("d", ""), bearer).statusCode()).isEqualTo(200));
    }

    @Test
    void streamsNameTheEphemeralContainersAmongTheChoices() {
        created(server.send(admin, "POST", "/api/v1/namespaces/" + NS + "/pods", "{\"apiVersion\":\"v1\",\"kind\":"
                + "\"Pod\",\"metadata\":{\"name\":\"two\"},\"spec\":{\"automountServiceAccountToken\":false,"
                + "\"containers\":[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}]}}"));
        String pod = "/api/v1/namespaces/" + NS + "/pods/two";
        assertThat(patch(admin, pod + "/ephemeralcontainers", SMP,
                "{\"spec\":{\"ephemeralContainers\":[{\"name\":\"d\",\"image\":\"busybox\"}]}}").statusCode())
                .isEqualTo(200);
        HttpResponse<String> exec = server.send(admin, "POST", pod + "/exec?command=true&stdout=true", null);
        assertThat(exec.statusCode()).isEqualTo(400);
        assertThat(SecureServer.json(exec).path("message").asString()).isEqualTo("a container name must be specified "
                + "for pod two, choose one of: [a b] or one of the ephemeral containers: [d]");
    }

    @Test
    void discoveryAndOpenApiNameTheSubresource() {
        JsonNode resources = SecureServer.json(server.get(admin, "/api/v1")).path("resources");
        JsonNode found = null;
        for (JsonNode r : resources) {
            if (r.path("name").asString().equals("pods/ephemeralcontainers")) {
                found = r;
            }
        }
        assertThat(found).as(resources.toString()).isNotNull();
        assertThat(found.path("kind").asString()).isEqualTo("Pod");
        assertThat(found.path("namespaced").asBoolean()).isTrue();
        assertThat(found.path("verbs").toString()).isEqualTo("[\"get\",\"patch\",\"update\"]");

        ObjectNode openapi = (ObjectNode) Json.parse(server.get(admin, "/openapi/v2").body()
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        JsonNode path = openapi.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}/ephemeralcontainers");
        assertThat(path.path("patch").path("operationId").asString())
                .isEqualTo("patchCoreV1NamespacedPodEphemeralcontainers");
    }
}
