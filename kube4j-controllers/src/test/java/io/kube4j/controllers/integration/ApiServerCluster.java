package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One kube4j API server ({@link TestServer}) with an admin client, and the controller managers and fake kubelets a
 * test starts (each on a client of its own, as separate processes would be). Closing it stops everything in reverse
 * order.
 *
 * <p>As a JUnit extension ({@code @RegisterExtension final ApiServerCluster cluster = ApiServerCluster.perTest();})
 * each test gets a fresh one in a temp dir of its own, started before the test class's {@code @BeforeEach} methods
 * and closed after its {@code @AfterEach} methods.
 */
public final class ApiServerCluster implements AutoCloseable, BeforeEachCallback, AfterEachCallback {
    private final TestServer server;
    private KubernetesClient client;
    private final List<AutoCloseable> started = new ArrayList<>();

    private ApiServerCluster(TestServer server) {
        this.server = server;
    }

    public static ApiServerCluster start(Path dir) {
        ApiServerCluster cluster = new ApiServerCluster(TestServer.start(dir));
        cluster.client = cluster.newClient();
        return cluster;
    }

    /** A cluster that each test of the class registering it as an extension gets afresh. */
    public static ApiServerCluster perTest() {
        return new ApiServerCluster(TestServer.perTest());
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
    public Path dir() {
        return server.dir();
    }

    public KubernetesClient client() {
        return client;
    }

    Path kubeconfig() {
        return server.kubeconfig();
    }

    KubernetesClient newClient() {
        try {
            Config config = Config.fromKubeconfig(Files.readString(server.kubeconfig()));
            KubernetesClient c = new KubernetesClientBuilder().withConfig(config).build();
            started.add(c);
            return c;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A controller manager on its own client; without leader election unless the options ask for it. */
    ControllerManager startControllers(ControllerManagerOptions options) {
        ControllerManager m = ControllerManager.start(newClient(), options);
        started.add(m);
        return m;
    }

    /** A controller manager running only the named controllers, waited for until it runs. */
    public ControllerManager startControllers(ControllerManagerOptions options, String... controllers) throws InterruptedException {
        ControllerManager m = startControllers(options.leaderElect(false).controllers(Set.of(controllers)));
        assertThat(m.awaitRunning(Duration.ofSeconds(30))).as("controllers started").isTrue();
        return m;
    }

    ApiKubelet startKubelet(String... nodes) {
        ApiKubelet k = new ApiKubelet(newClient(), List.of(nodes));
        started.add(k);
        return k;
    }

    public void createNamespace(String name) {
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }

    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        started.clear();
        server.close();
    }
}
