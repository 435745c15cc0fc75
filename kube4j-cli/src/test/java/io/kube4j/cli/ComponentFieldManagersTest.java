package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whose writes an object's managedFields name, as on an upstream cluster: each component's client sends upstream's
 * User-Agent (kube-scheduler, kube-controller-manager, kubelet), whose name the server records as the field manager,
 * and what the API server writes itself is kube-apiserver's. fabric8's own agent made every component's write
 * fabric8-kubernetes-client's, and the server's own objects had no managedFields at all.
 */
class ComponentFieldManagersTest {

    @TempDir
    static Path dir;

    static Store store;
    static ApiServer server;
    static KubernetesClient admin;

    @BeforeAll
    static void start() {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir)
                .withSecurity(SecurityOptions.defaults(dir)));
        admin = ClusterClients.fromKubeconfig(dir.resolve("admin.kubeconfig"), ClusterClients.CLI);
    }

    @AfterAll
    static void stop() {
        admin.close();
        server.close();
        store.close();
    }

    private static List<String> managers(HasMetadata object) {
        return object.getMetadata().getManagedFields().stream().map(ManagedFieldsEntry::getManager).toList();
    }

    @Test
    void theApiServersOwnObjectsAreKubeApiservers() {
        assertThat(managers(admin.namespaces().withName("kube-system").get())).containsExactly("kube-apiserver");
        assertThat(managers(admin.services().inNamespace("default").withName("kubernetes").get()))
                .containsExactly("kube-apiserver");
        assertThat(managers(admin.rbac().clusterRoles().withName("system:kube-scheduler").get()))
                .containsExactly("kube-apiserver");
        assertThat(managers(admin.scheduling().v1().priorityClasses().withName("system-node-critical").get()))
                .containsExactly("kube-apiserver");
        assertThat(managers(admin.configMaps().inNamespace("kube-public").withName("cluster-info").get()))
                .containsExactly("kube-apiserver");
        // the status the server writes on a user's CRD is kube-apiserver's, through the status subresource
        admin.apiextensions().v1().customResourceDefinitions().resource(new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName("widgets.example.com").endMetadata().withNewSpec().withGroup("example.com")
                .withScope("Namespaced").withNewNames().withKind("Widget").withPlural("widgets").endNames()
                .addNewVersion().withName("v1").withServed(true).withStorage(true).withNewSchema()
                .withNewOpenAPIV3Schema().withType("object").withXKubernetesPreserveUnknownFields(true)
                .endOpenAPIV3Schema().endSchema().endVersion().endSpec().build()).create();
        var crd = await().atMost(Duration.ofSeconds(30)).until(() -> admin.apiextensions().v1()
                .customResourceDefinitions().withName("widgets.example.com").get(), c -> c.getStatus() != null
                && c.getStatus().getAcceptedNames() != null && c.getStatus().getAcceptedNames().getKind() != null);
        assertThat(crd.getMetadata().getManagedFields()).anySatisfy(e -> {
            assertThat(e.getManager()).isEqualTo("kube-apiserver");
            assertThat(e.getSubresource()).isEqualTo("status");
        });
    }

    @Test
    void theSchedulersAndTheKubeletsWritesAreTheirs() throws Exception {
        try (KubernetesClient scheduler = ClusterClients.fromKubeconfig(dir.resolve("kube-scheduler.kubeconfig"),
                ClusterClients.SCHEDULER)) {
            // the scheduler may write leases in kube-system (its leader election)
            var lease = scheduler.leases().inNamespace("kube-system").resource(
                    new io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder().withNewMetadata()
                            .withName("fields-test").endMetadata().withNewSpec().withHolderIdentity("me").endSpec()
                            .build()).create();
            assertThat(managers(lease)).containsExactly("kube-scheduler");
        }
        try (KubernetesClient kubelet = ClusterClients.fromKubeconfig(Kubeconfigs.write(dir.resolve("n1.kubeconfig"),
                server.url(), server.pki().caCertificate(), server.pki().kubelet("n1")), ClusterClients.KUBELET)) {
            var node = kubelet.nodes().resource(new NodeBuilder().withNewMetadata().withName("n1")
                    .addToLabels("kubernetes.io/hostname", "n1").endMetadata().build()).create();
            assertThat(managers(node)).containsExactly("kubelet");
        }
    }

    @Test
    void theControllersWritesAreKubeControllerManagers() throws Exception {
        try (ControllerManager controllers = ControllerManager.start(ClusterClients.fromKubeconfig(
                        dir.resolve("kube-controller-manager.kubeconfig"), ClusterClients.CONTROLLER_MANAGER),
                new ControllerManagerOptions().leaderElect(false).controllers(Set.of("root-ca-cert-publisher"))
                        .rootCaPem(Files.readString(server.pki().caFile())))) {
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team").endMetadata()
                    .build()).create();
            ConfigMap created = await().atMost(Duration.ofSeconds(30)).until(
                    () -> admin.configMaps().inNamespace("team").withName("kube-root-ca.crt").get(), cm -> cm != null);
            // each controller's client adds its service account to the agent; the manager is the agent's name
            assertThat(managers(created)).containsExactly("kube-controller-manager");
        }
        // and a user's write is still the user's client's
        var mine = admin.configMaps().inNamespace("team").resource(new ConfigMapBuilder().withNewMetadata()
                .withName("mine").endMetadata().addToData("k", "v").build()).create();
        assertThat(managers(mine)).containsExactly("kube4j");
    }
}
