package io.kube4j.e2e;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The cluster DNS that {@code kube4j server} serves: the {@code kube-system/kube-dns} Service at the tenth address
 * of the service network, the kubelet pointing pods at it with the namespace search path, and names of Services
 * (ClusterIP and headless) resolved from inside a real pod with busybox.
 */
class DnsE2ETest {
    @RegisterExtension
    static final SingleNodeClusterExtension cluster = new SingleNodeClusterExtension();

    @BeforeAll
    static void start() {
        cluster.kubectl().runWithInput(WebApp.MANIFEST + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web-headless}
                spec:
                  clusterIP: None
                  selector: {app: web}
                  ports: [{name: http, port: 8080}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: client}
                spec:
                  containers:
                  - name: client
                    image: busybox
                    imagePullPolicy: IfNotPresent
                    command: ["sleep", "3600"]
                """, "apply", "-f", "-").assertOk();
        Phases.run("pods Running", () -> await().atMost(Duration.ofSeconds(120)).untilAsserted(() ->
                assertThat(cluster.kubectl().run("get", "pods", "-o",
                        "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}").stdout().lines())
                        .hasSize(3).allMatch("Running"::equals)));
    }

    @Test
    void theKubeDnsServiceIsAtTheTenthServiceAddressWithUdpAndTcpPorts() {
        String svc = cluster.kubectl().run("-n", "kube-system", "get", "svc", "kube-dns", "-o",
                "jsonpath={.spec.clusterIP}{range .spec.ports[*]} {.name}/{.port}/{.protocol}{end}").assertOk().stdout();
        assertThat(svc).isEqualTo("10.43.0.10 dns/53/UDP dns-tcp/53/TCP");
        assertThat(cluster.kubectl().run("-n", "kube-system", "get", "endpointslices", "-l", "kubernetes.io/service-name=kube-dns",
                "-o", "jsonpath={.items[*].endpoints[*].addresses[*]}").assertOk().stdout()).isNotBlank();
    }

    @Test
    void podsGetTheClusterDnsAndTheNamespaceSearchPath() {
        String resolvConf = exec("cat", "/etc/resolv.conf").stdout();
        assertThat(resolvConf).contains("nameserver 10.43.0.10")
                .containsPattern("search default\\.svc\\.cluster\\.local svc\\.cluster\\.local cluster\\.local")
                .contains("ndots:5");
    }

    @Test
    void aServiceNameResolvesToItsClusterIpAndAnswersByShortName() {
        String clusterIp = cluster.kubectl().run("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").assertOk()
                .stdout();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(exec("nslookup", "web.default.svc.cluster.local").stdout())
                        .contains("Address: " + clusterIp));
        // the short name goes through the search path in the pod's resolv.conf, then through the proxy
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(exec("wget", "-qO-", "http://web/").stdout()).startsWith("served-by-web-"));
        // TCP too (what a resolver falls back to for a truncated answer), through the dns-tcp port: busybox has no
        // TCP resolver, so the pod sends a wire-format query with nc and prints the reply's bytes
        String reply = exec("sh", "-c", "printf '" + tcpQuery("web.default.svc.cluster.local")
                + "' | timeout 5 nc 10.43.0.10 53 > /tmp/reply; od -An -v -tu1 /tmp/reply | tr -s ' \\n' ' '")
                .stdout().strip();
        assertThat(reply).endsWith("0 4 " + clusterIp.replace('.', ' '));
    }

    /** A DNS query for the A record of {@code name}, framed for TCP, as printf octal escapes. */
    private static String tcpQuery(String name) {
        java.io.ByteArrayOutputStream q = new java.io.ByteArrayOutputStream();
        // id 0x1234, recursion desired, one question
        q.writeBytes(new byte[] {0x12, 0x34, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0});
        for (String label : name.split("\\.")) {
            q.write(label.length());
            q.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        q.writeBytes(new byte[] {0, 0, 1, 0, 1});
        byte[] message = q.toByteArray();
        StringBuilder escaped = new StringBuilder(String.format("\\%03o\\%03o", message.length >> 8, message.length & 255));
        for (byte b : message) {
            escaped.append(String.format("\\%03o", b & 255));
        }
        return escaped.toString();
    }

    @Test
    void aHeadlessServiceResolvesToItsPodIps() {
        List<String> podIps = cluster.kubectl().run("get", "pods", "-l", "app=web", "-o",
                "jsonpath={range .items[*]}{.status.podIP}{\"\\n\"}{end}").assertOk().stdout().lines().toList();
        assertThat(podIps).hasSize(2);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            String out = exec("nslookup", "web-headless.default.svc.cluster.local").stdout();
            for (String ip : podIps) {
                assertThat(out).contains("Address: " + ip);
            }
        });
    }

    @Test
    void anUnknownNameFails() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(exec("nslookup", "kube-dns.kube-system.svc.cluster.local").stdout())
                        .contains("Address: 10.43.0.10"));
        Kubectl.Result unknown = exec("nslookup", "nope.default.svc.cluster.local");
        assertThat(unknown.exitCode()).isNotZero();
        assertThat(unknown.stdout() + unknown.stderr()).contains("NXDOMAIN");
    }

    /** Runs a command in the client pod, bounded by busybox's timeout so a lost packet cannot hang the test. */
    private static Kubectl.Result exec(String... command) {
        List<String> args = new java.util.ArrayList<>(List.of("exec", "client", "--", "timeout", "10"));
        args.addAll(List.of(command));
        return cluster.kubectl().run(args.toArray(String[]::new));
    }
}
