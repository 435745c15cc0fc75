package io.kube4j.cli;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.ApiServer;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.pki.Kubeconfigs;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.kubelet.certificate.ServingBootstrap;
import io.kube4j.kubelet.certificate.ServingCertificateManager;
import io.kube4j.kubelet.server.ServingTls;
import io.kube4j.store.Store;
import io.kube4j.store.embedded.EmbeddedStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A kubelet's serving certificate bootstrapped against a real, securely serving API server and the CSR controllers
 * (no containers): the kubelet-serving CSR made with the node's own credentials for its registered addresses is
 * approved and signed, a restart reuses it, and a request for an address that is not the node's is left pending.
 */
class KubeletServingCertificateTest {

    @TempDir
    static Path dir;

    static Store store;
    static ApiServer server;
    static ControllerManager controllers;
    static KubernetesClient admin;
    static KubernetesClient nodeClient;

    @BeforeAll
    static void startCluster() throws Exception {
        store = EmbeddedStore.open(dir.resolve("store"));
        server = ApiServer.start(ApiServerConfig.defaults(store, new InetSocketAddress("127.0.0.1", 0), dir)
                .withSecurity(SecurityOptions.defaults(dir)));
        String caPem = Files.readString(server.pki().caFile());
        admin = ClusterClients.fromKubeconfig(dir.resolve("admin.kubeconfig"), ClusterClients.CLI);
        controllers = ControllerManager.start(ClusterClients.fromKubeconfig(
                        dir.resolve("kube-controller-manager.kubeconfig"), ClusterClients.CONTROLLER_MANAGER),
                new ControllerManagerOptions().leaderElect(false).controllers(Set.of("csrapproving", "csrsigning"))
                        .clusterSigning(caPem, Files.readString(server.pki().caFile().resolveSibling("ca.key"))));
        nodeClient = ClusterClients.fromKubeconfig(Kubeconfigs.write(dir.resolve("worker-1.kubeconfig"), server.url(),
                server.pki().caCertificate(), server.pki().kubelet("worker-1")), ClusterClients.KUBELET);
        // the node registers itself, as its kubelet does before it asks for a serving certificate
        nodeClient.nodes().resource(new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().build())
                .create();
        nodeClient.nodes().withName("worker-1").editStatus(n -> new NodeBuilder(n).withNewStatus()
                .addNewAddress("10.0.0.7", "InternalIP").addNewAddress("worker-1", "Hostname").endStatus().build());
    }

    @AfterAll
    static void stopCluster() {
        controllers.close();
        nodeClient.close();
        admin.close();
        server.close();
        store.close();
    }

    static Node registered() {
        return nodeClient.nodes().withName("worker-1").get();
    }

    static List<CertificateSigningRequest> servingRequests() {
        return admin.certificates().v1().certificateSigningRequests().list().getItems().stream()
                .filter(c -> c.getSpec().getSignerName().equals("kubernetes.io/kubelet-serving")).toList();
    }

