package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kube4j.apiserver.ApiServerConfig;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.clientbuilder.ControllerClientBuilder;
import io.kube4j.controllers.clientbuilder.ControllerClientBuilders;
import io.kube4j.controllers.clientbuilder.SharedClientBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Against a securely serving API server: the controller manager's certificate (system:kube-controller-manager)
 * gets upstream's narrow role, and each controller acts as its own kube-system service account with a
 * TokenRequest token, so its writes and events are its account's and a controller cannot step outside its role.
 */
class ServiceAccountCredentialsTest {
    private static final String JOB_CONTROLLER = "system:serviceaccount:kube-system:job-controller";

    @RegisterExtension
    static final TestServer server = TestServer.perClass().withConfig(ServiceAccountCredentialsTest::secure);

    static KubernetesClient admin;
    static KubernetesClient managerClient;
    static ControllerManager manager;

    @BeforeAll
    static void start() throws Exception {
        admin = client(server.dir().resolve("admin.kubeconfig"));
        managerClient = client(server.dir().resolve("kube-controller-manager.kubeconfig"));
        manager = ControllerManager.start(managerClient, new ControllerManagerOptions().leaderElect(false)
                .controllers(Set.of("job", "replicaset", "serviceaccount")));
        assertThat(manager.awaitRunning(Duration.ofSeconds(60))).as("controllers started").isTrue();
    }

    @AfterAll
    static void stop() {
        if (manager != null) {
            manager.close();
        }
        if (managerClient != null) {
            managerClient.close();
        }
        if (admin != null) {
            admin.close();
        }
    }

    /** Serving TLS only, as {@code kube4j server}, with an audit log in the data directory: who did what. */
    static ApiServerConfig secure(ApiServerConfig config) {
        return config.withSecurity(SecurityOptions.defaults(config.dataDir())
                .withAuditLogPath(config.dataDir().resolve("audit.log")));
    }

