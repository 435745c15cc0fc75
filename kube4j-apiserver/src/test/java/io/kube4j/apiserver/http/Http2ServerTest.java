package io.kube4j.apiserver.http;

import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The HTTP server over TLS with ALPN: h2 and http/1.1 side by side, with a handler that shows what it was given. */
class Http2ServerTest {

    private static final int MAX_BODY = 1024 * 1024;

    @TempDir
    static Path dir;
    static ClusterPki pki;
    static HttpServer server;
    static HttpClient h2;
    static HttpClient h1;
    /** Lines the /watch handler streams, one chunk each; "end" ends the stream. */
    static final BlockingQueue<String> events = new LinkedBlockingQueue<>();
    static volatile CountDownLatch watchClosed = new CountDownLatch(1);

    @BeforeAll
    static void start() throws Exception {
        pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), Http2ServerTest::handle,
                Executors.newFixedThreadPool(8), MAX_BODY, TlsContexts.server(pki, true));
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(pki.caCertificate(), pki.admin())).build();
        h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(pki.caCertificate(), pki.admin())).build();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void handle(ApiRequest request, ResponseSink sink) {
        switch (request.path()) {
            case "/who" -> sink.send(200, "text/plain", (request.clientCertificates().isEmpty() ? "anonymous"
                    : request.clientCertificates().get(0).getSubjectX500Principal().getName())
                    .getBytes(StandardCharsets.UTF_8), Map.of("X-Request-Method", request.method()));
            case "/echo" -> sink.send(200, "text/plain", (request.body().length + " "
                    + request.header("content-type")).getBytes(StandardCharsets.UTF_8));
            case "/big" -> sink.send(200, "text/plain", "x".repeat(Http1ResponseSink.GZIP_THRESHOLD_BYTES + 10)
                    .getBytes(StandardCharsets.UTF_8));
            case "/upgrade" -> sink.send(200, "text/plain",
                    ("takeover=" + sink.rawConnection().isPresent()).getBytes(StandardCharsets.UTF_8));
            case "/watch" -> streamEvents(sink);
            case "/takeover" -> sink.rawConnection().orElseThrow().takeOver(new EchoAfterSwitching());
            case "/flood" -> {
                ResponseSink.StreamWriter writer = sink.stream(200, "text/plain", Map.of());
                byte[] chunk = "y".repeat(1023).concat("\n").getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 4096; i++) {
                    writer.write(chunk);
                }
                writer.end();
            }
            default -> sink.send(404, "text/plain", new byte[0]);
        }
    }

    private static void streamEvents(ResponseSink sink) {
        ResponseSink.StreamWriter writer = sink.stream(200, "application/json", Map.of());
        writer.onClose(() -> watchClosed.countDown());
        try {
            while (writer.isOpen()) {
                String event = events.poll(100, TimeUnit.MILLISECONDS);
                if ("end".equals(event)) {
                    writer.end();
                } else if (event != null) {
                    writer.write((event + "\n").getBytes(StandardCharsets.UTF_8));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static URI uri(String path) {
        return URI.create("https://127.0.0.1:" + server.port() + path);
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(uri(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void alpnNegotiatesH2WithClientCertificatesAndLowercaseHeaders() throws Exception {
        HttpResponse<String> response = get(h2, "/who");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).contains("CN=system:admin");
        // the client's map ignores case on lookup but keeps the names as they came over the wire
        assertThat(response.headers().map().keySet()).contains("x-request-method")
                .allMatch(name -> name.equals(name.toLowerCase(java.util.Locale.ROOT)));
        assertThat(server.negotiatedProtocols()).containsKey("h2");
    }

    @Test
    void http11IsStillOfferedAndAnonymousClientsStayAnonymous() throws Exception {
        HttpResponse<String> response = get(h1, "/who");
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).contains("CN=system:admin");
        HttpClient anonymous = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(pki.caCertificate(), null)).build();
        HttpResponse<String> h2Anonymous = get(anonymous, "/who");
        assertThat(h2Anonymous.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(h2Anonymous.body()).isEqualTo("anonymous");
        assertThat(server.negotiatedProtocols()).containsKeys("h2", "http/1.1");
    }

    @Test
    void manyConcurrentStreamsShareOneConnection() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(pki.caCertificate(), pki.admin())).build();
        get(client, "/who");
        long h2Connections = server.negotiatedProtocols().get("h2");
        List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            responses.add(client.sendAsync(HttpRequest.newBuilder(uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("body-" + i)).header("Content-Type", "text/x-" + i)
                    .build(), HttpResponse.BodyHandlers.ofString()));
        }
        for (int i = 0; i < responses.size(); i++) {
            HttpResponse<String> response = responses.get(i).get(30, TimeUnit.SECONDS);
            assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
            assertThat(response.body()).isEqualTo(("body-" + i).length() + " text/x-" + i);
        }
        assertThat(server.negotiatedProtocols().get("h2")).isEqualTo(h2Connections);
    }

    @Test
    void oversizedBodyGets413OnH2() throws Exception {
        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY + 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(response.body()).contains("\"kind\":\"Status\"");
        assertThat(get(h2, "/echo").body()).startsWith("0 ");
    }

    @Test
    void bodiesLargerThanTheFlowControlWindowArrive() throws Exception {
        HttpResponse<String> response = h2.send(HttpRequest.newBuilder(uri("/echo"))
                .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[MAX_BODY - 1])).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.body()).startsWith((MAX_BODY - 1) + " ");
    }

    @Test
    void gzipWhenAskedOnH2() throws Exception {
        HttpResponse<byte[]> response = h2.send(HttpRequest.newBuilder(uri("/big")).header("Accept-Encoding", "gzip")
                .build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(response.body()))) {
            assertThat(in.readAllBytes()).hasSize(Http1ResponseSink.GZIP_THRESHOLD_BYTES + 10);
        }
    }

    @Test
    void streamedChunksArriveOneByOneAndAResetStreamStopsTheProducer() throws Exception {
        events.clear();
        watchClosed = new CountDownLatch(1);
        HttpResponse<InputStream> response = h2.send(HttpRequest.newBuilder(uri("/watch")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_2);
        BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
        for (int i = 0; i < 3; i++) {
            events.add("event-" + i);
            // each line is read before the next one is even produced: nothing waits for the end of the response
            assertThat(lines.readLine()).isEqualTo("event-" + i);
        }
        assertThat(watchClosed.getCount()).isEqualTo(1);
        lines.close();
        assertThat(watchClosed.await(20, TimeUnit.SECONDS)).as("the reset stream closed the watch").isTrue();
        assertThat(get(h2, "/who").statusCode()).isEqualTo(200);
    }

    @Test
    void streamEndsCleanly() throws Exception {
        events.clear();
        watchClosed = new CountDownLatch(1);
        CompletableFuture<HttpResponse<String>> response = h2.sendAsync(HttpRequest.newBuilder(uri("/watch")).build(),
                HttpResponse.BodyHandlers.ofString());
        events.add("only");
        events.add("end");
        assertThat(response.get(20, TimeUnit.SECONDS).body()).isEqualTo("only\n");
        assertThat(watchClosed.await(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void largeStreamsRespectFlowControl() throws Exception {
        HttpResponse<InputStream> response = h2.send(HttpRequest.newBuilder(uri("/flood")).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (InputStream in = response.body()) {
            assertThat(in.readAllBytes()).hasSize(4096 * 1024);
        }
    }

    @Test
    void h2StreamsCannotTakeTheConnectionOverButHttp11Can() throws Exception {
        assertThat(get(h2, "/upgrade").body()).isEqualTo("takeover=false");
        assertThat(get(h1, "/upgrade").body()).isEqualTo("takeover=true");
    }

    @Test
    void webSocketStreamsStillWorkOnTheH2Port() throws Exception {
        events.clear();
        watchClosed = new CountDownLatch(1);
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        // the JDK's WebSocket client, like fabric8 on top of it, opens its WebSockets over HTTP/1.1
        java.net.http.WebSocket socket = h2.newWebSocketBuilder().buildAsync(
                URI.create("wss://127.0.0.1:" + server.port() + "/watch"), new java.net.http.WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onText(java.net.http.WebSocket ws,
                                                                          CharSequence data, boolean last) {
                        received.add(data.toString());
                        ws.request(1);
                        return null;
                    }
                }).get(20, TimeUnit.SECONDS);
        events.add("ws-1");
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo("ws-1\n");
        events.add("ws-2");
        assertThat(received.poll(20, TimeUnit.SECONDS)).isEqualTo("ws-2\n");
        socket.abort();
        assertThat(watchClosed.await(20, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void upgradesNegotiateHttp11AndTakeTheConnectionOver() throws Exception {
        // what Go's SPDY and WebSocket dialers (kubectl exec, attach, port-forward) offer in ALPN
        try (SSLSocket socket = tlsSocket("http/1.1")) {
            assertThat(socket.getApplicationProtocol()).isEqualTo("http/1.1");
            OutputStream out = socket.getOutputStream();
            out.write("GET /takeover HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String expected = "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\nhello";
            byte[] back = socket.getInputStream().readNBytes(expected.length());
            assertThat(new String(back, StandardCharsets.ISO_8859_1)).isEqualTo(expected);
        }
    }

    /**
     * Answers 101 and echoes every byte, as a backend behind a taken-over connection would. Writes wait for the
     * swap to finish (a later task on the event loop), so that no HTTP encoder sees them and they stay in order.
     */
    private static final class EchoAfterSwitching extends io.netty.channel.ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(io.netty.channel.ChannelHandlerContext ctx) {
            ctx.executor().execute(() -> {
                ctx.writeAndFlush(io.netty.buffer.Unpooled.copiedBuffer(
                        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: echo\r\n\r\n",
                        StandardCharsets.ISO_8859_1));
                ctx.channel().config().setAutoRead(true);
            });
        }

        @Override
        public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
            ctx.executor().execute(() -> ctx.writeAndFlush(msg));
        }
    }

    @Test
    void malformedFramesAndAbruptClosesLeaveTheServerServing() throws Exception {
        try (SSLSocket socket = h2Socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            // a SETTINGS frame whose length is not a multiple of 6: a connection error (FRAME_SIZE_ERROR)
            out.write(new byte[] {0, 0, 5, 4, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5});
            out.flush();
            assertThat(readFrameTypesUntilClose(socket.getInputStream())).contains(GOAWAY);
        }
        try (SSLSocket socket = h2Socket()) {
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            // half a HEADERS frame, then the connection is gone
            out.write(new byte[] {0, 0, 40, 1, 4, 0, 0, 0, 1, (byte) 0x82, (byte) 0x86});
            out.flush();
        }
        try (SSLSocket socket = h2Socket()) {
            socket.getOutputStream().write("garbage that is no preface\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            readFrameTypesUntilClose(socket.getInputStream());
        }
        HttpResponse<String> response = get(h2, "/who");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(get(h1, "/who").statusCode()).isEqualTo(200);
    }

    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int GOAWAY = 7;

    private static SSLSocket h2Socket() throws IOException {
        SSLSocket socket = tlsSocket("h2");
        assertThat(socket.getApplicationProtocol()).isEqualTo("h2");
        return socket;
    }

    private static SSLSocket tlsSocket(String... alpn) throws IOException {
        SSLSocket socket = (SSLSocket) TlsContexts.client(pki.caCertificate(), null).getSocketFactory()
                .createSocket("127.0.0.1", server.port());
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setApplicationProtocols(alpn);
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        return socket;
    }

    private static List<Integer> readFrameTypesUntilClose(InputStream in) throws IOException {
        List<Integer> types = new ArrayList<>();
        DataInputStream data = new DataInputStream(in);
        try {
            while (true) {
                int length = (data.readUnsignedByte() << 16) | data.readUnsignedShort();
                types.add(data.readUnsignedByte());
                data.readUnsignedByte();
                data.readInt();
                data.skipNBytes(length);
            }
        } catch (EOFException | javax.net.ssl.SSLException | java.net.SocketException closed) {
            return types;
        }
    }
}
