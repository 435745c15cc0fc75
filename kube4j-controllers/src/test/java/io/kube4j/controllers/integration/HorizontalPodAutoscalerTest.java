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
import io.kube4j.controllers.podautoscaler.PodMetricsSource.ContainerUsage;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The autoscaler on a real API server: scale subresource, conditions, events, v1 objects. */
class HorizontalPodAutoscalerTest {
    static final String NS = "hpa";

    @RegisterExtension
    final ApiServerCluster cluster = ApiServerCluster.perTest();
    KubernetesClient client;

    @BeforeEach
    void start() {
        client = cluster.client();
        cluster.createNamespace(NS);
        cluster.startKubelet("node-1");
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
        // upstream's summary quotes the metric's error inside its own words
        assertThat(events("web", "FailedComputeMetricsReplicas")).extracting(Event::getMessage).containsExactly(
                "invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed "
                        + "to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from "
                        + "resource metrics API");
    }

    private void containerHpa(String name, String container) {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).resource(
                new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                        .withNewMetadata().withName(name).endMetadata().withNewSpec().withMinReplicas(1)
                        .withMaxReplicas(3).withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(name).endScaleTargetRef().addNewMetric().withType("ContainerResource")
                        .withNewContainerResource().withName("cpu").withContainer(container).withNewTarget()
                        .withType("Utilization").withAverageUtilization(50).endTarget().endContainerResource()
                        .endMetric().endSpec().build()).create();
    }

    /** ContainerResource metrics: the container's usage against its request, named as upstream names them. */
    @Test
    void aContainerResourceMetricIsReadFromItsContainerAndNamedSo() throws Exception {
        // container c uses 200m of its 100m request; the pod's other (unrequested) container is not counted
        PodMetricsSource perContainer = (namespace, resource) -> {
            Map<String, List<ContainerUsage>> usage = new HashMap<>();
            client.pods().inNamespace(namespace).list().getItems().forEach(p -> usage.put(p.getMetadata().getName(),
                    List.of(new ContainerUsage("c", 200L), new ContainerUsage("log", 5L))));
            return usage;
        };
        cluster.startControllers(new ControllerManagerOptions().hpaSyncPeriod(Duration.ofMillis(500))
                .hpaMetrics(c -> perContainer), "deployment", "replicaset", "horizontalpodautoscaling");
        deployment("web", 1);
        containerHpa("web", "c");
        deployment("other", 1);
        containerHpa("other", "absent");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(replicas("web")).isEqualTo(3);
            HorizontalPodAutoscalerCondition active = condition("web", "ScalingActive");
            assertThat(active.getMessage()).isEqualTo("the HPA was able to successfully calculate a replica count from "
                    + "cpu container resource utilization (percentage of request)");
            var current = hpa("web").getStatus().getCurrentMetrics().get(0);
            assertThat(current.getType()).isEqualTo("ContainerResource");
            assertThat(current.getContainerResource().getContainer()).isEqualTo("c");
            assertThat(current.getContainerResource().getName()).isEqualTo("cpu");
            assertThat(current.getContainerResource().getCurrent().getAverageUtilization()).isEqualTo(200);
        });
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("web", "SuccessfulRescale"))
                .extracting(Event::getMessage)
                .contains("New size: 3; reason: cpu container resource utilization (percentage of request) above target"));

        String pod = client.pods().inNamespace(NS).withLabel("app", "other").list().getItems().get(0).getMetadata()
                .getName();
        String error = "failed to get cpu utilization: unable to get metrics for resource cpu: failed to get container "
                + "metrics: container absent not present in metrics for pod " + NS + "/" + pod;
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscalerCondition active = condition("other", "ScalingActive");
            assertThat(active).isNotNull();
            assertThat(active.getStatus()).isEqualTo("False");
            assertThat(active.getReason()).isEqualTo("FailedGetContainerResourceMetric");
            assertThat(active.getMessage()).isEqualTo("the HPA was unable to compute the replica count: " + error);
            // (a sync before the pod existed may have warned of no pods first)
            assertThat(events("other", "FailedGetContainerResourceMetric")).extracting(Event::getMessage)
                    .contains(error);
            assertThat(events("other", "FailedComputeMetricsReplicas")).extracting(Event::getMessage).contains(
                    "invalid metrics (1 invalid out of 1), first error is: failed to get absent container metric "
                            + "value: " + error);
        });
        assertThat(replicas("other")).isEqualTo(1);
    }

    /** A CPU utilization metric at 50% and a memory one no pod requests, so that it cannot be computed. */
    private void cpuAndUnrequestedMemoryHpa(String name) {
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(NS).resource(
                new io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder()
                        .withNewMetadata().withName(name).endMetadata().withNewSpec().withMinReplicas(1)
                        .withMaxReplicas(10).withNewScaleTargetRef().withApiVersion("apps/v1").withKind("Deployment")
                        .withName(name).endScaleTargetRef()
                        .addNewMetric().withType("Resource").withNewResource().withName("cpu").withNewTarget()
                        .withType("Utilization").withAverageUtilization(50).endTarget().endResource().endMetric()
                        .addNewMetric().withType("Resource").withNewResource().withName("memory").withNewTarget()
                        .withType("Utilization").withAverageUtilization(50).endTarget().endResource().endMetric()
                        .endSpec().build()).create();
    }

    /**
     * Upstream refuses to act when a metric is invalid and the valid ones would scale down ({@code replicas <
     * specReplicas}); when they keep the count it goes on, ScalingActive true, and warns only of the broken metric.
     */
    @Test
    void anInvalidMetricBlocksAScaleDownButNotAnUnchangedCount() throws Exception {
        // "even" pods use 50m of their 100m cpu request (the target exactly), "idle" ones 10m: both report memory too
        PodMetricsSource usage = (namespace, resource) -> {
            Map<String, List<ContainerUsage>> out = new HashMap<>();
            client.pods().inNamespace(namespace).list().getItems().forEach(p -> out.put(p.getMetadata().getName(),
                    List.of(new ContainerUsage("c", p.getMetadata().getName().startsWith("even-") ? 50L : 10L))));
            return out;
        };
        cluster.startControllers(new ControllerManagerOptions().hpaSyncPeriod(Duration.ofMillis(500))
                .hpaMetrics(c -> usage), "deployment", "replicaset", "horizontalpodautoscaling");
        deployment("even", 2);
        cpuAndUnrequestedMemoryHpa("even");
        deployment("idle", 2);
        cpuAndUnrequestedMemoryHpa("idle");
        String missing = "failed to get memory utilization: missing request for memory in container c of Pod ";

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscalerCondition active = condition("even", "ScalingActive");
            assertThat(active).isNotNull();
            assertThat(active.getStatus()).isEqualTo("True");
            assertThat(active.getReason()).isEqualTo("ValidMetricFound");
            assertThat(active.getMessage()).isEqualTo("the HPA was able to successfully calculate a replica count from "
                    + "cpu resource utilization (percentage of request)");
            assertThat(hpa("even").getStatus().getDesiredReplicas()).isEqualTo(2);
            assertThat(events("even", "FailedGetResourceMetric")).extracting(Event::getMessage)
                    .anyMatch(m -> m.startsWith(missing + "even-"));

            HorizontalPodAutoscalerCondition refused = condition("idle", "ScalingActive");
            assertThat(refused).isNotNull();
            assertThat(refused.getStatus()).isEqualTo("False");
            assertThat(refused.getReason()).isEqualTo("FailedGetResourceMetric");
            assertThat(refused.getMessage()).startsWith("the HPA was unable to compute the replica count: " + missing
                    + "idle-");
            assertThat(events("idle", "FailedComputeMetricsReplicas")).extracting(Event::getMessage)
                    .anyMatch(m -> m.startsWith("invalid metrics (1 invalid out of 2), first error is: failed to get "
                            + "memory resource metric value: " + missing + "idle-"));
        });
        // the summary event belongs to a refusal (one sync may have come before the pods, with none to measure)
        assertThat(events("even", "FailedComputeMetricsReplicas")).extracting(Event::getMessage)
                .noneMatch(m -> m.startsWith("invalid metrics (1 invalid out of 2)"));
        assertThat(replicas("even")).isEqualTo(2);
        assertThat(replicas("idle")).isEqualTo(2);
        assertThat(events("idle", "SuccessfulRescale")).isEmpty();
    }

    /**
     * Upstream counts the scale an autoscaler first finds as a recommendation: a new HPA over an idle target holds
     * it for the scale-down stabilization window (5 minutes by default) instead of scaling down at its first sync.
     */
    @Test
    void aNewAutoscalerHoldsTheScaleItFindsForTheScaleDownWindow() throws Exception {
        PodMetricsSource idle = (namespace, resource) -> {
            Map<String, List<ContainerUsage>> out = new HashMap<>();
            client.pods().inNamespace(namespace).list().getItems()
                    .forEach(p -> out.put(p.getMetadata().getName(), List.of(new ContainerUsage("c", 10L))));
            return out;
        };
        cluster.startControllers(new ControllerManagerOptions().hpaSyncPeriod(Duration.ofMillis(500))
                .hpaMetrics(c -> idle), "deployment", "replicaset", "horizontalpodautoscaling");
        deployment("quiet", 3);
        hpaV1("quiet", 1, 5, 50);
        // 10% of the request against a 50% target asks for one replica
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HorizontalPodAutoscalerCondition able = condition("quiet", "AbleToScale");
            assertThat(able).isNotNull();
            assertThat(able.getReason()).isEqualTo("ScaleDownStabilized");
            assertThat(able.getMessage()).isEqualTo("recent recommendations were higher than current one, applying the "
                    + "highest recent recommendation");
            HorizontalPodAutoscaler h = hpa("quiet");
            assertThat(h.getStatus().getCurrentMetrics().get(0).getResource().getCurrent().getAverageUtilization())
                    .isEqualTo(10);
            assertThat(h.getStatus().getDesiredReplicas()).isEqualTo(3);
        });
        assertThat(replicas("quiet")).isEqualTo(3);
        assertThat(events("quiet", "SuccessfulRescale")).isEmpty();
    }

    @Test
    void scalesThroughTheScaleSubresourceWithinRateAndMax() {
        // Every pod reports 200m against a 100m request: 200% of request, four times the 50% target.
        PodMetricsSource busy = (namespace, resource) -> {
            Map<String, List<ContainerUsage>> usage = new HashMap<>();
            client.pods().inNamespace(namespace).list().getItems()
                    .forEach(p -> usage.put(p.getMetadata().getName(), List.of(new ContainerUsage("c", 200L))));
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
        // Without spec.behavior upstream allows max(2 * current, 4) per sync: 2, 4, 8, then the maximum
        // (a default behavior's policies would have allowed max(2 + 4, 2 * 2) = 6 in the first step)
        // events are written after the scale by the recorder's own thread, as upstream's broadcaster does
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(events("api", "SuccessfulRescale"))
                .extracting(Event::getMessage).containsExactly(
                "New size: 4; reason: cpu resource utilization (percentage of request) above target",
                "New size: 8; reason: cpu resource utilization (percentage of request) above target",
                "New size: 10; reason: cpu resource utilization (percentage of request) above target"));
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
