package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.kube4j.apiserver.e2e.TestCluster;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * A {@link TestCluster} - one kube4j API server with an admin client - and the controller managers and fake kubelets
 * a test starts, each on a client of its own, as separate processes would be. As a JUnit extension
 * ({@code @RegisterExtension final ApiServerCluster cluster = ApiServerCluster.perTest();}) each test gets a fresh one.
 */
public final class ApiServerCluster extends TestCluster {

    private ApiServerCluster(TestServer server) {
        super(server);
    }

    public static ApiServerCluster start(Path dir) {
        return new ApiServerCluster(TestServer.start(dir));
    }

    /** A cluster that each test of the class registering it as an extension gets afresh. */
    public static ApiServerCluster perTest() {
        return new ApiServerCluster(TestServer.perTest());
    }

    /** A controller manager on its own client; without leader election unless the options ask for it. */
    ControllerManager startControllers(ControllerManagerOptions options) {
        return started(ControllerManager.start(newClient(), options));
    }

    /** A controller manager running only the named controllers, waited for until it runs. */
    public ControllerManager startControllers(ControllerManagerOptions options, String... controllers) throws InterruptedException {
        ControllerManager m = startControllers(options.leaderElect(false).controllers(Set.of(controllers)));
        assertThat(m.awaitRunning(Duration.ofSeconds(30))).as("controllers started").isTrue();
        return m;
    }

    ApiKubelet startKubelet(String... nodes) {
        return started(new ApiKubelet(newClient(), List.of(nodes)));
    }

    public void createNamespace(String name) {
        client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name).endMetadata().build())
                .create();
    }
}
