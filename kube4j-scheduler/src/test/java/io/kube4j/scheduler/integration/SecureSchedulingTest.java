package io.kube4j.scheduler.integration;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.kube4j.apiserver.SecurityOptions;
import io.kube4j.apiserver.e2e.TestServer;
import io.kube4j.scheduler.Scheduler;
import io.kube4j.scheduler.SchedulerOptions;
import io.kube4j.scheduler.testing.Nodes;
import io.kube4j.scheduler.testing.Pods;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.file.Files;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The scheduler against an API server serving TLS only, with client-certificate authentication and admission, as
 * inside {@code kube4j server}: its pod watch (a WebSocket over TLS), the binding and the event all go through the
 * secure port, and pods carry what admission gives them (the Priority plugin resolving a priorityClassName).
 */
class SecureSchedulingTest {
    @RegisterExtension
    final TestServer server = TestServer.perTest()
            .withConfig(c -> c.withSecurity(SecurityOptions.defaults(c.dataDir())));
    private KubernetesClient client;

    @BeforeEach
    void start() throws Exception {
        client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(Files.readString(server.kubeconfig()))).build();
        // the secure server runs ServiceAccount admission, and no controller manager makes the default account
        client.serviceAccounts().inNamespace("default").resource(new ServiceAccountBuilder()
                .withNewMetadata().withName("default").endMetadata().build()).create();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
    }

    /** A test pod as a user would send it: no uid or creation time of its own. */
    private Pod create(Pods pod) {
        Pod p = pod.build();
        p.getMetadata().setUid(null);
        p.getMetadata().setCreationTimestamp(null);
        return client.pods().inNamespace("default").resource(p).create();
    }

    private Pod pod(String name) {
        return client.pods().inNamespace("default").withName(name).get();
    }

    @Test
    void schedulesOverTls() {
        assertThat(client.getMasterUrl().getProtocol()).isEqualTo("https");
        client.nodes().resource(Nodes.node("n1").cpu("2").build()).create();
        create(Pods.pod("before").cpu("100m"));
        try (Scheduler scheduler = Scheduler.start(client, SchedulerOptions.defaults().leaderElect(false).identity("tls-it"))) {
            create(Pods.pod("after").cpu("100m"));
            // "before" comes from the list, "after" from the watch
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(pod("before").getSpec().getNodeName()).isEqualTo("n1");
                assertThat(pod("after").getSpec().getNodeName()).isEqualTo("n1");
            });
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(client.v1().events().inNamespace("default")
                    .list().getItems()).filteredOn(e -> "Scheduled".equals(e.getReason())).hasSize(2));
        }
    }

    @Test
    void aPodNamingOnlyAPriorityClassPreemptsALowerPriorityPod() {
        client.scheduling().v1().priorityClasses().resource(new PriorityClassBuilder()
                .withNewMetadata().withName("high").endMetadata().withValue(1000).build()).create();
        client.nodes().resource(Nodes.node("n1").cpu("1").build()).create();
        Pod low = create(Pods.pod("low").cpu("1").nodeName("n1"));
        assertThat(low.getSpec().getPriority()).isZero();
        try (Scheduler scheduler = Scheduler.start(client, SchedulerOptions.defaults().leaderElect(false).identity("tls-it"))) {
            Pod urgent = create(Pods.pod("urgent").cpu("1").edit(b -> b.editSpec().withPriorityClassName("high").endSpec()));
            assertThat(urgent.getSpec().getPriority()).as("the Priority admission plugin resolved the class").isEqualTo(1000);

            await().atMost(Duration.ofSeconds(30)).until(() -> pod("low").getMetadata().getDeletionTimestamp() != null);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(pod("urgent").getStatus().getNominatedNodeName()).isEqualTo("n1"));
            // no kubelet here: act as one and let the victim go, then the preemptor binds
            client.pods().inNamespace("default").withName("low").withGracePeriod(0).delete();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(pod("urgent").getSpec().getNodeName()).isEqualTo("n1"));
        }
    }
}
