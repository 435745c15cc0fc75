package io.kube4j.apiserver.security;

import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.e2e.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;

import static org.assertj.core.api.Assertions.assertThat;

/** A restart reuses the PKI and leaves the stored default policy as it was. */
class SecureRestartTest {

    @TempDir
    Path dir;

    @Test
    void restartKeepsTheCaAndTheDefaultPolicy() throws Exception {
        X509Certificate ca;
        String clusterRoles;
        String edited;
        try (SecureServer first = SecureServer.start(dir)) {
            ca = first.server().pki().caCertificate();
            clusterRoles = names(first, "/apis/rbac.authorization.k8s.io/v1/clusterroles");
            edited = Files.readString(dir.resolve("tls").resolve("ca.crt"));
        }
        try (SecureServer second = SecureServer.start(dir)) {
            assertThat(second.server().pki().caCertificate()).isEqualTo(ca);
            assertThat(Files.readString(dir.resolve("tls").resolve("ca.crt"))).isEqualTo(edited);
            assertThat(names(second, "/apis/rbac.authorization.k8s.io/v1/clusterroles")).isEqualTo(clusterRoles);
            // the admin kubeconfig written at the first start still works: same CA, same admin certificate
            assertThat(second.get(second.admin(), "/api/v1/namespaces").statusCode()).isEqualTo(200);
        }
    }

    private static String names(SecureServer server, String path) {
        StringBuilder names = new StringBuilder();
        SecureServer.json(server.get(server.admin(), path)).path("items")
                .forEach(item -> names.append(item.path("metadata").path("name").asString("")).append(','));
        return names.toString();
    }

    @Test
    void theInsecurePortServesPlainHttpOnLoopbackOnlyWhenAskedFor() throws Exception {
        int port = TestServer.freePort();
        try (TestServer server = TestServer.inTempDir()
                .withConfig(c -> c.withSecurity(SecurityOptions.defaults(c.dataDir()).withInsecurePort(port)))
                .start()) {
            assertThat(server.server().insecurePort()).isEqualTo(port);
            java.net.http.HttpResponse<String> plain = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port
                            + "/api/v1/namespaces")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(plain.statusCode()).isEqualTo(200);
            assertThat(plain.body()).contains("kube-system");
        }
    }
}
