package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * A secure API server (authentication, RBAC, admission - so the storage admission plugins run) with the
 * persistentvolume-binder and the pvc- and pv-protection controllers on their own service accounts, as
 * `kube4j server` runs them. Closing it stops everything in reverse order.
 */
final class StorageControlPlane implements AutoCloseable {
    private final TestServer server;
    private final KubernetesClient admin;
    private final KubernetesClient managerClient;
    private final ControllerManager manager;

    private StorageControlPlane(Path dir) throws Exception {
        server = TestServer.at(dir).withConfig(ServiceAccountCredentialsTest::secure).start();
        admin = ServiceAccountCredentialsTest.client(dir.resolve("admin.kubeconfig"));
        managerClient = ServiceAccountCredentialsTest.client(dir.resolve("kube-controller-manager.kubeconfig"));
        manager = ControllerManager.start(managerClient, new ControllerManagerOptions().leaderElect(false)
                .controllers(Set.of("persistentvolume-binder", "pvc-protection", "pv-protection")));
        assertThat(manager.awaitRunning(Duration.ofSeconds(60))).as("controllers started").isTrue();
    }

    static StorageControlPlane start(Path dir) throws Exception {
        return new StorageControlPlane(dir);
    }

    /** The cluster admin's client (system:masters). */
    KubernetesClient admin() {
        return admin;
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {manager, managerClient, admin, server}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
    }
}
