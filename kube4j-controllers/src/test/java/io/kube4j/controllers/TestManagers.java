package io.kube4j.controllers;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.Set;

/** Starts a controller manager without leader election running only the named controllers. */
public final class TestManagers {
    private TestManagers() {
    }

    public static ControllerManager start(KubernetesClient client, String... controllers) throws InterruptedException {
        return start(client, new ControllerManagerOptions(), controllers);
    }

    public static ControllerManager start(KubernetesClient client, ControllerManagerOptions options,
                                          String... controllers) throws InterruptedException {
        ControllerManager m = ControllerManager.start(client,
                options.leaderElect(false).controllers(Set.of(controllers)));
        assertThat(m.awaitRunning(Duration.ofSeconds(30))).as("controllers started").isTrue();
        return m;
    }
}
