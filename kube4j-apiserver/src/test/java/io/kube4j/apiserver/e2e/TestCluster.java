package io.kube4j.apiserver.e2e;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A {@link TestServer} with an admin fabric8 client and what a test starts against it - clients of their own and the
 * components on them - closed newest first, then the server. A module's test cluster extends it with the components
 * it starts (schedulers; controller managers and kubelets), each through {@link #started}.
 *
 * <p>Over {@link TestServer#perTest()}, registered as a JUnit extension on an instance field, each test gets a fresh
 * one in a temp dir of its own, started before the class's {@code @BeforeEach} methods and closed after its
 * {@code @AfterEach} methods. Over a server already started ({@link TestServer#start(Path)}) it is ready at once and
 * the test closes it.
 */
public abstract class TestCluster implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private final TestServer server;
    /** What {@link #close()} closes before the server, newest on top: a component before the client it runs on. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private KubernetesClient client;

    protected TestCluster(TestServer server) {
        this.server = server;
        if (server.server() != null) {
            client = newClient();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        server.beforeEach(context);
        client = newClient();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
    }

    /** The directory the cluster keeps its store and kubeconfig in; a test may put its own files there. */
    public final Path dir() {
        return server.dir();
    }

    public final Path kubeconfig() {
        return server.kubeconfig();
    }

    /** The admin client the cluster made when it started. */
    public final KubernetesClient client() {
        return client;
    }

    /** An admin client of its own, as a separate process would have; closed with the cluster. */
    public final KubernetesClient newClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
            return started(new KubernetesClientBuilder().withConfig(config).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Hands {@code component} to the cluster, which closes it before whatever was started before it. */
    protected final <T extends AutoCloseable> T started(T component) {
        started.push(component);
        return component;
    }

    @Override
    public void close() {
        try {
            while (!started.isEmpty()) {
                try {
                    started.pop().close();
                } catch (Exception e) {
                    // one that fails to close must not keep the others, or the server, running into the next test
                }
            }
        } finally {
            client = null;
            server.close();
        }
    }
}
