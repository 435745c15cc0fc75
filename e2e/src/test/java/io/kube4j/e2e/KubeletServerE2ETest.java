package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The kubelet server of {@code kube4j server} as upstream's: HTTPS on every interface with a serving certificate of
 * the cluster CA, nothing served without credentials, and {@code kubectl logs} / {@code kubectl exec} reaching it
 * through the API server, which presents its kube-apiserver-kubelet-client certificate.
 */
class KubeletServerE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    @Test
    void logsAndExecGoThroughTheTlsKubelet() {
        cluster.kubectl().runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: shell}
                spec:
                  containers:
                  - name: shell
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sh", "-c", "echo hello-from-shell && exec sleep 3600"]
                """, "apply", "-f", "-").assertOk();
        await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pod", "shell", "-o", "jsonpath={.status.phase}").stdout())
                        .isEqualTo("Running"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("logs", "shell").assertOk().stdout()).isEqualTo("hello-from-shell\n"));
        Kubectl.Result exec = cluster.kubectl().run("exec", "shell", "--", "sh", "-c",
                "echo out-$((6*7)); echo err >&2; exit 3");
        assertThat(exec.stdout()).isEqualTo("out-42\n");
        assertThat(exec.stderr()).contains("err");
        assertThat(exec.exitCode()).isEqualTo(3);
        String node = cluster.kubectl().run("get", "pod", "shell", "-o", "jsonpath={.spec.nodeName}").assertOk()
                .stdout();
        // nodes/proxy too goes over TLS with the API server's kubelet client certificate
        assertThat(cluster.kubectl().run("get", "--raw", "/api/v1/nodes/" + node + "/proxy/pods").assertOk().stdout())
                .contains("\"name\":\"shell\"");
    }

    @Test
    void theKubeletServerRefusesRequestsWithoutCredentials() throws Exception {
        int port = kubeletPort();
        for (String path : List.of("/pods", "/healthz", "/containerLogs/default/shell/shell")) {
            assertThat(curl("-k", "https://127.0.0.1:" + port + path)).as(path).isEqualTo("401 Unauthorized");
        }
        // not on loopback only: the node's own address answers, with the same refusal
        String nodeIp = cluster.kubectl().run("get", "nodes", "-o",
                "jsonpath={.items[0].status.addresses[?(@.type==\"InternalIP\")].address}").assertOk().stdout();
        assertThat(curl("-k", "https://" + nodeIp + ":" + port + "/pods")).isEqualTo("401 Unauthorized");
        // a token the API server does not know is no better
        assertThat(curl("-k", "-H", "Authorization: Bearer not-a-token", "https://127.0.0.1:" + port + "/pods"))
                .isEqualTo("401 Unauthorized");
    }

    @Test
    void theServingCertificateVerifiesAgainstTheClusterCaAndTheApiServersClientCertificateIsAllowed()
            throws Exception {
        int port = kubeletPort();
        Path ca = find("ca.crt");
        Path cert = find("kube-apiserver-kubelet-client.crt");
        Path key = cert.resolveSibling("kube-apiserver-kubelet-client.key");
        String answer = curl("--cacert", ca.toString(), "--cert", cert.toString(), "--key", key.toString(),
                "https://127.0.0.1:" + port + "/healthz");
        assertThat(answer).isEqualTo("200 ok");
    }

    private static int kubeletPort() {
        String port = cluster.kubectl().run("get", "nodes", "-o",
                "jsonpath={.items[0].status.daemonEndpoints.kubeletEndpoint.Port}").assertOk().stdout();
        assertThat(port).matches("[1-9][0-9]*");
        return Integer.parseInt(port);
    }

    private static Path find(String fileName) throws IOException {
        Path data = cluster.server().dataDir();
        try (Stream<Path> files = Files.walk(data)) {
            return files.filter(p -> p.getFileName().toString().equals(fileName)).findFirst()
                    .orElseThrow(() -> new AssertionError(fileName + " not found under " + data));
        }
    }

    /** "<status> <body>" from curl, bounded in time. */
    private static String curl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--max-time", "10", "-w", " %{http_code}", "-o",
                "/dev/stdout"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        p.waitFor(15, TimeUnit.SECONDS);
        // the body, then " <code>": put the code first
        int space = out.lastIndexOf(' ');
        return space < 0 ? out : out.substring(space + 1) + " " + out.substring(0, space).strip();
    }
}
