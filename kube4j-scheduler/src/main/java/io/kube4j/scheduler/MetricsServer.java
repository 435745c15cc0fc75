package io.kube4j.scheduler;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/** Serves /metrics (Prometheus text) and /healthz with the JDK's HTTP server. */
final class MetricsServer implements AutoCloseable {
    private final HttpServer server;

    private MetricsServer(HttpServer server) { this.server = server; }

    static MetricsServer start(String host, int port, Supplier<String> metrics) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 0);
            s.createContext("/metrics", ex -> respond(ex, metrics.get(), "text/plain; version=0.0.4"));
            s.createContext("/healthz", ex -> respond(ex, "ok", "text/plain"));
            s.start();
            return new MetricsServer(s);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve scheduler metrics on " + host + ":" + port, e);
        }
    }

    private static void respond(com.sun.net.httpserver.HttpExchange ex, String body, String type) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", type);
        ex.sendResponseHeaders(200, b.length);
        try (OutputStream os = ex.getResponseBody()) {
            os.write(b);
        }
    }

    int port() { return server.getAddress().getPort(); }

    @Override public void close() { server.stop(0); }
}
