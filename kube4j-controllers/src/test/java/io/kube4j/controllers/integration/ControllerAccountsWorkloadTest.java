package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.controllers.ControllerManager;
import io.kube4j.controllers.ControllerManagerOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Every controller on its own service account against a secure API server, through a workload's life: a
 * Deployment rolls out (deployment, replicaset), a Service gets its EndpointSlice, the cascade of a deleted
 * Deployment is collected (garbage collector), a Job completes (job) and a namespace is emptied and removed (namespace). No request of a
 * controller account is refused on the way: the roles cover what the controllers do.
 */
class ControllerAccountsWorkloadTest {
    private static final String CONTROLLERS = "system:serviceaccount:kube-system:";

    @RegisterExtension
    final TestServer server = TestServer.perTest().withConfig(ServiceAccountCredentialsTest::secure);

    @Test
    void aWorkloadLivesAndDiesWithoutARefusedControllerRequest() throws Exception {
        Path dir = server.dir();
        try (KubernetesClient admin = ServiceAccountCredentialsTest.client(dir.resolve("admin.kubeconfig"));
             KubernetesClient managerClient = ServiceAccountCredentialsTest.client(
                     dir.resolve("kube-controller-manager.kubeconfig"));
             ApiKubelet kubelet = new ApiKubelet(admin, List.of("node-1"));
             ControllerManager manager = ControllerManager.start(managerClient, new ControllerManagerOptions()
                     .leaderElect(false).controllers(Set.of("*")))) {
            assertThat(manager.awaitRunning(Duration.ofSeconds(60))).as("controllers started").isTrue();
            admin.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps").endMetadata()
                    .build()).create();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    admin.serviceAccounts().inNamespace("apps").withName("default").get() != null);

            Map<String, String> labels = Map.of("app", "web");
            admin.apps().deployments().inNamespace("apps").resource(new DeploymentBuilder().withNewMetadata()
                    .withName("web").endMetadata().withNewSpec().withReplicas(2).withNewSelector()
                    .withMatchLabels(labels).endSelector().withNewTemplate().withNewMetadata().withLabels(labels)
                    .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer()
                    .endSpec().endTemplate().endSpec().build()).create();
            admin.services().inNamespace("apps").resource(new ServiceBuilder().withNewMetadata().withName("web")
                    .endMetadata().withNewSpec().withSelector(labels).addNewPort().withPort(80).endPort().endSpec()
                    .build()).create();

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Deployment d = admin.apps().deployments().inNamespace("apps").withName("web").get();
                assertThat(d.getStatus()).isNotNull();
                assertThat(d.getStatus().getAvailableReplicas()).isEqualTo(2);
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                List<EndpointSlice> slices = admin.discovery().v1().endpointSlices().inNamespace("apps")
                        .withLabel("kubernetes.io/service-name", "web").list().getItems();
                assertThat(slices).hasSize(1);
                assertThat(slices.get(0).getEndpoints()).hasSize(2);
            });

            // a Job whose pod succeeds: the job controller removes the pod's tracking finalizer (a patch - its role
            // may not get pods) and only then counts it and completes the Job
            kubelet.outcome(pod -> pod.getMetadata().getLabels() != null
                    && pod.getMetadata().getLabels().containsKey("job-name") ? PodOutcome.SUCCEED : PodOutcome.RUN);
            admin.batch().v1().jobs().inNamespace("apps").resource(new JobBuilder().withNewMetadata().withName("once")
                    .endMetadata().withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never")
                    .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate()
                    .endSpec().build()).create();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                Job job = admin.batch().v1().jobs().inNamespace("apps").withName("once").get();
                assertThat(job.getStatus()).isNotNull();
                assertThat(job.getStatus().getSucceeded()).isEqualTo(1);
                assertThat(job.getStatus().getConditions()).anyMatch(c -> c.getType().equals("Complete")
                        && c.getStatus().equals("True"));
            });
            assertThat(admin.pods().inNamespace("apps").withLabel("job-name", "once").list().getItems())
                    .allMatch(pod -> pod.getMetadata().getFinalizers() == null
                            || pod.getMetadata().getFinalizers().isEmpty());

            // background propagation: the garbage collector removes the ReplicaSet and its pods
            admin.apps().deployments().inNamespace("apps").withName("web")
                    .withPropagationPolicy(io.fabric8.kubernetes.api.model.DeletionPropagation.BACKGROUND).delete();
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(admin.apps().replicaSets().inNamespace("apps").list().getItems()).isEmpty();
                assertThat(admin.pods().inNamespace("apps").withLabel("app", "web").list().getItems()).isEmpty();
            });
            assertThat(refused()).as("controller requests refused before the namespace goes").isEmpty();

            admin.namespaces().withName("apps").delete();
            await().atMost(Duration.ofSeconds(90)).until(() -> admin.namespaces().withName("apps").get() == null);
            // in a terminating namespace NamespaceLifecycle refuses creates with 403 (the serviceaccount
            // controller may race it); nothing else may be refused
            assertThat(refused()).allMatch(line -> line.contains("\"verb\":\"create\"")
                    && line.contains("\"namespace\":\"apps\""));
            // and the work above was done by the controllers' own accounts
            assertThat(users()).contains(CONTROLLERS + "deployment-controller", CONTROLLERS + "job-controller", CONTROLLERS + "replicaset-controller",
                    CONTROLLERS + "endpointslice-controller", CONTROLLERS + "generic-garbage-collector",
                    CONTROLLERS + "namespace-controller", CONTROLLERS + "service-account-controller");
        }
    }

    /** Who made the requests the audit log records. */
    private Set<String> users() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(server.dir().resolve("audit.log")).stream()
                .map(line -> json.readTree(line).path("user").path("username").asString(""))
                .collect(java.util.stream.Collectors.toSet());
    }

    /** Audit lines of controller-account requests answered 403. */
    private List<String> refused() throws Exception {
        ObjectMapper json = new ObjectMapper();
        return Files.readAllLines(server.dir().resolve("audit.log")).stream().filter(line -> {
            JsonNode e = json.readTree(line);
            return e.path("user").path("username").asString("").startsWith(CONTROLLERS)
                    && e.path("responseStatus").path("code").asInt() == 403;
        }).toList();
    }
}