    /** A client from one of the kubeconfigs the secure server writes, told its key's algorithm as the CLI does. */
    static KubernetesClient client(Path kubeconfig) throws IOException {
        Config config = Config.fromKubeconfig(null, Files.readString(kubeconfig), kubeconfig.toString());
        String pem = new String(java.util.Base64.getDecoder().decode(config.getClientKeyData().trim()),
                java.nio.charset.StandardCharsets.US_ASCII);
        config.setClientKeyAlgo(io.kube4j.apiserver.pki.Pem.parsePrivateKey(pem).getAlgorithm().equals("RSA")
                ? "RSA" : "EC");
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    @Test
    void eachControllerGetsItsOwnServiceAccount() {
        assertThat(admin.serviceAccounts().inNamespace("kube-system").withName("job-controller").get()).isNotNull();
        assertThat(admin.serviceAccounts().inNamespace("kube-system").withName("replicaset-controller").get())
                .isNotNull();
        assertThat(manager.clientOf("job")).isNotSameAs(managerClient).isNotSameAs(manager.clientOf("replicaset"));
        assertThat(manager.clientOf("job").authentication().v1().selfSubjectReviews()
                .create(new io.fabric8.kubernetes.api.model.authentication.SelfSubjectReview())
                .getStatus().getUserInfo().getUsername()).isEqualTo(JOB_CONTROLLER);
    }

    @Test
    void aControllerCannotDoWhatItsRoleDoesNotAllow() {
        KubernetesClient job = manager.clientOf("job");
        // its role lists pods: the token itself is good
        assertThat(job.pods().inNamespace("default").list().getItems()).isNotNull();
        assertThatThrownBy(() -> job.secrets().inNamespace("kube-system").list())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(403);
                    assertThat(e.getStatus().getMessage()).isEqualTo("secrets is forbidden: User \"" + JOB_CONTROLLER
                            + "\" cannot list resource \"secrets\" in API group \"\" in the namespace \"kube-system\"");
                });
        // the replicaset controller may not touch jobs, and the manager's own identity may not create pods
        assertThatThrownBy(() -> manager.clientOf("replicaset").batch().v1().jobs().inNamespace("default")
                .withName("x").delete())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
        assertThatThrownBy(() -> managerClient.pods().inNamespace("default").resource(new io.fabric8.kubernetes.api
                .model.PodBuilder().withNewMetadata().withName("p").endMetadata().withNewSpec().addNewContainer()
                .withName("c").withImage("busybox").endContainer().endSpec().build()).create())
                .isInstanceOfSatisfying(KubernetesClientException.class, e -> assertThat(e.getCode()).isEqualTo(403));
    }

    @Test
    void theJobControllerWritesPodsAndEventsAsItsServiceAccount() throws Exception {
        admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("batch-work").endMetadata()
                .build()).create();
        Job job = new JobBuilder().withNewMetadata().withName("once").withNamespace("batch-work").endMetadata()
                .withNewSpec().withTemplate(new PodTemplateSpecBuilder().withNewSpec().withRestartPolicy("Never")
                        .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().build())
                .endSpec().build();
        admin.batch().v1().jobs().inNamespace("batch-work").resource(job).create();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(admin.v1().events()
                .inNamespace("batch-work").list().getItems())
                .anySatisfy(e -> assertThat(e.getReason()).isEqualTo("SuccessfulCreate")));
        assertThat(admin.pods().inNamespace("batch-work").list().getItems()).isNotEmpty();

        ObjectMapper json = new ObjectMapper();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            List<JsonNode> writes = Files.readAllLines(server.dir().resolve("audit.log")).stream().map(json::readTree)
                    .filter(e -> e.path("verb").asString("").equals("create")
                            && e.path("objectRef").path("namespace").asString("").equals("batch-work")
                            && e.path("responseStatus").path("code").asInt() == 201)
                    .toList();
            Map<String, List<String>> byResource = new java.util.TreeMap<>();
            for (JsonNode w : writes) {
                byResource.computeIfAbsent(w.path("objectRef").path("resource").asString(""),
                        r -> new java.util.ArrayList<>()).add(w.path("user").path("username").asString(""));
            }
            assertThat(byResource.get("serviceaccounts")).containsExactly(
                    "system:serviceaccount:kube-system:service-account-controller");
            assertThat(byResource.get("pods")).isNotEmpty().allMatch(JOB_CONTROLLER::equals);
            assertThat(byResource.get("events")).isNotEmpty().allMatch(JOB_CONTROLLER::equals);
        });
    }

    @Test
    void theManagersOwnIdentityHoldsAndRenewsItsLease() throws Exception {
        try (ControllerManager leader = ControllerManager.start(managerClient, new ControllerManagerOptions()
                .controllers(Set.of("serviceaccount")).leaseDuration(Duration.ofSeconds(4))
                .renewDeadline(Duration.ofSeconds(3)).retryPeriod(Duration.ofSeconds(1)))) {
            assertThat(leader.awaitRunning(Duration.ofSeconds(60))).as("won the lease").isTrue();
            var lease = admin.leases().inNamespace("kube-system").withName("kube-controller-manager");
            String firstRenewal = String.valueOf(lease.get().getSpec().getRenewTime());
            // a renewal is a write the manager's narrow role must allow
            await().atMost(Duration.ofSeconds(20)).until(() ->
                    !String.valueOf(lease.get().getSpec().getRenewTime()).equals(firstRenewal));
            assertThat(leader.isLeading()).isTrue();
            assertThat(lease.get().getSpec().getHolderIdentity()).isNotEmpty();
        }
    }

    @Test
    void anUnsecuredServerKeepsTheSingleClient(@TempDir Path unsecured) {
        try (ApiServerCluster cluster = ApiServerCluster.start(unsecured);
             ControllerClientBuilder clients = ControllerClientBuilders.create(cluster.client(), true,
                     Duration.ofHours(1), Clock.systemUTC())) {
            assertThat(clients).isInstanceOf(SharedClientBuilder.class);
            assertThat(clients.clientFor("job-controller")).isSameAs(cluster.client());
            assertThat(cluster.client().serviceAccounts().inNamespace("kube-system").withName("job-controller")
                    .get()).isNull();
        }
    }

    @Test
    void theFlagTurnsServiceAccountsOff() {
        try (ControllerClientBuilder clients = ControllerClientBuilders.create(managerClient, false,
                Duration.ofHours(1), Clock.systemUTC())) {
            assertThat(clients.clientFor("job-controller")).isSameAs(managerClient);
        }
    }
}
