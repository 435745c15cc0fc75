package io.kube4j.bench.apiserver;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench's raw driver against a small HTTP server on loopback: bodies, status codes, kept-alive connections. */
class ApiRawDriverTest {
    private HttpServer server;
    private final List<Integer> clientPorts = new CopyOnWriteArrayList<>();
    private Api api;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            clientPorts.add(exchange.getRemoteAddress().getPort());
            byte[] in = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            byte[] out = (exchange.getRequestMethod() + " " + path + " " + new String(in, StandardCharsets.UTF_8))
                    .getBytes(StandardCharsets.UTF_8);
            if (path.equals("/close")) {
                exchange.getResponseHeaders().set("Connection", "close");
            }
            int status = path.equals("/missing") ? 404 : 200;
            // /chunked: no length known up front, so the server frames the body in chunks
            exchange.sendResponseHeaders(status, path.equals("/chunked") ? 0 : out.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(out);
            }
        });
        server.start();
        api = new Api(HttpClient.newHttpClient(), server.getAddress().getPort(), Api.Driver.RAW);
    }

    @AfterEach
    void stop() {
        api.close();
        server.stop(0);
    }

    @Test
    void sendsMethodsAndBodiesAndReadsStatusAndBody() throws Exception {
        assertThat(api.post("/a", "{\"k\":\"é\"}")).isEqualTo(new Api.Response(200, "POST /a {\"k\":\"é\"}"));
        assertThat(api.put("/b", "x")).isEqualTo(new Api.Response(200, "PUT /b x"));
        assertThat(api.get("/chunked")).isEqualTo(new Api.Response(200, "GET /chunked "));
        assertThat(api.delete("/missing").statusCode()).isEqualTo(404);
        assertThat(Api.ok(api.get("/missing"))).isFalse();
    }

    @Test
    void oneClientKeepsItsConnectionUntilTheServerClosesIt() throws Exception {
        api.get("/1");
        api.get("/2");
        api.get("/close");
        api.get("/3");
        assertThat(clientPorts).hasSize(4);
        assertThat(clientPorts.get(1)).isEqualTo(clientPorts.get(0));
        assertThat(clientPorts.get(2)).isEqualTo(clientPorts.get(0));
        assertThat(clientPorts.get(3)).as("a new connection after Connection: close").isNotEqualTo(clientPorts.get(0));
    }

    @Test
    void theJdkDriverSendsTheSame() throws Exception {
        Api jdk = new Api(HttpClient.newHttpClient(), server.getAddress().getPort(), Api.Driver.JDK);
        assertThat(jdk.post("/a", "x")).isEqualTo(new Api.Response(200, "POST /a x"));
        assertThat(jdk.get("/chunked")).isEqualTo(new Api.Response(200, "GET /chunked "));
    }
}
