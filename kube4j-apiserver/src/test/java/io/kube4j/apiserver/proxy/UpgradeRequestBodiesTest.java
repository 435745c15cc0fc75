package io.kube4j.apiserver.proxy;

import io.kube4j.apiserver.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an upgrade request carries besides its head - a body, and bytes the client sends before the answer - reaches
 * the backend, as upstream's upgrade-aware proxy writes the whole request to it; and a refusal whose body comes in
 * chunks reaches the client as that body. The API server side is this module's HTTP server relaying everything under
 * {@code /p/proxy} through {@link HttpRelay}; the backend is a raw socket on loopback, one connection per test.
 */
class UpgradeRequestBodiesTest {

    private static final String PREFIX = "/p/proxy";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private ServerSocket backend;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        backend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress());
        HttpRelay relay = new HttpRelay(PodNetworkClient.create(Duration.ofSeconds(5)), PodNetworkClient.upgrades());
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), (request, sink) -> relay.relay(request, sink,
                        "http", "127.0.0.1:" + backend.getLocalPort(), request.path().substring(PREFIX.length()), PREFIX),
                Executors.newFixedThreadPool(2), 1 << 20, null);
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
        backend.close();
    }

    @Test
    void aBodyWithALengthGoesToTheBackendBeforeTheSwitchedBytes() throws Exception {
        CompletableFuture<String> seen = backendOnce((head, conn) -> switchAndEcho(conn));
        try (Socket client = connect()) {
            send(client, "POST " + PREFIX + "/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n"
                    + "Content-Length: 5\r\n\r\nhello");
            assertSwitchedAndEchoing(client);
        }
        String request = seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(request).containsIgnoringCase("content-length: 5\r\n").endsWith("\r\n\r\nhello");
    }

    @Test
    void aChunkedBodyGoesToTheBackendWhole() throws Exception {
        CompletableFuture<String> seen = backendOnce((head, conn) -> switchAndEcho(conn));
        try (Socket client = connect()) {
            send(client, "POST " + PREFIX + "/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n3\r\nhel\r\n2\r\nlo\r\n0\r\n\r\n");
            assertSwitchedAndEchoing(client);
        }
        String request = seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(request).containsIgnoringCase("content-length: 5\r\n").doesNotContainIgnoringCase("chunked")
                .endsWith("\r\n\r\nhello");
    }

    @Test
    void bytesSentBeforeTheSwitchReachTheBackendFirst() throws Exception {
        CompletableFuture<String> seen = backendOnce((head, conn) -> switchAndEcho(conn));
        try (Socket client = connect()) {
            // the new protocol's first bytes right behind the head, before any answer: neither HTTP nor lost
            send(client, "GET " + PREFIX + "/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n\r\n"
                    + "\u0000\u0001EARLY GET / HTTP/1.1\r\n\r\n");
            assertThat(readHead(client.getInputStream())).startsWith("HTTP/1.1 101 ");
            String early = "\u0000\u0001EARLY GET / HTTP/1.1\r\n\r\n";
            assertThat(new String(client.getInputStream().readNBytes(early.length()), StandardCharsets.ISO_8859_1))
                    .isEqualTo(early);
            send(client, "ping");
            assertThat(new String(client.getInputStream().readNBytes(4), StandardCharsets.ISO_8859_1))
                    .isEqualTo("ping");
        }
        seen.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Test
    void aRefusalsChunkedBodyReachesTheClientDecoded() throws Exception {
        CompletableFuture<String> seen = backendOnce((head, conn) -> {
            write(conn, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nnope \r\n4;ext=1\r\nhere\r\n0\r\nX-Trailer: t\r\n\r\n");
            // the connection stays open: only the last chunk says the body is over
            awaitClose(conn);
        });
        try (Socket client = connect()) {
            send(client, "GET " + PREFIX + "/up HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n\r\n");
            InputStream in = client.getInputStream();
            String head = readHead(in);
            assertThat(head).startsWith("HTTP/1.1 403 ").containsIgnoringCase("content-type: text/plain\r\n")
                    .containsIgnoringCase("content-length: 9\r\n").doesNotContainIgnoringCase("chunked");
            assertThat(new String(in.readNBytes(9), StandardCharsets.UTF_8)).isEqualTo("nope here");
        }
        // the proxy hung up on the backend once the last chunk came, not when the backend gave up waiting
        assertThat(seen.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isNotNull();
    }

    private Socket connect() throws IOException {
        Socket client = new Socket("127.0.0.1", server.port());
        client.setSoTimeout((int) WAIT.toMillis());
        return client;
    }

    private static void assertSwitchedAndEchoing(Socket client) throws IOException {
        InputStream in = client.getInputStream();
        assertThat(readHead(in)).startsWith("HTTP/1.1 101 ");
        send(client, "ping");
        assertThat(new String(in.readNBytes(4), StandardCharsets.ISO_8859_1)).isEqualTo("ping");
    }

    /**
     * Serves one connection on the backend: reads the request head and a body of the length it states, then runs
     * {@code answer}; completes with the request as read (head and body).
     */
    private CompletableFuture<String> backendOnce(BiConsumer<String, Socket> answer) {
        return CompletableFuture.supplyAsync(() -> {
            try (Socket conn = backend.accept()) {
                conn.setSoTimeout((int) WAIT.toMillis());
                InputStream in = conn.getInputStream();
                String head = readHead(in);
                String length = header(head, "content-length");
                String body = length == null ? "" : new String(in.readNBytes(Integer.parseInt(length)),
                        StandardCharsets.ISO_8859_1);
                answer.accept(head, conn);
                return head + body;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static void switchAndEcho(Socket conn) {
        write(conn, "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo/1\r\n\r\n");
        try {
            conn.getInputStream().transferTo(conn.getOutputStream());
        } catch (IOException e) {
            // the proxy closed
        }
    }

    /** Waits for the proxy to close the connection; a timeout fails the backend's future. */
    private static void awaitClose(Socket conn) {
        try {
            while (conn.getInputStream().read() >= 0) {
                // nothing else is expected
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the proxy kept the backend's connection open after the last chunk", e);
        } catch (IOException e) {
            // reset: closed as well
        }
    }

    private static void write(Socket conn, String text) {
        try {
            OutputStream out = conn.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void send(Socket client, String text) throws IOException {
        client.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        client.getOutputStream().flush();
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A head up to and including its blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
