package io.kube4j.apiserver.proxy;

import io.kube4j.apiserver.http.HttpServer;
import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The connection takeover under TLS: the TLS layer stays, the HTTP codecs go, and bytes pass both ways. */
class UpgradeProxyTlsTest {

    @TempDir
    Path dir;

    @Test
    void aTlsConnectionIsSplicedToAPlainBackend() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        try (ServerSocket backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
             HttpServer server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), (request, sink) ->
                             UpgradeProxy.proxy(new BackendRequest("GET", "127.0.0.1", backend.getLocalPort(), "/echo",
                                             List.of(new BackendRequest.Header("Connection", "Upgrade"),
                                                     new BackendRequest.Header("Upgrade", "echo"))),
                                     sink.rawConnection().orElseThrow(), UpgradeProxy.SAME, "the echo backend"),
                     Executors.newFixedThreadPool(2), 1 << 20, TlsContexts.server(pki, false))) {
            CompletableFuture.runAsync(() -> echoOnce(backend));
            try (SSLSocket client = (SSLSocket) TlsContexts.client(pki.caCertificate(), null).getSocketFactory()
                    .createSocket("127.0.0.1", server.port())) {
                client.setSoTimeout(30_000);
                OutputStream out = client.getOutputStream();
                out.write("GET /x HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                InputStream in = client.getInputStream();
                assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
                byte[] data = new byte[4 * 1024 * 1024];
                ThreadLocalRandom.current().nextBytes(data);
                CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                    try {
                        out.write(data);
                        out.flush();
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                byte[] back = in.readNBytes(data.length);
                writer.get(30, TimeUnit.SECONDS);
                assertThat(Arrays.equals(back, data)).isTrue();
            }
        }
    }

    private static void echoOnce(ServerSocket backend) {
        try (Socket s = backend.accept()) {
            InputStream in = s.getInputStream();
            readHead(in);
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            in.transferTo(out);
        } catch (IOException ignored) {
            // the test ended
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
