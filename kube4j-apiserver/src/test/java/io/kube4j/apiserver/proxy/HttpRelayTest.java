package io.kube4j.apiserver.proxy;

import com.sun.net.httpserver.HttpExchange;
import io.kube4j.apiserver.http.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay as the proxies use it, between a real API server transport (this module's HTTP server, the handler
 * relaying everything under {@code /p/proxy}) and backends on loopback.
 */
class HttpRelayTest {

    private static final String PREFIX = "/p/proxy";

    private com.sun.net.httpserver.HttpServer backend;
    private HttpServer server;
    private int backendPort;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws IOException {
        backend = com.sun.net.httpserver.HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backend.setExecutor(Executors.newCachedThreadPool());
        backend.start();
        backendPort = backend.getAddress().getPort();
        relayTo(backendPort);
    }

    /** The API server side: every request under the prefix relayed to the backend on {@code port}. */
    private void relayTo(int port) {
        if (server != null) {
            // the server shuts its workers down with it
            server.close();
        }
        ExecutorService workers = Executors.newFixedThreadPool(4);
        HttpRelay relay = new HttpRelay(PodNetworkClient.create(Duration.ofSeconds(5)), PodNetworkClient.upgrades());
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), (request, sink) -> relay.relay(request, sink,
                "http", "127.0.0.1:" + port, request.path().substring(PREFIX.length()), PREFIX), workers, 1 << 20, null);
    }

    @AfterEach
    void stop() {
        server.close();
        backend.stop(0);
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + PREFIX + path);
    }

    @Test
    void repeatedHeadersKeepTheirOwnLines() throws Exception {
        backend.createContext("/cookies", exchange -> {
            // an Expires date has a comma of its own: joined lines could not be told apart again
            exchange.getResponseHeaders().add("Set-Cookie", "a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/");
            exchange.getResponseHeaders().add("Set-Cookie", "b=2");
            answer(exchange, 200, "text/plain", "ok");
        });
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/cookies")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("set-cookie"))
                .containsExactly("a=1; Expires=Wed, 21 Oct 2037 07:28:00 GMT; Path=/", "b=2");
        assertThat(response.body()).isEqualTo("ok");
    }

    @Test
    void anOfferOfHttp2OverPlainTcpIsNotPassedOnAsAnUpgrade() throws Exception {
        backend.createContext("/plain", exchange -> answer(exchange, 200, "text/plain", "plain"));
        // the JDK client's default offers h2c on its first request; this server answers in HTTP/1.1
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url("/plain")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("plain");
    }

    @Test
    void aStreamedBodyReachesTheClientAsTheBackendSendsIt() throws Exception {
        streamsLineByLine(false);
    }

    @Test
    void aStreamedBodyCompressedForTheClientIsFlushedToo() throws Exception {
        streamsLineByLine(true);
    }

    private void streamsLineByLine(boolean gzip) throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        AtomicBoolean secondSent = new AtomicBoolean();
        backend.createContext("/events", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write("data: first\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                // bounded only so that a relay that holds the line back fails the test instead of hanging it
                firstSeen.await(30, TimeUnit.SECONDS);
                secondSent.set(true);
                out.write("data: second\n".getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpRequest.Builder request = HttpRequest.newBuilder(url("/events"));
        if (gzip) {
            request.header("Accept-Encoding", "gzip");
        }
        HttpResponse<InputStream> response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-encoding")).isEqualTo(
                gzip ? java.util.Optional.of("gzip") : java.util.Optional.empty());
        try (InputStream in = gzip ? new GZIPInputStream(response.body()) : response.body()) {
            assertThat(line(in)).isEqualTo("data: first");
            assertThat(secondSent).as("the first line came before the second was sent").isFalse();
            firstSeen.countDown();
            assertThat(line(in)).isEqualTo("data: second");
            assertThat(in.read()).isEqualTo(-1);
        }
    }

    @Test
    void absoluteLinksInHtmlStayBehindTheProxy() throws Exception {
        String page = page(backendPort);
        backend.createContext("/page", exchange -> answer(exchange, 200, "text/html; charset=utf-8", page));
        backend.createContext("/text", exchange -> answer(exchange, 200, "text/plain", page));
        HttpResponse<String> html = client.send(HttpRequest.newBuilder(url("/page")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(html.body()).isEqualTo(rewritten());
        HttpResponse<String> text = client.send(HttpRequest.newBuilder(url("/text")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(text.body()).as("only text/html is rewritten").isEqualTo(page);
    }

    @Test
    void aGzippedPageIsRewrittenAndGzippedAgain() throws Exception {
        // text that compresses badly, so that even gzipped the page is past the size the server sends whole
        java.util.Random random = new java.util.Random(42);
        StringBuilder filler = new StringBuilder("<p>");
        while (filler.length() < 512 * 1024) {
            filler.append((char) ('a' + random.nextInt(26)));
        }
        String text = filler.append("</p>").toString();
        byte[] page = gzip(page(backendPort) + text);
        backend.createContext("/page", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "text/html");
            exchange.getResponseHeaders().add("Content-Encoding", "gzip");
            exchange.sendResponseHeaders(200, page.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(page);
            }
        });
        // the client takes gzip itself: the server must not compress the backend's gzip once more
        HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(url("/page"))
                .header("Accept-Encoding", "gzip").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.headers().allValues("content-encoding")).containsExactly("gzip");
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(response.body()))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(rewritten() + text);
        }
    }

    @Test
    void aLocationOnTheBackendIsPutUnderTheProxyWhateverTheStatus() throws Exception {
        backend.createContext("/made", exchange -> {
            exchange.getResponseHeaders().add("Location", "http://127.0.0.1:" + backendPort + "/things/1?x=%2F");
            answer(exchange, 201, "text/html", "<a href=\"/not-rewritten\">");
        });
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(url("/made")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("location")).hasValue(PREFIX + "/things/1?x=%2F");
        // upstream leaves the body of an answer with a Location as it is
        assertThat(response.body()).isEqualTo("<a href=\"/not-rewritten\">");
    }

    @Test
    void aWebSocketIsSplicedToTheBackendAfterIts101() throws Exception {
        try (ServerSocket webSocketBackend = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            relayTo(webSocketBackend.getLocalPort());
            CompletableFuture<String> requestHead = new CompletableFuture<>();
            CompletableFuture.runAsync(() -> echoWebSocket(webSocketBackend, requestHead));
            CompletableFuture<String> echoed = new CompletableFuture<>();
            WebSocket socket = client.newWebSocketBuilder().header("Authorization", "Bearer for-the-api-server")
                    .buildAsync(URI.create(url("/ws?x=1").toString().replace("http:", "ws:")), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            echoed.complete(data.toString());
                            return null;
                        }
                    }).get(30, TimeUnit.SECONDS);
            socket.sendText("hello through the proxy", true).get(30, TimeUnit.SECONDS);
            assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo("hello through the proxy");
            String head = requestHead.get(30, TimeUnit.SECONDS);
            assertThat(head).startsWith("GET /ws?x=1 HTTP/1.1\r\n").containsIgnoringCase("\r\nupgrade: websocket\r\n")
                    .containsIgnoringCase("\r\nx-forwarded-for: 127.0.0.1\r\n")
                    .doesNotContainIgnoringCase("authorization");
            socket.abort();
        }
    }

    @Test
    void anUpgradeTheBackendRefusesIsAnsweredAsTheBackendDid() throws Exception {
        try (ServerSocket refusing = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            relayTo(refusing.getLocalPort());
            CompletableFuture.runAsync(() -> answerRaw(refusing, "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain"
                    + "\r\nX-Why: policy\r\nContent-Length: 4\r\n\r\nnope"));
            RawResponse refused = upgradeRequest();
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(403);
            assertThat(refused.header("x-why")).isEqualTo("policy");
            assertThat(refused.body()).isEqualTo("nope");
            // not an error and not a switch: upstream's 500
            CompletableFuture.runAsync(() -> answerRaw(refusing, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
            RawResponse plain = upgradeRequest();
            assertThat(plain.statusCode()).isEqualTo(500);
            assertThat(plain.body()).contains("\"reason\":\"InternalError\"")
                    .contains("invalid upgrade response: status code 200");
        }
    }

    /** An upgrade request on a raw socket (the JDK client will not send one), its answer read as plain HTTP. */
    private RawResponse upgradeRequest() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write(("GET " + PREFIX + "/ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n"
                    + "Upgrade: something\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            String head = head(in);
            int length = Integer.parseInt(header(head, "content-length"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            int status = Integer.parseInt(head.split(" ")[1]);
            return new RawResponse(status, head, body);
        }
    }

    private static String header(String head, String name) {
        for (String line : head.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    /** A backend's raw answer to one request. */
    private static void answerRaw(ServerSocket backendSocket, String answer) {
        try (Socket s = backendSocket.accept()) {
            head(s.getInputStream());
            s.getOutputStream().write(answer.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            s.getInputStream().read();
        } catch (IOException ignored) {
            // the test ended
        }
    }

    /** A WebSocket server for one connection: accepts the handshake and echoes one text message. */
    private static void echoWebSocket(ServerSocket backendSocket, CompletableFuture<String> requestHead) {
        try (Socket s = backendSocket.accept()) {
            InputStream in = s.getInputStream();
            OutputStream out = s.getOutputStream();
            String head = head(in);
            requestHead.complete(head);
            out.write(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Accept: " + WebSocketTunnel.accept(header(head, "sec-websocket-key"))
                    + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            // a client's frame: FIN+opcode, MASK+length (short here), the mask, the masked payload
            int opcode = in.read() & 0x0f;
            int length = in.read() & 0x7f;
            byte[] mask = in.readNBytes(4);
            byte[] payload = in.readNBytes(length);
            for (int i = 0; i < payload.length; i++) {
                payload[i] ^= mask[i % 4];
            }
            out.write(0x80 | opcode);
            out.write(payload.length);
            out.write(payload);
            out.flush();
            in.read();
        } catch (IOException e) {
            requestHead.completeExceptionally(e);
        }
    }

    private static String page(int backendPort) {
        return "<!DOCTYPE html>\n<html><head><link rel=\"stylesheet\" href=\"/css/site.css\">"
                + "<script src='/js/app.js'></script><script>var a = '<a href=\"/in-script\">';</script></head>"
                + "<body><!-- <a href=\"/in-comment\"> --><A HREF=\"/a/../b//c/\">up</A>"
                + "<a href=\"http://127.0.0.1:" + backendPort + "/same-host?q=1#top\">same</a>"
                + "<a href=\"http://elsewhere.example/x\">other</a><a href=\"relative/x\">rel</a>"
                + "<img alt=\"/not-a-link\" src=/img.png><form action=\"" + PREFIX + "/already\"></form>"
                + "<p>caf\u00e9 &amp; /text</p></body></html>";
    }

    private static String rewritten() {
        return "<!DOCTYPE html>\n<html><head><link rel=\"stylesheet\" href=\"" + PREFIX + "/css/site.css\">"
                + "<script src='" + PREFIX + "/js/app.js'></script><script>var a = '<a href=\"/in-script\">';</script>"
                + "</head><body><!-- <a href=\"/in-comment\"> --><A HREF=\"" + PREFIX + "/b/c/\">up</A>"
                + "<a href=\"" + PREFIX + "/same-host?q=1#top\">same</a>"
                + "<a href=\"http://elsewhere.example/x\">other</a><a href=\"relative/x\">rel</a>"
                + "<img alt=\"/not-a-link\" src=" + PREFIX + "/img.png><form action=\"" + PREFIX + "/already\"></form>"
                + "<p>caf\u00e9 &amp; /text</p></body></html>";
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /** One line, read byte by byte: a buffered reader could wait for more than the line. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
            line.write(b);
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    private static String head(InputStream in) throws IOException {
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

    /** An answer taken off a raw socket. */
    private record RawResponse(int statusCode, String head, String body) {
        String header(String name) {
            return HttpRelayTest.header(head, name);
        }
    }
}
