package io.kube4j.apiserver.pki;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TlsHandshakeTest {

    @TempDir
    Path dir;
    ClusterPki pki;
    TinyTlsServer server;

    @BeforeEach
    void start() throws Exception {
        pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        server = new TinyTlsServer(TlsContexts.server(pki, false));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(SSLContext context, String host) throws Exception {
        HttpClient client = HttpClient.newBuilder().sslContext(context).version(HttpClient.Version.HTTP_1_1).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://" + host + ":" + server.port() + "/who")).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void clientCertificateIsVerifiedAndVisibleToTheServer() throws Exception {
        HttpResponse<String> response = get(TlsContexts.client(pki.caCertificate(), pki.admin()), "localhost");
        assertThat(response.body()).contains("CN=system:admin,O=system:masters");
    }

    @Test
    void clientCertificateIsOptional() throws Exception {
        HttpResponse<String> response = get(TlsContexts.client(pki.caCertificate(), null), "127.0.0.1");
        assertThat(response.body()).contains("anonymous");
    }

    @Test
    void clientCertificateFromAnotherCaFailsTheHandshake() throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other"), PkiOptions.defaults());
        assertThatThrownBy(() -> get(TlsContexts.client(pki.caCertificate(), other.admin()), "localhost"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void clientTrustingAnotherCaRejectsTheServer() throws Exception {
        ClusterPki other = ClusterPki.loadOrCreate(dir.resolve("other"), PkiOptions.defaults());
        assertThatThrownBy(() -> get(TlsContexts.client(other.caCertificate(), null), "localhost"))
                .isInstanceOf(IOException.class);
    }

    @Test
    void alpnOffersH2WhenAskedTo() throws Exception {
        try (TinyTlsServer h2 = new TinyTlsServer(TlsContexts.server(pki, true))) {
            assertThat(negotiate(h2.port(), "h2", "http/1.1")).isEqualTo("h2");
        }
        assertThat(negotiate(server.port(), "h2", "http/1.1")).isEqualTo("http/1.1");
    }

    private String negotiate(int port, String... protocols) throws Exception {
        SSLContext context = TlsContexts.client(pki.caCertificate(), null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setApplicationProtocols(protocols);
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            socket.setSSLParameters(parameters);
            socket.startHandshake();
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            return socket.getApplicationProtocol();
        }
    }

    @Test
    void kubectlAcceptsTheGeneratedKubeconfig() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kubectl")), "kubectl not installed");
        Path kubeconfig = Kubeconfigs.write(dir.resolve("admin.kubeconfig"), "https://127.0.0.1:" + server.port(),
                pki.caCertificate(), pki.admin());
        Process process = new ProcessBuilder("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", dir.resolve("cache").toString(), "get", "--raw", "/who")
                .redirectErrorStream(true).start();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(output).contains("CN=system:admin,O=system:masters");
        assertThat(process.exitValue()).isZero();
        assertThat(List.of(Files.readString(kubeconfig).split("\n"))).anyMatch(l -> l.contains("client-key-data"));
    }
}
