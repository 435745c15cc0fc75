package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * An API server over an embedded store in a temp directory, on a free loopback port, with a plain HTTP/1.1 client;
 * the fixture every API-level test of this module can start.
 */
public final class TestServer implements AutoCloseable {

    public final Path dir;
    public final Store store;
    public final ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private TestServer(Path dir, Store store, ApiServer server) {
        this.dir = dir;
        this.store = store;
        this.server = server;
    }

    public static TestServer start(Path dir) {
        return start(dir, Duration.ofSeconds(10));
    }

    public static TestServer start(Path dir, Duration bookmarkInterval) {
        Store store = EmbeddedStore.open(dir.resolve("store"));
        ApiServer server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1",
                freePort()), dir).withBookmarkInterval(bookmarkInterval));
        return new TestServer(dir, store, server);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.port();
    }

    public Path kubeconfig() {
        return server.kubeconfig();
    }

    public HttpResponse<String> send(String method, String path, String contentType, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public HttpResponse<String> get(String path, String... headers) {
        return send("GET", path, null, null, headers);
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
