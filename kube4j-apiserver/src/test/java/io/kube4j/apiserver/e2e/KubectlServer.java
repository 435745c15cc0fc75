package io.kube4j.apiserver.e2e;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A test server and the real kubectl pointed at it, one per test class: a class declares
 * {@code @RegisterExtension static final KubectlServer cluster = new KubectlServer();} and its tests use
 * {@link #server()}, {@link #kubectl()} and {@link #file}. The kubeconfig, kubectl's discovery cache and the files
 * the tests write share one temporary directory, removed with the server after the class.
 */
final class KubectlServer implements BeforeAllCallback, AfterAllCallback {

    private Path dir;
    private TestServer server;
    private Kubectl kubectl;

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("kube4j-kubectl-");
        server = TestServer.start(dir);
        kubectl = new Kubectl(server.kubeconfig(), dir);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try (Stream<Path> paths = Files.walk(dir)) {
                // children before their directories
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }

    Path dir() {
        return dir;
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
        return new Kubectl(binary, server.kubeconfig(), dir);
    }

    /** Writes {@code text} to {@code name} in the class's directory, for {@code kubectl -f}. */
    Path file(String name, String text) {
        Path path = dir.resolve(name);
        try {
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return path;
    }
}
