package io.kube4j.apiserver.http;

import io.kube4j.apiserver.pki.ClusterPki;
import io.kube4j.apiserver.pki.PkiOptions;
import io.kube4j.apiserver.pki.TlsContexts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Bodies written in pieces ({@link ResponseSink#body}): whole when small, chunked (and gzip-compressed on request)
 * when large, held back while the client does not read, broken rather than short when aborted; and HEAD requests,
 * answered with the GET's status and headers and no body, over HTTP/1.1 and HTTP/2.
 */
class ResponseBodyTest {

    private static final int LARGE = 1024 * 1024 + 17;
    /** Far more than socket buffers hold, so a client that does not read must hold the writer back. */
    private static final int HUGE = 48 * 1024 * 1024;
    private static final byte[] SMALL_BODY = "{\"small\":true}".getBytes(StandardCharsets.UTF_8);

    @TempDir
    static Path dir;
    static HttpServer tls;
    static HttpServer plain;
    static HttpClient h2;
    static HttpClient h1;
    /** Bytes the /huge handler has handed to its writer so far. */
    static final AtomicLong hugeWritten = new AtomicLong();

    enum Protocol { H1, H2 }

    @BeforeAll
    static void start() throws Exception {
        ClusterPki pki = ClusterPki.loadOrCreate(dir.resolve("pki"), PkiOptions.defaults());
        tls = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), ResponseBodyTest::handle,
                Executors.newFixedThreadPool(4), 1024 * 1024, TlsContexts.server(pki, true));
        plain = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), ResponseBodyTest::handle,
                Executors.newFixedThreadPool(4), 1024 * 1024, null);
        h2 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .sslContext(TlsContexts.client(pki.caCertificate(), pki.admin())).build();
        h1 = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(pki.caCertificate(), pki.admin())).build();
    }

    @AfterAll
    static void stop() {
        tls.close();
        plain.close();
    }

    static byte[] pattern(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ('a' + i % 23);
        }
        return bytes;
    }

    private static void handle(ApiRequest request, ResponseSink sink) {
        switch (request.path()) {
            case "/small" -> {
                ResponseSink.BodyWriter body = sink.body(200, "application/json", Map.of("X-Kind", "small"));
                body.write(SMALL_BODY, 0, 5);
                body.write(SMALL_BODY, 5, SMALL_BODY.length - 5);
                body.close();
            }
            case "/large" -> writeInPieces(sink.body(200, "application/json", Map.of("X-Kind", "large")), LARGE, null);
            case "/whole" -> sink.send(200, "application/json", pattern(LARGE), Map.of("X-Kind", "whole"));
            case "/huge" -> writeInPieces(sink.body(200, "application/json", Map.of()), HUGE, hugeWritten);
            case "/broken" -> {
                ResponseSink.BodyWriter body = sink.body(200, "application/json", Map.of());
                byte[] bytes = pattern(LARGE);
                body.write(bytes, 0, bytes.length / 2);
                body.abort();
            }
            case "/watch" -> {
                ResponseSink.StreamWriter writer = sink.stream(200, "application/json", Map.of("X-Kind", "watch"));
                if (writer.write("{\"type\":\"ADDED\"}\n".getBytes(StandardCharsets.UTF_8))) {
                    writer.end();
                }
            }
            default -> sink.send(404, "text/plain", new byte[0]);
        }
    }

    private static void writeInPieces(ResponseSink.BodyWriter body, int length, AtomicLong progress) {
        byte[] bytes = pattern(length);
        int piece = 1000;
        for (int at = 0; at < length; at += piece) {
            int n = Math.min(piece, length - at);
            body.write(bytes, at, n);
            if (progress != null) {
                progress.addAndGet(n);
            }
        }
        body.close();
    }

    private static HttpClient client(Protocol protocol) {
        return protocol == Protocol.H2 ? h2 : h1;
    }

    private static HttpResponse<byte[]> send(Protocol protocol, String method, String path, String... headers)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + tls.port() + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        for (int i = 0; i + 1 < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        HttpResponse<byte[]> response = client(protocol).send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.version()).isEqualTo(protocol == Protocol.H2 ? HttpClient.Version.HTTP_2
                : HttpClient.Version.HTTP_1_1);
        return response;
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aSmallBodyIsSentWholeWithItsLength(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = send(protocol, "GET", "/small", "Accept-Encoding", "gzip");
        assertThat(response.body()).isEqualTo(SMALL_BODY);
        assertThat(response.headers().firstValue("content-length")).hasValue(Integer.toString(SMALL_BODY.length));
        assertThat(response.headers().firstValue("content-encoding")).isEmpty();
        assertThat(response.headers().firstValue("x-kind")).hasValue("small");
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aLargeBodyIsStreamedWithoutALength(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = send(protocol, "GET", "/large");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(pattern(LARGE));
        assertThat(response.headers().firstValue("content-length")).isEmpty();
        assertThat(response.headers().firstValue("x-kind")).hasValue("large");
        if (protocol == Protocol.H1) {
            assertThat(response.headers().firstValue("transfer-encoding")).hasValue("chunked");
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void aLargeBodyIsCompressedOnTheWayWhenTheClientAcceptsGzip(Protocol protocol) throws Exception {
        HttpResponse<byte[]> response = send(protocol, "GET", "/large", "Accept-Encoding", "gzip");
        assertThat(response.headers().firstValue("content-encoding")).hasValue("gzip");
        assertThat(response.body().length).isLessThan(LARGE / 10);
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            assertThat(in.readAllBytes()).isEqualTo(pattern(LARGE));
        }
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void anAbortedBodyIsBrokenNotShort(Protocol protocol) {
        assertThatThrownBy(() -> send(protocol, "GET", "/broken")).isInstanceOf(IOException.class);
    }

    @ParameterizedTest
    @EnumSource(Protocol.class)
    void headAnswersWithTheHeadersOfGetAndNoBody(Protocol protocol) throws Exception {
        for (String path : new String[] {"/small", "/whole", "/large", "/watch"}) {
            HttpResponse<byte[]> get = send(protocol, "GET", path);
            HttpResponse<byte[]> head = send(protocol, "HEAD", path);
            assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode()).isEqualTo(200);
            assertThat(head.body()).as(path).isEmpty();
            assertThat(head.headers().firstValue("content-type")).as(path).isEqualTo(get.headers()
                    .firstValue("content-type"));
            assertThat(head.headers().firstValue("content-length")).as(path).isEqualTo(get.headers()
                    .firstValue("content-length"));
            assertThat(head.headers().firstValue("x-kind")).as(path).isEqualTo(get.headers().firstValue("x-kind"));
        }
        HttpResponse<byte[]> missing = send(protocol, "HEAD", "/missing");
        assertThat(missing.statusCode()).isEqualTo(404);
        // the connection is still in step: the next request gets its own answer
        assertThat(send(protocol, "GET", "/small").body()).isEqualTo(SMALL_BODY);
    }

    @Test
    void headSendsNoBodyBytesOnAKeptAliveConnection() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", plain.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("HEAD /whole HTTP/1.1\r\nHost: x\r\n\r\nHEAD /large HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /small HTTP/1.1\r\nHost: x\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String whole = readHead(in);
            assertThat(whole).startsWith("HTTP/1.1 200").contains("content-length: " + LARGE);
            String large = readHead(in);
            assertThat(large).as("no body bytes came before it").startsWith("HTTP/1.1 200")
                    .contains("transfer-encoding: chunked");
            String small = readHead(in);
            assertThat(small).startsWith("HTTP/1.1 200").contains("content-length: " + SMALL_BODY.length);
            assertThat(in.readNBytes(SMALL_BODY.length)).isEqualTo(SMALL_BODY);
        }
    }

    @Test
    void aClientThatDoesNotReadHoldsTheWriterBack() throws Exception {
        hugeWritten.set(0);
        try (Socket socket = new Socket()) {
            socket.setReceiveBufferSize(64 * 1024);
            socket.connect(new InetSocketAddress("127.0.0.1", plain.port()));
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write("GET /huge HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            await().atMost(Duration.ofSeconds(20)).until(() -> hugeWritten.get() > 0);
            // while nothing is read, the writer stays far behind the body's end
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(20))
                    .until(() -> hugeWritten.get() < HUGE / 2);
            InputStream in = socket.getInputStream();
            assertThat(readHead(in)).contains("transfer-encoding: chunked");
            assertThat(readChunked(in)).isEqualTo(pattern(HUGE));
            assertThat(hugeWritten.get()).isEqualTo(HUGE);
        }
    }

    /** The status line and headers of one response, lower-cased, up to the blank line. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (head.length() < 4 || !head.substring(head.length() - 4).equals("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in a response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString().toLowerCase(java.util.Locale.ROOT).replaceFirst("^http", "HTTP");
    }

    private static byte[] readChunked(InputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String size = readLine(in);
            int length = Integer.parseInt(size.trim(), 16);
            if (length == 0) {
                readLine(in);
                return body.toByteArray();
            }
            body.write(in.readNBytes(length));
            readLine(in);
        }
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new IOException("connection closed mid-line");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
