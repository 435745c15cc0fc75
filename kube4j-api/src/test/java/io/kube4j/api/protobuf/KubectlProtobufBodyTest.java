package io.kube4j.api.protobuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * End-to-end proof with the real kubectl 1.32: a throwaway HTTP server answers just enough discovery for kubectl's
 * typed create commands, records the bodies they POST, and those bodies - protobuf - decode to the expected JSON.
 */
class KubectlProtobufBodyTest {

    private static final Path KUBECTL = Path.of("/usr/lib/google-cloud-sdk/bin/kubectl.1.32");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    record Recorded(String method, String path, String contentType, byte[] body) {
    }

    @TempDir
    Path dir;

    private HttpServer server;
    private final List<Recorded> posts = new CopyOnWriteArrayList<>();
    private Path kubeconfig;

    @BeforeEach
    void startServer() throws IOException {
        assumeTrue(Files.isExecutable(KUBECTL), "kubectl 1.32 is not installed");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        kubeconfig = dir.resolve("kubeconfig");
        Files.writeString(kubeconfig, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: fake
                  cluster:
                    server: http://127.0.0.1:%d
                users:
                - name: nobody
                  user: {}
                contexts:
                - name: fake
                  context:
                    cluster: fake
                    user: nobody
                    namespace: default
                current-context: fake
                """.formatted(server.getAddress().getPort()));
    }

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void createConfigMapSendsProtobufThatDecodes() throws Exception {
        String out = kubectl("create", "configmap", "x", "--from-literal=a=b");

        assertThat(out).contains("configmap/x created");
        Recorded post = onlyPost("/api/v1/namespaces/default/configmaps");
        assertThat(post.contentType()).isEqualTo("application/vnd.kubernetes.protobuf");
        assertThat(KubeProtobuf.decode(post.body())).isEqualTo(json(
                "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'x'},"
                        + "'data':{'a':'b'}}"));
    }

    @Test
    void createSecretSendsBytes() throws Exception {
        String out = kubectl("create", "secret", "generic", "s", "--from-literal=password=secret");

        assertThat(out).contains("secret/s created");
        ObjectNode secret = KubeProtobuf.decode(onlyPost("/api/v1/namespaces/default/secrets").body());
        assertThat(secret.path("data").path("password").asString()).isEqualTo("c2VjcmV0");
        assertThat(secret.path("kind").asString()).isEqualTo("Secret");
    }

    @Test
    void createDeploymentSendsAppsV1() throws Exception {
        String out = kubectl("create", "deployment", "web", "--image=nginx:1.25", "--replicas=0", "--port=80");

        assertThat(out).contains("deployment.apps/web created");
        ObjectNode deployment = KubeProtobuf.decode(onlyPost("/apis/apps/v1/namespaces/default/deployments").body());
        assertThat(deployment).isEqualTo(json("{'apiVersion':'apps/v1','kind':'Deployment',"
                + "'metadata':{'name':'web','labels':{'app':'web'}},"
                + "'spec':{'replicas':0,'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx',"
                + "'image':'nginx:1.25','ports':[{'containerPort':80}],'resources':{}}]}},'strategy':{}},"
                + "'status':{}}"));
    }

    @Test
    void authCanISendsSelfSubjectAccessReview() throws Exception {
        String out = kubectl("auth", "can-i", "create", "pods");

        assertThat(out.lines().toList()).last().isEqualTo("yes");
        ObjectNode review = KubeProtobuf.decode(
                onlyPost("/apis/authorization.k8s.io/v1/selfsubjectaccessreviews").body());
        assertThat(review.path("kind").asString()).isEqualTo("SelfSubjectAccessReview");
        assertThat(review.path("spec").path("resourceAttributes")).isEqualTo(json(
                "{'namespace':'default','verb':'create','resource':'pods'}"));
    }

    private Recorded onlyPost(String path) {
        List<Recorded> matching = new ArrayList<>();
        for (Recorded r : posts) {
            if (r.path().equals(path)) {
                matching.add(r);
            }
        }
        assertThat(matching).as("POSTs to %s among %s", path, posts).hasSize(1);
        return matching.get(0);
    }

    private String kubectl(String... args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(KUBECTL.toString());
        command.addAll(List.of(args));
        command.addAll(List.of("--kubeconfig", kubeconfig.toString(), "--cache-dir", dir.resolve("cache").toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("HOME", dir.toString());
        pb.redirectOutput(dir.resolve("kubectl.out").toFile());
        Process process = pb.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("kubectl finished").isTrue();
        String out = Files.readString(dir.resolve("kubectl.out"));
        assertThat(process.exitValue()).as("kubectl exit code, output:%n%s", out).isZero();
        return out;
    }

    // --- the fake API server ---

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("POST")) {
                posts.add(new Recorded("POST", path, exchange.getRequestHeaders().getFirst("Content-Type"), body));
                ObjectNode object = KubeProtobuf.isProtobuf(exchange.getRequestHeaders().getFirst("Content-Type"))
                        ? KubeProtobuf.decode(body) : (ObjectNode) JSON.readTree(body);
                if (object.path("kind").asString().equals("SelfSubjectAccessReview")) {
                    object.putObject("status").put("allowed", true);
                }
                respond(exchange, 201, JSON.writeValueAsString(object));
                return;
            }
            String answer = discovery(path);
            if (answer == null) {
                respond(exchange, 404, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\","
                        + "\"reason\":\"NotFound\",\"code\":404}");
            } else {
                respond(exchange, 200, answer);
            }
        }
    }

    private String discovery(String path) {
        Map<String, String> documents = Map.of(
                "/version", "{'major':'1','minor':'32','gitVersion':'v1.32.4','platform':'linux/amd64'}",
                "/api", "{'kind':'APIVersions','versions':['v1'],'serverAddressByClientCIDRs':[]}",
                "/apis", "{'kind':'APIGroupList','apiVersion':'v1','groups':["
                        + group("apps") + "," + group("authorization.k8s.io") + "]}",
                "/api/v1", resources("v1",
                        resource("configmaps", "ConfigMap", true), resource("secrets", "Secret", true),
                        resource("pods", "Pod", true)),
                "/apis/apps/v1", resources("apps/v1", resource("deployments", "Deployment", true)),
                "/apis/authorization.k8s.io/v1", resources("authorization.k8s.io/v1",
                        resource("selfsubjectaccessreviews", "SelfSubjectAccessReview", false)));
        String document = documents.get(path);
        return document == null ? null : document.replace('\'', '"');
    }

    private static String group(String name) {
        String version = "{'groupVersion':'" + name + "/v1','version':'v1'}";
        return "{'name':'" + name + "','versions':[" + version + "],'preferredVersion':" + version + "}";
    }

    private static String resource(String plural, String kind, boolean namespaced) {
        return "{'name':'" + plural + "','singularName':'','namespaced':" + namespaced + ",'kind':'" + kind
                + "','verbs':['create','get','list']}";
    }

    private static String resources(String groupVersion, String... resources) {
        return "{'kind':'APIResourceList','apiVersion':'v1','groupVersion':'" + groupVersion + "','resources':["
                + String.join(",", resources) + "]}";
    }

    private static void respond(HttpExchange exchange, int code, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(code, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static ObjectNode json(String text) {
        return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    }
}
