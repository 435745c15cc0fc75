package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test server and the real kubectl pointed at it, one per test class: a class declares
 * {@code @RegisterExtension static final KubectlServer cluster = new KubectlServer();} and its tests use
 * {@link #server()}, {@link #kubectl()} and {@link #file}. The kubeconfig, kubectl's discovery cache and the files
 * the tests write share one temporary directory, removed with the server after the class.
 */
final class KubectlServer implements BeforeAllCallback, AfterAllCallback {

    private final TestServer server = TestServer.perClass();
    private Kubectl kubectl;

    @Override
    public void beforeAll(ExtensionContext context) {
        server.beforeAll(context);
        kubectl = new Kubectl(server.kubeconfig(), server.dir());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.afterAll(context);
    }

    Path dir() {
        return server.dir();
    }

    TestServer server() {
        return server;
    }

    /** kubectl as the dispatcher picks it for the server's version. */
    Kubectl kubectl() {
        return kubectl;
    }

    /** Another kubectl binary against the same server, sharing the discovery cache. */
    Kubectl kubectl(Path binary) {
        return new Kubectl(binary, server.kubeconfig(), server.dir());
    }

    /** Writes {@code text} to {@code name} in the class's directory, for {@code kubectl -f}. */
    Path file(String name, String text) {
        Path path = server.dir().resolve(name);
        try {
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }
}
