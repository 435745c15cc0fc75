package io.kube4j.controllers.resourcequota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.integration.ApiServerCluster;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The quota controller's usage sums on a real kube4j API server. */
class ResourceQuotaControllerTest {
    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace("q");
    }

    @Test
    void formatsSummedQuantities() {
        assertThat(QuantityFormat.format(new BigDecimal("0.75"), false).toString()).isEqualTo("750m");
        assertThat(QuantityFormat.format(new BigDecimal("2"), false).toString()).isEqualTo("2");
        assertThat(QuantityFormat.format(new BigDecimal(256L * 1024 * 1024), true).toString()).isEqualTo("256Mi");
        assertThat(QuantityFormat.format(BigDecimal.ZERO, true).toString()).isEqualTo("0");
    }

    @Test
    void usedCountsObjectsAndSumsPodRequests() throws Exception {
        for (int i = 0; i < 3; i++) {
            Pod created = client.pods().inNamespace("q").resource(new PodBuilder().withNewMetadata().withName("p" + i)
                    .endMetadata().withNewSpec().addNewContainer().withName("c").withImage("x").withNewResources()
                    .withRequests(Map.of("cpu", new Quantity("250m"), "memory", new Quantity("128Mi")))
                    .withLimits(Map.of("cpu", new Quantity("500m"))).endResources().endContainer().endSpec().build())
                    .create();
            // the phase its kubelet would report (a status sent on create is dropped); a finished pod uses no quota
            client.pods().inNamespace("q").resource(new PodBuilder(created).withNewStatus()
                    .withPhase(i == 2 ? "Succeeded" : "Running").endStatus().build()).updateStatus();
        }
        client.configMaps().inNamespace("q").resource(new ConfigMapBuilder().withNewMetadata().withName("cm").endMetadata()
                .build()).create();
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        client.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata().withName("quota")
                .endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("10"), "requests.cpu", new Quantity("2"),
                        "requests.memory", new Quantity("1Gi"), "limits.cpu", new Quantity("4"),
                        "count/configmaps", new Quantity("5"), "count/pods", new Quantity("10"))).endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> {
            ResourceQuota q = client.resourceQuotas().inNamespace("q").withName("quota").get();
            Map<String, Quantity> used = q.getStatus().getUsed();
            assertThat(used.get("pods").toString()).isEqualTo("2");
            // count/pods counts every pod stored, the finished one too (upstream's PodUsageFunc)
            assertThat(used.get("count/pods").toString()).isEqualTo("3");
            assertThat(used.get("requests.cpu").toString()).isEqualTo("500m");
            assertThat(used.get("requests.memory").toString()).isEqualTo("256Mi");
            assertThat(used.get("limits.cpu").toString()).isEqualTo("1");
            assertThat(used.get("count/configmaps").toString()).isEqualTo("1");
            assertThat(q.getStatus().getHard()).containsKey("pods");
        });
    }

    @Test
    void aTerminatingPodIsChargedUntilItsGracePeriodHasPassed() throws Exception {
        deleteGracefully(createScheduledPod("leaving"));
        cluster.startControllers(new ControllerManagerOptions(), "resourcequota");
        createQuota();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "1").containsEntry("count/pods", "1").containsEntry("requests.cpu", "250m"));
    }

    @Test
    void aPodTerminatingLongerThanItsGracePeriodCountsOnlyAsStored() throws Exception {
        deleteGracefully(createScheduledPod("stuck"));
        // as if its node were lost an hour ago: the pod stays stored, terminating, long past its 30s of grace
        cluster.startControllers(new ControllerManagerOptions().clock(Clock.offset(Clock.systemUTC(),
                Duration.ofHours(1))), "resourcequota");
        createQuota();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().untilAsserted(() -> assertThat(used())
                .containsEntry("pods", "0").containsEntry("count/pods", "1").containsEntry("requests.cpu", "0"));
    }

    /** A pod bound to a node, so that its deletion is graceful (no kubelet runs here to finish it). */
    private Pod createScheduledPod(String name) {
        return client.pods().inNamespace("q").resource(new PodBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withNodeName("node-1").addNewContainer().withName("c").withImage("x").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("250m"))).endResources().endContainer().endSpec().build())
                .create();
    }

    private void deleteGracefully(Pod pod) {
        client.pods().inNamespace("q").resource(pod).delete();
        Pod terminating = client.pods().inNamespace("q").withName(pod.getMetadata().getName()).get();
        assertThat(terminating.getMetadata().getDeletionTimestamp()).as("deletion is graceful").isNotNull();
        assertThat(terminating.getMetadata().getDeletionGracePeriodSeconds()).isEqualTo(30L);
    }

    private void createQuota() {
        client.resourceQuotas().inNamespace("q").resource(new ResourceQuotaBuilder().withNewMetadata().withName("quota")
                .endMetadata().withNewSpec().withHard(Map.of("pods", new Quantity("10"), "count/pods",
                        new Quantity("10"), "requests.cpu", new Quantity("2"))).endSpec().build()).create();
    }

    private Map<String, String> used() {
        Map<String, String> used = new TreeMap<>();
        client.resourceQuotas().inNamespace("q").withName("quota").get().getStatus().getUsed()
                .forEach((name, quantity) -> used.put(name, quantity.toString()));
        return used;
    }
}
