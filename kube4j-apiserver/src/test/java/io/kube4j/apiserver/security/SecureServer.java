package io.kube4j.apiserver.security;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.apiserver.json.Json;
import io.kube4j.apiserver.pki.CertifiedKey;
import io.kube4j.apiserver.pki.TlsContexts;
import io.kube4j.store.Store;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * A securely serving API server ({@link TestServer}) with a static token file ({@code jane-token} = jane,
 * {@code bob-token} = bob) and HTTPS clients for any client certificate or token. As a JUnit extension,
 * {@code @RegisterExtension static final SecureServer server = SecureServer.perClass();} serves all tests of a class
 * from a temp dir of its own.
 */
final class SecureServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {

    private final TestServer fixture;

    private SecureServer(TestServer fixture) {
        this.fixture = fixture;
    }

    /** One server for all tests of the class; register it on a static field. */
    static SecureServer perClass() {
        return new SecureServer(TestServer.perClass().withConfig(SecureServer::secure));
    }

    /** The same, serving from the store {@code wrap} makes of the embedded one (a store the tests observe). */
    static SecureServer perClass(UnaryOperator<Store> wrap) {
        return new SecureServer(TestServer.perClass().withConfig(SecureServer::secure).withStore(wrap));
    }

    /** A server on {@code dir} (again, when a test restarts it) that the caller closes. */
    static SecureServer start(Path dir) {
        return start(dir, UnaryOperator.identity());
    }

    /** The same, serving from the store {@code wrap} makes of the embedded one (a store the test observes). */
    static SecureServer start(Path dir, UnaryOperator<Store> wrap) {
        return new SecureServer(TestServer.at(dir).withConfig(SecureServer::secure).withStore(wrap).start());
    }

    private static ApiServerConfig secure(ApiServerConfig config) {
        Path dir = config.dataDir();
        try {
            Path tokens = dir.resolve("tokens.csv");
            Files.createDirectories(dir);
            Files.writeString(tokens, "jane-token,jane,uid-jane,\"developers\"\nbob-token,bob,uid-bob\n");
            return config.withSecurity(SecurityOptions.defaults(dir).withTokenAuthFile(tokens).withInsecurePort(0)
                    .withAuditLogPath(dir.resolve("audit").resolve("audit.log")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        fixture.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        fixture.afterAll(context);
    }

    Path dir() {
        return fixture.dir();
    }

    Store store() {
        return fixture.store();
    }

    ApiServer server() {
        return fixture.server();
    }

    /** A client presenting {@code certificate} (null: none). */
    HttpClient client(CertifiedKey certificate) {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .sslContext(TlsContexts.client(server().pki().caCertificate(), certificate)).build();
    }

    HttpClient admin() {
        return client(server().pki().admin());
    }

    HttpClient anonymous() {
        return client(null);
    }

    HttpResponse<String> send(HttpClient client, String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fixture.url() + path))
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

    /**
     * Creates namespace {@code name} labelled {@code labels} and its default ServiceAccount, which pods need and no
     * controller makes here; anything but 201 fails the test.
     */
    void createNamespace(String name, Map<String, String> labels) {
        String labelJson = labels.entrySet().stream()
                .map(l -> "\"" + l.getKey() + "\":\"" + l.getValue() + "\"").collect(Collectors.joining(","));
        HttpClient admin = admin();
        for (HttpResponse<String> response : List.of(
                send(admin, "POST", "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\","
                        + "\"metadata\":{\"name\":\"" + name + "\",\"labels\":{" + labelJson + "}}}"),
                send(admin, "POST", "/api/v1/namespaces/" + name + "/serviceaccounts",
                        "{\"apiVersion\":\"v1\",\"kind\":\"ServiceAccount\",\"metadata\":{\"name\":\"default\"}}"))) {
            if (response.statusCode() != 201) {
                throw new AssertionError("creating namespace " + name + ": " + response.statusCode() + " "
                        + response.body());
            }
        }
    }

    static ObjectNode json(HttpResponse<String> response) {
        return (ObjectNode) Json.parse(response.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        fixture.close();
    }
}
