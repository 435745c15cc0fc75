package io.kube4j.apiserver.security;

import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The securely serving API server spoken to over HTTP/2 (ALPN h2): the JDK client, curl and the real kubectl. */
class Http2ApiTest {

    @RegisterExtension
    static final SecureServer server = SecureServer.perClass();
    static HttpClient h2;

    @BeforeAll
    static void start() {
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(server.server().pki().caCertificate(), server.server().pki().admin()))
                .build();
        HttpResponse<String> ns = server.send(h2, "POST", "/api/v1/namespaces",
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"h2\"}}");
        assertThat(ns.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(ns.statusCode()).as(ns.body()).isEqualTo(201);
    }

    private static String configMap(String name) {
        return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name + "\"},"
                + "\"data\":{\"k\":\"v\"}}";
    }

    @Test
    void createGetListOverH2WithTheAdminCertificate() {
        HttpResponse<String> created = server.send(h2, "POST", "/api/v1/namespaces/h2/configmaps", configMap("one"));
        assertThat(created.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        HttpResponse<String> got = server.get(h2, "/api/v1/namespaces/h2/configmaps/one");
        assertThat(got.statusCode()).isEqualTo(200);
        assertThat(got.body()).contains("\"name\":\"one\"");
        HttpResponse<String> list = server.get(h2, "/api/v1/namespaces/h2/configmaps");
        assertThat(list.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(list.body()).contains("\"kind\":\"ConfigMapList\"", "\"name\":\"one\"");
        HttpResponse<String> table = server.get(h2, "/api/v1/namespaces/h2/configmaps",
                "Accept", "application/json;as=Table;v=v1;g=meta.k8s.io");
        assertThat(table.body()).contains("\"kind\":\"Table\"");

        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(server.server().pki().caCertificate(), null)).build();
        HttpResponse<String> refused = server.get(anonymous, "/api/v1/namespaces/h2/configmaps");
        assertThat(refused.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(refused.statusCode()).isIn(401, 403);
    }

    @Test
    void watchEventsArriveOneByOneAndClosingTheStreamFreesTheWatch() throws Exception {
        int before = activeWatches();
        HttpResponse<InputStream> watch = h2.send(HttpRequest.newBuilder(URI.create(server.server().url()
                        + "/api/v1/namespaces/h2/configmaps?watch=true&timeoutSeconds=120&labelSelector=w%3D1")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(watch.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(watch.statusCode()).isEqualTo(200);
        BufferedReader events = new BufferedReader(new InputStreamReader(watch.body(), StandardCharsets.UTF_8));
        for (String name : List.of("w-a", "w-b", "w-c")) {
            assertThat(server.send(h2, "POST", "/api/v1/namespaces/h2/configmaps",
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"" + name
                            + "\",\"labels\":{\"w\":\"1\"}}}").statusCode()).isEqualTo(201);
            // the event is read while the watch is still open: it was flushed on its own
            String event = events.readLine();
            assertThat(event).contains("\"type\":\"ADDED\"", "\"name\":\"" + name + "\"");
        }
        assertThat(activeWatches()).isEqualTo(before + 1);
        events.close();
        await().atMost(20, TimeUnit.SECONDS).untilAsserted(() -> assertThat(activeWatches()).isEqualTo(before));
    }

    @Test
    void manyConcurrentStreamsOnOneConnection() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            responses.add(h2.sendAsync(HttpRequest.newBuilder(URI.create(server.server().url()
                    + (i % 2 == 0 ? "/api/v1/namespaces/h2" : "/api/v1/namespaces/h2/configmaps"))).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> response : responses) {
            HttpResponse<String> done = response.get(60, TimeUnit.SECONDS);
            assertThat(done.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(done.statusCode()).as(done.body()).isEqualTo(200);
        }
    }

    @Test
    void execOverH2IsABadRequestBecauseUpgradesNeedHttp11() {
        server.send(h2, "POST", "/api/v1/nodes",
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"h2-node\"}}");
        server.send(h2, "POST", "/api/v1/namespaces/h2/serviceaccounts",
                "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}");
        HttpResponse<String> pod = server.send(h2, "POST", "/api/v1/namespaces/h2/pods",
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},\"spec\":{\"nodeName\":"
                        + "\"h2-node\",\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}");
        assertThat(pod.statusCode()).as(pod.body()).isEqualTo(201);
        HttpResponse<String> exec = server.get(h2, "/api/v1/namespaces/h2/pods/p/exec?command=true&stdout=true");
        assertThat(exec.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(exec.statusCode()).isEqualTo(400);
        assertThat(exec.body()).contains("Upgrade request required");
    }

    @Test
    void curlNegotiatesH2() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl not installed");
        Path pki = server.server().pki().dir();
        Process curl = new ProcessBuilder("curl", "--http2", "-sS", "-v", "--max-time", "20",
                "--cacert", pki.resolve("ca.crt").toString(), "--cert", pki.resolve("admin.crt").toString(),
                "--key", pki.resolve("admin.key").toString(), "-H", "Accept-Encoding: gzip", "--compressed",
                server.server().url() + "/api/v1/namespaces/h2").redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String output = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.exitValue()).as(output).isZero();
        assertThat(output).contains("ALPN: server accepted h2", "HTTP/2 200", "\"name\":\"h2\"");
    }

    @Test
    void kubectlSpeaksH2() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        String created = kubectl(0, "create", "configmap", "from-kubectl", "-n", "h2", "--from-literal=a=b");
        assertThat(created).contains("configmap/from-kubectl created");
        assertThat(kubectl(0, "get", "configmaps", "-n", "h2")).contains("from-kubectl");
        assertThat(kubectl(0, "get", "configmap", "from-kubectl", "-n", "h2", "-o", "jsonpath={.data.a}"))
                .contains("b");
        // Go's client logs its HTTP/2 frames when asked: proof that kubectl's requests went over h2
        String debug = kubectl(0, "get", "namespace", "h2", "-v=1");
        assertThat(debug).contains("http2: Transport");
        assertThat(kubectl(0, "delete", "configmap", "from-kubectl", "-n", "h2")).contains("deleted");
    }

    private String kubectl(int expectedExit, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("kubectl", "--kubeconfig",
                server.server().kubeconfig().toString(),
                "--cache-dir", server.dir().resolve("kubectl-cache").toString(), "--request-timeout=20s"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("GODEBUG", "http2debug=1");
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new AssertionError("kubectl hung: " + String.join(" ", args));
        }
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(output).isEqualTo(expectedExit);
        return output;
    }

    private static final Pattern WATCHES = Pattern.compile("apiserver_longrunning_requests\\{verb=\"WATCH\"} (\\d+)");

    private static int activeWatches() {
        String metrics = server.get(h2, "/metrics").body();
        Matcher matcher = WATCHES.matcher(metrics);
        assertThat(matcher.find()).as(metrics).isTrue();
        return Integer.parseInt(matcher.group(1));
    }
}
