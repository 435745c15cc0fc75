package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** pods/exec, attach and portforward through the API server to a fake kubelet that switches protocols and echoes. */
class PodStreamingProxyTest {

    @RegisterExtension
    static final TestServer server = TestServer.perClass();
    static FakeKubelet kubelet;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @BeforeAll
    static void start() throws IOException {
        kubelet = new FakeKubelet();
        created(server.send("POST", "/api/v1/nodes", "application/json", "{\"metadata\":{\"name\":\"n1\"}}"));
        ok(server.send("PATCH", "/api/v1/nodes/n1/status", "application/merge-patch+json",
                "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                        + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + kubelet.port() + "}}}}"));
        pod("p", "n1", "Running");
        pod("done", "n1", "Succeeded");
        pod("pending", "", "Pending");
    }

    private static void pod(String name, String node, String phase) {
        created(server.send("POST", "/api/v1/namespaces/default/pods", "application/json",
                "{\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{" + (node.isEmpty() ? "" : "\"nodeName\":\"" + node
                        + "\",") + "\"containers\":[{\"name\":\"c\",\"image\":\"busybox\"}]}}"));
        ok(server.send("PATCH", "/api/v1/namespaces/default/pods/" + name + "/status", "application/merge-patch+json",
                "{\"status\":{\"phase\":\"" + phase + "\"}}"));
    }

    private static void created(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
    }

    private static void ok(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws IOException {
        if (kubelet != null) {
            kubelet.close();
        }
    }

    /** A raw HTTP/1.1 client: the request head as given, the answer's head read, the socket left open. */
    private static final class RawClient implements AutoCloseable {
        final Socket socket;
        final String head;

        RawClient(String requestLineAndHeaders) throws IOException {
            socket = new Socket("127.0.0.1", server.port());
            socket.setSoTimeout(30_000);
            socket.getOutputStream().write((requestLineAndHeaders + "Host: 127.0.0.1\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            head = FakeKubelet.readHead(socket.getInputStream());
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    private static String spdyUpgrade(String pathAndQuery) {
        return "POST " + pathAndQuery + " HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: v4.channel.k8s.io\r\nX-Stream-Protocol-Version: v3.channel.k8s.io\r\n"
                + "Authorization: Bearer secret\r\n";
    }

    @Test
    void execSwitchesProtocolsAndSplicesBothWays() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: SPDY/3.1",
                "X-Stream-Protocol-Version: v4.channel.k8s.io").thenSend("ready".getBytes(StandardCharsets.UTF_8));
        int before = kubelet.heads.size();
        try (RawClient client = new RawClient(spdyUpgrade(
                "/api/v1/namespaces/default/pods/p/exec?command=sh&command=-c&command=echo%20hi&stdin=true&stdout=true"))) {
            assertThat(client.head).startsWith("HTTP/1.1 101").contains("X-Stream-Protocol-Version: v4.channel.k8s.io");
            InputStream in = client.socket.getInputStream();
            assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("ready");
            OutputStream out = client.socket.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
        }
        String seen = kubelet.heads.get(before);
        assertThat(seen).startsWith("POST /exec/default/p/c?input=1&output=1&command=sh&command=-c&command=echo%20hi "
                + "HTTP/1.1\r\n");
        assertThat(seen).contains("X-Stream-Protocol-Version: v4.channel.k8s.io\r\n",
                "X-Stream-Protocol-Version: v3.channel.k8s.io\r\n").containsIgnoringCase("upgrade: SPDY/3.1\r\n");
        assertThat(seen).doesNotContainIgnoringCase("authorization");
    }

    @Test
    void eitherSideClosingEndsTheOther() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: SPDY/3.1");
        try (RawClient client = new RawClient(spdyUpgrade("/api/v1/namespaces/default/pods/p/attach?stdout=1"))) {
            assertThat(client.head).startsWith("HTTP/1.1 101");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                    .until(() -> kubelet.open.get() == 1);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> kubelet.open.get() == 0);

        // a kubelet that sends its last bytes and hangs up: the client gets them, then the end of the stream
        kubelet.answer = head -> new FakeKubelet.Answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\n\r\n",
                false, "bye".getBytes(StandardCharsets.UTF_8));
        try (RawClient client = new RawClient(spdyUpgrade("/api/v1/namespaces/default/pods/p/attach?stdout=1"))) {
            assertThat(client.head).startsWith("HTTP/1.1 101");
            assertThat(new String(client.socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
        }
    }

    @Test
    void aLargeStreamArrivesWholeAndInOrderBothWays() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: SPDY/3.1");
        byte[] data = new byte[24 * 1024 * 1024];
        ThreadLocalRandom.current().nextBytes(data);
        try (RawClient client = new RawClient(spdyUpgrade("/api/v1/namespaces/default/pods/p/attach?stdout=1"))) {
            assertThat(client.head).startsWith("HTTP/1.1 101");
            // the writer runs apart from the reader: the echo only flows while both sides drain
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = client.socket.getOutputStream();
                    for (int off = 0; off < data.length; off += 1 << 20) {
                        out.write(data, off, Math.min(1 << 20, data.length - off));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long start = System.nanoTime();
            byte[] back = client.socket.getInputStream().readNBytes(data.length);
            writer.get(60, TimeUnit.SECONDS);
            long nanos = System.nanoTime() - start;
            // a figure for docs/benchmarks.md, not an assertion
            System.out.printf("API server upgrade proxy, echo through a fake kubelet: %d MiB each way in %d ms "
                    + "(%.0f MiB/s each way)%n", data.length >> 20, nanos / 1_000_000, (data.length / 1048576.0) / (nanos / 1e9));
            assertThat(back.length).isEqualTo(data.length);
            assertThat(Arrays.equals(back, data)).isTrue();
        }
    }

    @Test
    void refusalsAreStatusesWithUpstreamsMessages() throws Exception {
        String exec = "/api/v1/namespaces/default/pods/%s/exec?command=true&stdout=true%s";
        assertStatus(exec.formatted("nope", ""), 404, "NotFound", "pods \"nope\" not found");
        assertStatus(exec.formatted("p", "&container=x"), 400, "BadRequest", "container x is not valid for pod p");
        assertStatus("/api/v1/namespaces/default/pods/p/exec?stdout=true", 400, "BadRequest",
                "you must specify at least one command for the container");
        assertStatus("/api/v1/namespaces/default/pods/p/exec?command=true", 400, "BadRequest",
                "you must specify at least 1 of stdin, stdout, stderr");
        assertStatus(exec.formatted("done", ""), 400, "BadRequest",
                "cannot exec into a container in a completed pod; current phase is Succeeded");
        assertStatus(exec.formatted("pending", ""), 400, "BadRequest", "pod pending does not have a host assigned");
        assertStatus("/api/v1/namespaces/default/pods/pending/portforward?ports=80", 400, "BadRequest",
                "unable to forward port because pod is not running. Current status=Pending");

        HttpResponse<String> plain = server.send("POST", exec.formatted("p", ""), null, null);
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(plain.body()).path("message").asString()).isEqualTo("Upgrade request required");

        kubelet.answer = head -> FakeKubelet.Answer.refusing(404, "container c is not running in pod default/p\n");
        assertStatus(exec.formatted("p", ""), 400, "BadRequest", "container c is not running in pod default/p");
    }

    @Test
    void anUnreachableKubeletIsAnInternalError() throws Exception {
        try (FakeKubelet gone = new FakeKubelet()) {
            int port = gone.port();
            gone.close();
            created(server.send("POST", "/api/v1/nodes", "application/json", "{\"metadata\":{\"name\":\"n2\"}}"));
            ok(server.send("PATCH", "/api/v1/nodes/n2/status", "application/merge-patch+json",
                    "{\"status\":{\"addresses\":[{\"type\":\"InternalIP\",\"address\":\"127.0.0.1\"}],"
                            + "\"daemonEndpoints\":{\"kubeletEndpoint\":{\"Port\":" + port + "}}}}"));
            pod("on-n2", "n2", "Running");
            try (RawClient client = new RawClient(spdyUpgrade(
                    "/api/v1/namespaces/default/pods/on-n2/exec?command=true&stdout=true"))) {
                assertThat(client.head).startsWith("HTTP/1.1 500");
                JsonNode status = body(client);
                assertThat(status.path("message").asString()).startsWith("Internal error occurred: error dialing "
                        + "backend: the kubelet of node n2");
            }
        }
    }

    @Test
    void aWebSocketPassesThroughWithItsSubprotocols() throws Exception {
        kubelet.answer = head -> {
            String key = header(head, "Sec-WebSocket-Key");
            // a server frame: binary, unmasked, payload {1, 'h', 'i'} as the channel protocol's stdout
            return FakeKubelet.Answer.switching("Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Accept: " + accept(key), "Sec-WebSocket-Protocol: v5.channel.k8s.io")
                    .thenSend(new byte[] {(byte) 0x82, 3, 1, 'h', 'i'});
        };
        int before = kubelet.heads.size();
        CompletableFuture<ByteBuffer> first = new CompletableFuture<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .subprotocols("v5.channel.k8s.io", "v4.channel.k8s.io")
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port()
                        + "/api/v1/namespaces/default/pods/p/exec?command=ls&stdout=true&tty=true"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                        byte[] copy = new byte[data.remaining()];
                        data.get(copy);
                        first.complete(ByteBuffer.wrap(copy));
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
        assertThat(ws.getSubprotocol()).isEqualTo("v5.channel.k8s.io");
        assertThat(first.get(30, TimeUnit.SECONDS).array()).containsExactly(1, 'h', 'i');
        ws.abort();
        assertThat(kubelet.heads.get(before)).startsWith("GET /exec/default/p/c?output=1&tty=1&command=ls HTTP/1.1")
                .containsIgnoringCase("sec-websocket-protocol: v5.channel.k8s.io, v4.channel.k8s.io");
    }

    @Test
    void kubectlsSpdyTunnelForPortForwardIsUnwrappedForTheKubelet() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: SPDY/3.1",
                "X-Stream-Protocol-Version: portforward.k8s.io");
        int before = kubelet.heads.size();
        String key = Base64.getEncoder().encodeToString("0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
        // the JDK's WebSocket client refuses this subprotocol's syntax, so the handshake and frames are by hand
        try (RawClient client = new RawClient("GET /api/v1/namespaces/default/pods/p/portforward HTTP/1.1\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n")) {
            assertThat(client.head).startsWith("HTTP/1.1 101");
            assertThat(header(client.head, "Sec-WebSocket-Accept")).isEqualTo(accept(key));
            assertThat(header(client.head, "Sec-WebSocket-Protocol")).isEqualTo("SPDY/3.1+portforward.k8s.io");
            OutputStream out = client.socket.getOutputStream();
            out.write(maskedBinaryFrame("abc".getBytes(StandardCharsets.UTF_8)));
            out.write(maskedBinaryFrame("def".getBytes(StandardCharsets.UTF_8)));
            out.flush();
            InputStream in = client.socket.getInputStream();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            while (got.size() < 6) {
                int opcode = in.read() & 0x0f;
                int length = in.read() & 0x7f;
                assertThat(opcode).as("a binary frame").isEqualTo(2);
                got.writeBytes(in.readNBytes(length));
            }
            assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo("abcdef");
        }
        String seen = kubelet.heads.get(before);
        assertThat(seen).startsWith("GET /portForward/default/p HTTP/1.1\r\n").contains("Upgrade: SPDY/3.1\r\n",
                "X-Stream-Protocol-Version: portforward.k8s.io\r\n").doesNotContainIgnoringCase("websocket");
    }

    @Test
    void theTunnelEndsWithACloseFrameWhenTheKubeletHangsUp() throws Exception {
        kubelet.answer = head -> new FakeKubelet.Answer("HTTP/1.1 101 Switching Protocols\r\nUpgrade: SPDY/3.1\r\n"
                + "X-Stream-Protocol-Version: portforward.k8s.io\r\n\r\n", false, "bye".getBytes(StandardCharsets.UTF_8));
        String key = Base64.getEncoder().encodeToString("fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
        try (RawClient client = new RawClient("GET /api/v1/namespaces/default/pods/p/portforward HTTP/1.1\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Protocol: SPDY/3.1+portforward.k8s.io\r\n")) {
            assertThat(client.head).startsWith("HTTP/1.1 101");
            byte[] rest = client.socket.getInputStream().readAllBytes();
            // a binary frame with "bye", then a close frame with status 1000
            assertThat(rest).startsWith(0x82, 3, 'b', 'y', 'e', 0x88, 2, 0x03, (byte) 0xe8);
        }
    }

    private static byte[] maskedBinaryFrame(byte[] payload) {
        byte[] mask = {7, 42, (byte) 200, 13};
        byte[] frame = new byte[6 + payload.length];
        frame[0] = (byte) 0x82;
        frame[1] = (byte) (0x80 | payload.length);
        System.arraycopy(mask, 0, frame, 2, 4);
        for (int i = 0; i < payload.length; i++) {
            frame[6 + i] = (byte) (payload[i] ^ mask[i % 4]);
        }
        return frame;
    }

    @Test
    void nodeProxyPassesAGetToTheKubelet() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.plain(200, "text/plain; version=0.0.4", "node_cpu 1\n");
        int before = kubelet.heads.size();
        HttpResponse<String> metrics = server.get("/api/v1/nodes/n1/proxy/metrics/resource?x=a%20b");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).isEqualTo("node_cpu 1\n");
        assertThat(metrics.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4");
        assertThat(kubelet.heads.get(before)).startsWith("GET /metrics/resource?x=a+b HTTP/1.1");
        assertThat(server.get("/api/v1/nodes/nope/proxy/pods").statusCode()).isEqualTo(404);
    }

    @Test
    void nodeProxySwitchesProtocolsAsTheKubeletDoes() throws Exception {
        kubelet.answer = head -> FakeKubelet.Answer.switching("Connection: Upgrade", "Upgrade: echo")
                .thenSend("hello".getBytes(StandardCharsets.UTF_8));
        int before = kubelet.heads.size();
        try (RawClient client = new RawClient("GET /api/v1/nodes/n1/proxy/some/socket?a=1 HTTP/1.1\r\n"
                + "Connection: Upgrade\r\nUpgrade: echo\r\nAuthorization: Bearer secret\r\n")) {
            assertThat(client.head).startsWith("HTTP/1.1 101").contains("Upgrade: echo");
            InputStream in = client.socket.getInputStream();
            assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
            OutputStream out = client.socket.getOutputStream();
            out.write("ping".getBytes(StandardCharsets.UTF_8));
            out.flush();
            assertThat(new String(in.readNBytes(4), StandardCharsets.UTF_8)).isEqualTo("ping");
        }
        String seen = kubelet.heads.get(before);
        assertThat(seen).startsWith("GET /some/socket?a=1 HTTP/1.1\r\n").containsIgnoringCase("upgrade: echo\r\n")
                .doesNotContainIgnoringCase("authorization");
    }

    @Test
    void nodeProxyPassesWritesWithTheirBodies() {
        // discovery lists nodes/proxy with upstream's verbs create, delete, patch and update: each is relayed
        kubelet.answer = head -> FakeKubelet.Answer.plain(202, "application/json", "{\"ok\":true}");
        int before = kubelet.heads.size();
        HttpResponse<String> posted = server.send("POST", "/api/v1/nodes/n1/proxy/debug/thing", "application/json",
                "{\"a\":1}");
        assertThat(posted.statusCode()).as(posted.body()).isEqualTo(202);
        assertThat(posted.body()).isEqualTo("{\"ok\":true}");
        String head = kubelet.heads.get(before);
        assertThat(head).startsWith("POST /debug/thing HTTP/1.1");
        assertThat(head.toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json",
                "content-length: 7");
        for (String method : java.util.List.of("PUT", "PATCH", "DELETE")) {
            int seen = kubelet.heads.size();
            assertThat(server.send(method, "/api/v1/nodes/n1/proxy/x", null, null).statusCode()).isEqualTo(202);
            assertThat(kubelet.heads.get(seen)).startsWith(method + " /x HTTP/1.1");
        }
    }

    private static void assertStatus(String pathAndQuery, int code, String reason, String message) throws Exception {
        try (RawClient client = new RawClient(spdyUpgrade(pathAndQuery))) {
            assertThat(client.head).startsWith("HTTP/1.1 " + code);
            JsonNode status = body(client);
            assertThat(status.path("kind").asString()).isEqualTo("Status");
            assertThat(status.path("reason").asString()).isEqualTo(reason);
            assertThat(status.path("message").asString()).isEqualTo(message);
        }
    }

    private static JsonNode body(RawClient client) throws IOException {
        int length = Integer.parseInt(header(client.head, "Content-Length"));
        return JSON.readTree(client.socket.getInputStream().readNBytes(length));
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

    private static String accept(String key) {
        try {
            return Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-1")
                    .digest((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").getBytes(StandardCharsets.US_ASCII)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
