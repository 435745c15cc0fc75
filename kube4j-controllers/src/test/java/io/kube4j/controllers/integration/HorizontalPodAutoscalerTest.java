package io.kube4j.controllers.integration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v1.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerManagerOptions;
import io.kube4j.controllers.podautoscaler.PodMetricsSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The autoscaler on a real API server: scale subresource, conditions, events, v1 objects. */
class HorizontalPodAutoscalerTest {
    static final String NS = "hpa";

    @TempDir
    Path dir;
    ApiServerCluster cluster;
    KubernetesClient client;

    @BeforeEach
    void start() {
        cluster = ApiServerCluster.start(dir);
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1");
    }

    @AfterEach
    void stop() {
        cluster.close();
    }

    private void deployment(String name, int replicas) {
        Deployment d = new DeploymentBuilder().withNewMetadata().withName(name).withNamespace(NS).endMetadata()
                .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(Map.of("app", name)).endSelector()
                .withNewTemplate().withNewMetadata().withLabels(Map.of("app", name)).endMetadata()
                .withNewSpec().addNewContainer().withName("c").withImage("img").withNewResources()
                .addToRequests("cpu", new Quantity("100m")).endResources().endContainer().endSpec()
                .endTemplate().endSpec().build();
        client.apps().deployments().inNamespace(NS).resource(d).create();
    }

    private void hpaV1(String name, int min, int max, int cpuPercent) {
        client.autoscaling().v1().horizontalPodAutoscalers().inNamespace(NS).resource(new HorizontalPodAutoscalerBuilder()
                .withNewMetadata().withName(name).endMetadata().withNewSpec().withMinReplicas(min).withMaxReplicas(max)
                .withTargetCPUUtilizationPercentage(cpuPercent).withNewScaleTargetRef().withApiVersion("apps/v1")
                .withKind("Deployment").withName(name).endScaleTargetRef().endSpec().build()).create();
    }

    private HorizontalPodAutoscaler hpa(String name) {
        return client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).withName(name).get();
    }

    private HorizontalPodAutoscalerCondition condition(String name, String type) {
        HorizontalPodAutoscaler h = hpa(name);
        if (h == null || h.getStatus() == null || h.getStatus().getConditions() == null) {
            return null;
        }
        return h.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private int replicas(String name) {
        return client.apps().deployments().inNamespace(NS).withName(name).get().getSpec().getReplicas();
    }

    private List<Event> events(String name, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())).toList();
    }

    @Test
    void withoutMetricsItSaysSoAndDoesNotScale() throws Exception {
        cluster.startControllers(new ControllerManagerOptions().hpaSyncPeriod(Duration.ofMillis(500)),
                "deployment", "replicaset", "horizontalpodautoscaling");
        deployment("web", 2);
        hpaV1("web", 1, 5, 50);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscalerCondition active = condition("web", "ScalingActive");
            assertThat(active).isNotNull();
            assertThat(active.getStatus()).isEqualTo("False");
            assertThat(active.getReason()).isEqualTo("FailedGetResourceMetric");
            // kube4j's API server serves metrics.k8s.io, but no kubelet reports here: nothing is returned
            assertThat(active.getMessage()).isEqualTo("the HPA was unable to compute the replica count: failed to get cpu "
                    + "utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API");
            assertThat(condition("web", "AbleToScale").getReason()).isEqualTo("SucceededGetScale");
            assertThat(events("web", "FailedGetResourceMetric")).isNotEmpty();
        });
        assertThat(hpa("web").getStatus().getCurrentReplicas()).isEqualTo(2);
        Thread.sleep(1500);
        assertThat(replicas("web")).isEqualTo(2);
        assertThat(events("web", "SuccessfulRescale")).isEmpty();
        // The warning is written when the condition changes, not on every sync.
        assertThat(events("web", "FailedGetResourceMetric")).hasSize(1);
    }

    @Test
    void scalesThroughTheScaleSubresourceWithinRateAndMax() {
        // Every pod reports 200m against a 100m request: 200% of request, four times the 50% target.
        PodMetricsSource busy = (namespace, resource) -> {
            Map<String, Long> usage = new HashMap<>();
            client.pods().inNamespace(namespace).list().getItems()
                    .forEach(p -> usage.put(p.getMetadata().getName(), 200L));
            return usage;
        };
        AtomicInteger highest = new AtomicInteger();
        cluster.startKubelet("node-2");
        try {
            cluster.startControllers(new ControllerManagerOptions().hpaSyncPeriod(Duration.ofMillis(500))
                    .hpaMetrics(c -> busy), "deployment", "replicaset", "horizontalpodautoscaling");
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        deployment("api", 2);
        hpaV1("api", 1, 10, 50);
        // A v1 object's own target counts: at 190% 200% usage is within tolerance (80%, the default, would scale).
        deployment("steady", 2);
        hpaV1("steady", 1, 10, 190);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            highest.accumulateAndGet(replicas("api"), Math::max);
            assertThat(replicas("api")).isEqualTo(10);
        });
        assertThat(highest.get()).isLessThanOrEqualTo(10);
        // From 2, the default scale-up policy allows at most max(2 + 4, 2 * 2) = 6 in the first step.
        assertThat(events("api", "SuccessfulRescale")).extracting(Event::getMessage)
                .contains("New size: 6; reason: cpu resource utilization (percentage of request) above target");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscaler h = hpa("api");
            assertThat(h.getStatus().getCurrentReplicas()).isEqualTo(10);
            assertThat(h.getStatus().getLastScaleTime()).isNotNull();
            assertThat(condition("api", "ScalingActive").getReason()).isEqualTo("ValidMetricFound");
            assertThat(condition("api", "ScalingLimited").getReason()).isEqualTo("TooManyReplicas");
            assertThat(h.getStatus().getCurrentMetrics().get(0).getResource().getCurrent().getAverageUtilization())
                    .isEqualTo(200);
            HorizontalPodAutoscaler steady = hpa("steady");
            assertThat(condition("steady", "ScalingActive").getReason()).isEqualTo("ValidMetricFound");
            assertThat(steady.getStatus().getDesiredReplicas()).isEqualTo(2);
        });
        assertThat(replicas("steady")).isEqualTo(2);
        assertThat(events("steady", "SuccessfulRescale")).isEmpty();
    }
}
