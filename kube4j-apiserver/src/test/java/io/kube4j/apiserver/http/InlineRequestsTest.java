package io.kube4j.apiserver.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Through a real server: a request the handler serves inline is answered on the event loop that read it, any other on
 * a worker; pipelined on one connection, both kinds mixed are still answered in order.
 */
class InlineRequestsTest {

    ExecutorService workers;
    HttpServer server;
    final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** /inline/... is served inline; every answer says which thread served it and echoes the path. */
    private static final HttpHandler HANDLER = new HttpHandler() {
        @Override
        public void handle(ApiRequest request, ResponseSink sink) {
            sink.send(200, "text/plain", request.path().getBytes(),
                    Map.of("X-Thread", Thread.currentThread().getName()));
        }

        @Override
        public boolean servesInline(ApiRequest request) {
            return request.path().startsWith("/inline/");
        }
    };

    @BeforeEach
    void start() {
        ThreadFactory named = r -> new Thread(r, "test-worker");
        workers = Executors.newFixedThreadPool(2, named);
        server = HttpServer.start(new InetSocketAddress("127.0.0.1", 0), HANDLER, workers, 1024 * 1024, null);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void inlineRequestsStayOnTheEventLoopOthersGoToAWorker() throws Exception {
        HttpResponse<String> inline = get("/inline/a");
        HttpResponse<String> other = get("/other/a");
        assertThat(inline.statusCode()).isEqualTo(200);
        assertThat(inline.body()).isEqualTo("/inline/a");
        assertThat(inline.headers().firstValue("X-Thread")).get().asString().isNotEqualTo("test-worker");
        assertThat(other.headers().firstValue("X-Thread")).hasValue("test-worker");
    }

    @Test
    void pipelinedMixedRequestsAreAnsweredInOrder() throws Exception {
        StringBuilder requests = new StringBuilder();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String path = (i % 3 == 0 ? "/other/" : "/inline/") + i;
            sent.add(path);
            requests.append("GET ").append(path).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(10_000);
            // all of them in one write: the server reads them together and must still answer one after the other
            socket.getOutputStream().write(requests.toString().getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            List<String> answered = new ArrayList<>();
            for (int i = 0; i < sent.size(); i++) {
                answered.add(readBody(in));
            }
            assertThat(answered).isEqualTo(sent);
        }
    }

    /** Reads one response with a Content-Length body and returns the body. */
    private static String readBody(InputStream in) throws Exception {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed after " + head);
            }
            head.append((char) b);
        }
        int length = -1;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring("content-length:".length()).trim());
            }
        }
        assertThat(length).as("Content-Length in %s", head).isNotNegative();
        return new String(in.readNBytes(length), StandardCharsets.US_ASCII);
    }
}
