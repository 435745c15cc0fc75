package io.kube4j.apiserver.security;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A securely serving API server over an embedded store in a temp directory, with a static token file
 * ({@code jane-token} = jane, {@code bob-token} = bob) and HTTPS clients for any client certificate or token.
 */
final class SecureServer implements AutoCloseable {

    final Path dir;
    final Store store;
    final ApiServer server;

    private SecureServer(Path dir, Store store, ApiServer server) {
        this.dir = dir;
        this.store = store;
        this.server = server;
    }

    static SecureServer start(Path dir) {
        try {
            Path tokens = dir.resolve("tokens.csv");
            Files.createDirectories(dir);
            Files.writeString(tokens, "jane-token,jane,uid-jane,\"developers\"\nbob-token,bob,uid-bob\n");
            Store store = EmbeddedStore.open(dir.resolve("store"));
            ApiServer server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0),
                    dir).withSecurity(SecurityOptions.defaults(dir).withTokenAuthFile(tokens).withInsecurePort(0)
                    .withAuditLogPath(dir.resolve("audit").resolve("audit.log"))));
            return new SecureServer(dir, store, server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A client presenting {@code certificate} (null: none). */
    HttpClient client(CertifiedKey certificate) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(server.pki().caCertificate(), certificate)).build();
    }

    HttpClient admin() {
        return client(server.pki().admin());
    }

    HttpClient anonymous() {
        return client(null);
    }

    HttpResponse<String> send(HttpClient client, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        boolean typed = false;
        for (int i = 0; i + 1 < headers.length; i += 2) {
            typed |= headers[i].equalsIgnoreCase("Content-Type");
        }
        if (body != null && !typed) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> get(HttpClient client, String path, String... headers) {
        return send(client, "GET", path, null, headers);
    }

    static ObjectNode json(HttpResponse<String> response) {
        return (ObjectNode) Json.parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.close();
        store.close();
    }
}
