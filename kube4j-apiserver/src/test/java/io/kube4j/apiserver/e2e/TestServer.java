package io.kube4j.apiserver.e2e;

import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * An API server over an embedded store, on a free loopback port, with a plain HTTP/1.1 client: the one way tests
 * start an in-process API server, in this module and, through its test-jar, in the modules that talk to it.
 *
 * <p>As a JUnit 5 extension, {@code @RegisterExtension static final TestServer server = TestServer.perClass();}
 * starts one server before the class's tests and closes it after them, and
 * {@code @RegisterExtension final TestServer server = TestServer.perTest();} gives each test a fresh one (started
 * before the class's {@code @BeforeEach} methods, closed after its {@code @AfterEach} methods). Such a server lives in
 * a temporary directory of its own, deleted when it closes. {@link #withConfig} changes what it starts with.
 * A test that starts a server itself - in one method only ({@link #inTempDir()}), or again on the same directory as
 * after a restart ({@link #at}) - closes it itself.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback, BeforeEachCallback,
        AfterEachCallback {

    /** When the extension starts and closes the server; {@code MANUAL}: the caller starts and closes it. */
    private enum Lifecycle { PER_CLASS, PER_TEST, MANUAL }

    private final Lifecycle lifecycle;
    /** Where the server keeps its files; null: a temporary directory of its own, deleted when it closes. */
    private final Path givenDir;
    private final UnaryOperator<ApiServerConfig> config;
    private final UnaryOperator<Store> storeWrap;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    /** The running server's pieces; null while it is not running. */
    private Path dir;
    private Store store;
    private ApiServer server;
    private boolean ownsDir;
    /** How many (nested) test classes use a per-class server: the outermost one starts and closes it. */
    private int classDepth;

    private TestServer(Lifecycle lifecycle, Path givenDir, UnaryOperator<ApiServerConfig> config,
                       UnaryOperator<Store> storeWrap) {
        this.lifecycle = lifecycle;
        this.givenDir = givenDir;
        this.config = config;
        this.storeWrap = storeWrap;
    }

    /** One server for all tests of the class; register it on a static field. */
    public static TestServer perClass() {
        return new TestServer(Lifecycle.PER_CLASS, null, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** A fresh server for each test; register it on an instance field. */
    public static TestServer perTest() {
        return new TestServer(Lifecycle.PER_TEST, null, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * A server for one test method that the others of its class do not need, in a temporary directory of its own:
     * {@code try (TestServer server = TestServer.inTempDir().withConfig(...).start())}; closing it deletes the
     * directory.
     */
    public static TestServer inTempDir() {
        return new TestServer(Lifecycle.MANUAL, null, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /**
     * A server on {@code dir}, to {@link #start()} and close, maybe again on the same directory as a restarted server
     * would; the directory is left in place.
     */
    public static TestServer at(Path dir) {
        return new TestServer(Lifecycle.MANUAL, dir, UnaryOperator.identity(), UnaryOperator.identity());
    }

    /** {@code at(dir).start()}. */
    public static TestServer start(Path dir) {
        return at(dir).start();
    }

    /** The same fixture, whose server starts with {@code change} applied to the insecure defaults. */
    public TestServer withConfig(UnaryOperator<ApiServerConfig> change) {
        UnaryOperator<ApiServerConfig> before = config;
        return new TestServer(lifecycle, givenDir, c -> change.apply(before.apply(c)), storeWrap);
    }

    /** The same fixture, whose idle watches get a BOOKMARK every {@code interval}. */
    public TestServer withBookmarkInterval(Duration interval) {
        return withConfig(c -> c.withBookmarkInterval(interval));
    }

    /**
     * The same fixture, whose server uses the store {@code wrap} makes of the embedded one (a store a test observes);
     * closing the wrapper must close the store it wraps.
     */
    public TestServer withStore(UnaryOperator<Store> wrap) {
        UnaryOperator<Store> before = storeWrap;
        return new TestServer(lifecycle, givenDir, config, s -> wrap.apply(before.apply(s)));
    }

    /** Starts a server made with {@link #inTempDir()} or {@link #at}; JUnit starts the others. */
    public TestServer start() {
        if (lifecycle != Lifecycle.MANUAL) {
            throw new IllegalStateException("JUnit starts a " + lifecycle + " server");
        }
        if (givenDir == null) {
            startInTempDir();
        } else {
            startOn(givenDir);
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (lifecycle == Lifecycle.PER_CLASS && classDepth++ == 0) {
            startInTempDir();
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (lifecycle == Lifecycle.PER_CLASS && --classDepth == 0) {
            close();
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (lifecycle == Lifecycle.PER_TEST) {
            startInTempDir();
        } else if (lifecycle == Lifecycle.PER_CLASS && server == null) {
            // JUnit calls beforeAll only on extensions in static fields
            throw new IllegalStateException("TestServer.perClass() must be registered on a static field");
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (lifecycle == Lifecycle.PER_TEST) {
            close();
        }
    }

    private void startInTempDir() {
        Path temp;
        try {
            temp = Files.createTempDirectory("kube4j-apiserver-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ownsDir = true;
        try {
            startOn(temp);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    private void startOn(Path dir) {
        this.dir = dir;
        Store embedded = EmbeddedStore.open(dir.resolve("store"));
        try {
            this.store = storeWrap.apply(embedded);
        } catch (RuntimeException e) {
            embedded.close();
            throw e;
        }
        try {
            // port 0: the server reports the port it got, so no other process can take it in between
            this.server = ApiServer.start(config.apply(ApiServerConfig.defaults(store,
                    new InetSocketAddress("127.0.0.1", 0), dir)));
        } catch (RuntimeException e) {
            store.close();
            store = null;
            throw e;
        }
    }

    /** A port nobody listens on right now, for a backend a test points an object at. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The directory the server keeps its store and {@code admin.kubeconfig} in; a test may put files there too. */
    public Path dir() {
        return dir;
    }

    public Store store() {
        return store;
    }

    public ApiServer server() {
        return server;
    }

    public int port() {
        return server.port();
    }

    /** Where clients on this host reach the server: {@code http://127.0.0.1:<port>}, or https if secured. */
    public String url() {
        return server.url();
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

    /** Stops the server and its store and, if the fixture made the directory, deletes it. */
    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            try {
                if (store != null) {
                    store.close();
                }
            } finally {
                Path made = ownsDir ? dir : null;
                server = null;
                store = null;
                dir = null;
                ownsDir = false;
                if (made != null) {
                    deleteTree(made);
                }
            }
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> paths = Files.walk(root)) {
            // children before their directories
            List<Path> deepestFirst = paths.sorted(Comparator.reverseOrder()).toList();
            for (Path path : deepestFirst) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
