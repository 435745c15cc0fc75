package io.kube4j.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * kube4j server secure by default, as a user meets it: TLS only, the admin kubeconfig does everything, no
 * credentials is 401, a user bound to {@code view} in one namespace reads there and is refused elsewhere with
 * upstream's message, {@code kubectl auth} works, impersonation needs the right, and a restart keeps the CA.
 */
class SecurityE2ETest {
    @TempDir
    Path tmp;

    @Test
    void secureByDefault() throws Exception {
        Path tokens = tmp.resolve("tokens.csv");
        Files.writeString(tokens, "jane-secret-token,jane,1001,\"developers\"\n");
        Path data = tmp.resolve("data");
        try (Kube4jServer server = new Kube4jServer(data, "--token-auth-file", tokens.toString()).start()) {
            Kubectl admin = server.kubectl(tmp.resolve("admin-cache"));
            String adminConfig = Files.readString(server.kubeconfig());
            assertThat(adminConfig).contains("server: https://127.0.0.1:" + server.port(),
                    "certificate-authority-data:", "client-certificate-data:");

            admin.run("create", "namespace", "team").assertOk();
            admin.run("create", "namespace", "other").assertOk();
            admin.run("create", "rolebinding", "jane-view", "--clusterrole=view", "--user=jane", "-n", "team")
                    .assertOk();
            admin.run("create", "configmap", "settings", "--from-literal=a=b", "-n", "team").assertOk();
            assertThat(admin.run("auth", "whoami").assertOk().stdout()).contains("system:admin", "system:masters");

            // no credentials: only the health and version endpoints answer
            HttpClient anonymous = HttpClient.newBuilder().sslContext(trusting(data.resolve("tls/ca.crt"))).build();
            HttpResponse<String> denied = get(anonymous, server, "/api/v1/namespaces");
            assertThat(denied.statusCode()).isEqualTo(401);
            assertThat(denied.body()).contains("\"reason\":\"Unauthorized\"");
            assertThat(get(anonymous, server, "/healthz").body()).isEqualTo("ok");
            assertThat(get(anonymous, server, "/version").statusCode()).isEqualTo(200);

            Kubectl jane = new Kubectl(Kubectl.DISPATCHER, tokenKubeconfig(adminConfig, "jane-secret-token"),
                    tmp.resolve("jane-cache"));
            assertThat(jane.run("get", "configmaps", "-n", "team", "-o", "name").assertOk().stdout())
                    .contains("configmap/settings");
            Kubectl.Result elsewhere = jane.run("get", "pods", "-n", "other");
            assertThat(elsewhere.exitCode()).isNotZero();
            assertThat(elsewhere.stderr()).contains("pods is forbidden: User \"jane\" cannot list resource \"pods\" "
                    + "in API group \"\" in the namespace \"other\"");
            Kubectl.Result write = jane.run("create", "configmap", "nope", "-n", "team");
            assertThat(write.exitCode()).isNotZero();
            assertThat(write.stderr()).contains("User \"jane\" cannot create resource \"configmaps\"");

            assertThat(jane.run("auth", "whoami").assertOk().stdout()).contains("jane", "developers");
            String rules = jane.run("auth", "can-i", "--list", "-n", "team").assertOk().stdout();
            assertThat(rules).containsPattern("(?m)^pods\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");
            assertThat(rules).containsPattern("(?m)^configmaps\\s+\\[\\]\\s+\\[\\]\\s+\\[get list watch\\]");
            assertThat(jane.run("auth", "can-i", "--list", "-n", "other").assertOk().stdout())
                    .doesNotContainPattern("(?m)^pods\\s");
            assertThat(jane.run("auth", "can-i", "list", "pods", "-n", "team").stdout().strip()).isEqualTo("yes");
            assertThat(jane.run("auth", "can-i", "delete", "pods", "-n", "team").stdout().strip()).isEqualTo("no");

            // impersonation: the admin may, the view user may not
            Kubectl.Result asJane = admin.run("--as=jane", "get", "pods", "-n", "other");
            assertThat(asJane.stderr()).contains("User \"jane\" cannot list resource \"pods\"");
            assertThat(admin.run("--as=jane", "get", "configmaps", "-n", "team", "-o", "name").assertOk().stdout())
                    .contains("configmap/settings");
            Kubectl.Result janeAsAdmin = jane.run("--as=system:admin", "get", "pods", "-n", "team");
            assertThat(janeAsAdmin.exitCode()).isNotZero();
            assertThat(janeAsAdmin.stderr()).contains("users \"system:admin\" is forbidden: User \"jane\" cannot "
                    + "impersonate resource \"users\" in API group \"\" at the cluster scope");

            // kube4j token create: a bootstrap token that authenticates as system:bootstrap:<id>
            String join = runKube4j("token", "create", "--data-dir", data.toString(), "--ttl", "1h").strip();
            assertThat(join).matches("K10[0-9a-f]{64}::[a-z0-9]{6}\\.[a-z0-9]{16}");
            String caHash = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(Files.readAllBytes(data.resolve("tls/ca.crt"))));
            assertThat(join).startsWith("K10" + caHash + "::");
            String bootstrapToken = join.substring(join.indexOf("::") + 2);
            Kubectl joiner = new Kubectl(Kubectl.DISPATCHER, tokenKubeconfig(adminConfig, bootstrapToken),
                    tmp.resolve("joiner-cache"));
            assertThat(joiner.run("auth", "whoami").assertOk().stdout())
                    .contains("system:bootstrap:" + bootstrapToken.substring(0, 6), "system:bootstrappers");

            // a restart reuses the CA, so every kubeconfig handed out keeps working
            String ca = Files.readString(data.resolve("tls/ca.crt"));
            server.stop();
            server.start();
            assertThat(Files.readString(data.resolve("tls/ca.crt"))).isEqualTo(ca);
            assertThat(admin.run("get", "namespace", "team", "-o", "name").assertOk().stdout())
                    .contains("namespace/team");
            assertThat(jane.run("get", "configmaps", "-n", "team", "-o", "name").assertOk().stdout())
                    .contains("configmap/settings");
        }
    }

    private static String runKube4j(String... args) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                Kube4jServer.jar().toString()));
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    private Path tokenKubeconfig(String adminConfig, String token) throws Exception {
        String text = """
                apiVersion: v1
                kind: Config
                clusters:
                - cluster:
                    certificate-authority-data: %s
                    server: %s
                  name: default
                contexts:
                - context: {cluster: default, user: default, namespace: default}
                  name: default
                current-context: default
                users:
                - name: default
                  user:
                    token: %s
                """.formatted(field(adminConfig, "certificate-authority-data"), field(adminConfig, "server"), token);
        Path file = Files.createTempFile(tmp, "token", ".kubeconfig");
        Files.writeString(file, text);
        return file;
    }

    private static String field(String kubeconfig, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*(\\S+)\\s*$").matcher(kubeconfig);
        assertThat(m.find()).as(name + " in the admin kubeconfig").isTrue();
        return m.group(1);
    }

    private static SSLContext trusting(Path caFile) throws Exception {
        Certificate ca = CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files.readAllBytes(caFile)));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    private static HttpResponse<String> get(HttpClient client, Kube4jServer server, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