    @Test
    void theNodesOwnRequestIsApprovedSignedServedAndReusedAfterARestart() throws Exception {
        ServingBootstrap bootstrap = new ServingBootstrap(server.pki().caCertificate(), dir.resolve("kubelet-pki"));
        ServingTls tls;
        try (ServingCertificateManager manager = new ServingCertificateManager(nodeClient, "worker-1", bootstrap,
                KubeletServingCertificateTest::registered, Clock.systemUTC())) {
            assertThat(manager.get()).as("none before the CSR is signed").isNull();
            manager.start();
            tls = await().atMost(Duration.ofSeconds(60)).until(manager::get, t -> t != null);
        }
        X509Certificate certificate = tls.chain().get(0);
        certificate.verify(server.pki().caCertificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=system:node:worker-1,O=system:nodes");
        assertThat(certificate.getSubjectAlternativeNames()).containsExactlyInAnyOrder(List.of(2, "worker-1"),
                List.of(7, "10.0.0.7"));
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(tls.key().getAlgorithm()).isEqualTo("EC");

        CertificateSigningRequest csr = servingRequests().stream().filter(c -> c.getStatus() != null
                && c.getStatus().getCertificate() != null).findFirst().orElseThrow();
        assertThat(csr.getSpec().getUsername()).isEqualTo("system:node:worker-1");
        assertThat(csr.getSpec().getUsages()).containsExactly("digital signature", "key encipherment", "server auth");
        assertThat(csr.getStatus().getConditions()).anySatisfy(c -> {
            assertThat(c.getType()).isEqualTo("Approved");
            assertThat(c.getReason()).isEqualTo("AutoApproved");
        });

        // a restarted kubelet serves what it stored, without asking again
        int requests = servingRequests().size();
        try (ServingCertificateManager restarted = new ServingCertificateManager(nodeClient, "worker-1", bootstrap,
                KubeletServingCertificateTest::registered, Clock.systemUTC())) {
            assertThat(restarted.get()).isNotNull();
            assertThat(restarted.get().chain().get(0)).isEqualTo(certificate);
            restarted.start();
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .untilAsserted(() -> assertThat(servingRequests()).hasSize(requests));
        }

        // past its rotation deadline (70-90% of its lifetime): a new key, a new certificate, served and stored
        Clock late = new OnceLateClock(certificate.getNotAfter().toInstant().minus(Duration.ofMinutes(1)));
        ServingTls renewed;
        try (ServingCertificateManager rotating = new ServingCertificateManager(nodeClient, "worker-1", bootstrap,
                KubeletServingCertificateTest::registered, late)) {
            assertThat(rotating.get().chain().get(0)).isEqualTo(certificate);
            rotating.start();
            renewed = await().atMost(Duration.ofSeconds(60)).until(rotating::get,
                    t -> !t.chain().get(0).equals(certificate));
        }
        assertThat(renewed.key().getEncoded()).isNotEqualTo(tls.key().getEncoded());
        assertThat(servingRequests()).hasSize(requests + 1);
        try (ServingCertificateManager afterRotation = new ServingCertificateManager(nodeClient, "worker-1", bootstrap,
                KubeletServingCertificateTest::registered, Clock.systemUTC())) {
            assertThat(afterRotation.get().chain().get(0)).isEqualTo(renewed.chain().get(0));
        }
    }

    /** The manager's first look at the time is {@code late}; every later one is now (the renewed one is fresh). */
    static final class OnceLateClock extends Clock {
        private final Instant late;
        private final java.util.concurrent.atomic.AtomicBoolean used = new java.util.concurrent.atomic.AtomicBoolean();

        OnceLateClock(Instant late) {
            this.late = late;
        }

        @Override
        public Instant instant() {
            return used.getAndSet(true) ? Instant.now() : late;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Test
    void aRequestForAnAddressThatIsNotTheNodesIsLeftForAHuman() {
        // the kubelet believes in an address the Node does not have: the approver must not vouch for it
        Node claimed = new NodeBuilder().withNewMetadata().withName("worker-1").endMetadata().withNewStatus()
                .addNewAddress("10.9.9.9", "InternalIP").endStatus().build();
        try (ServingCertificateManager manager = new ServingCertificateManager(nodeClient, "worker-1",
                new ServingBootstrap(server.pki().caCertificate(), dir.resolve("foreign-pki")), () -> claimed,
                Clock.systemUTC())) {
            manager.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> servingRequests().stream().anyMatch(c ->
                    c.getStatus() == null || c.getStatus().getConditions() == null
                            || c.getStatus().getConditions().isEmpty()));
            await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
                assertThat(manager.get()).isNull();
                assertThat(servingRequests()).filteredOn(c -> c.getStatus() == null
                        || c.getStatus().getConditions() == null || c.getStatus().getConditions().isEmpty())
                        .singleElement().satisfies(c -> assertThat(c.getSpec().getUsername())
                                .isEqualTo("system:node:worker-1"));
            });
        }
    }
}
