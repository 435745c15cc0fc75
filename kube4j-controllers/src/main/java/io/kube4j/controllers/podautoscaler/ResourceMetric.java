package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatusBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricValueStatusBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A Resource metric (usage summed over a pod's containers) or a ContainerResource metric (one named container's
 * usage), as upstream's computeStatusForResourceMetricGeneric treats both, with the words upstream uses for each
 * in conditions, events and status.
 */
record ResourceMetric(String resource, String container, MetricTarget target) {

    /** The metric a spec asks for, or null when it is neither a Resource nor a ContainerResource metric. */
    static ResourceMetric of(MetricSpec spec) {
        if ("Resource".equals(spec.getType()) && spec.getResource() != null) {
            return new ResourceMetric(spec.getResource().getName(), null, spec.getResource().getTarget());
        }
        if ("ContainerResource".equals(spec.getType()) && spec.getContainerResource() != null) {
            return new ResourceMetric(spec.getContainerResource().getName(), spec.getContainerResource().getContainer(),
                    spec.getContainerResource().getTarget());
        }
        return null;
    }

    boolean forContainer() {
        return container != null;
    }

    boolean utilization() {
        return target != null && target.getAverageUtilization() != null;
    }

    /** The reason of the ScalingActive condition and of the warning event when the metric cannot be used. */
    String failureReason() {
        return forContainer() ? "FailedGetContainerResourceMetric" : "FailedGetResourceMetric";
    }

    /** The calculation's error as the condition words it: "failed to get cpu utilization: ...". */
    String failure(String calculationError) {
        return "failed to get " + resource + (utilization() ? " utilization: " : " usage: ") + calculationError;
    }

    /** {@link #failure} as the FailedComputeMetricsReplicas event quotes it, naming the metric (or container). */
    String failureInComputation(String failure) {
        return forContainer() ? "failed to get " + container + " container metric value: " + failure
                : "failed to get " + resource + " resource metric value: " + failure;
    }

    /** How the ScalingActive condition and the rescale event name the metric. */
    String name() {
        if (!utilization()) {
            return resource + " resource";
        }
        return resource + (forContainer() ? " container" : "") + " resource utilization (percentage of request)";
    }

    /**
     * The usage of every pod that reports it: summed over its containers (a pod with a container that reports no usage
     * of the resource has none, as upstream's getPodMetrics), or the named container's, which every reported pod must
     * have (upstream's getContainerMetrics).
     */
    Map<String, Long> usage(String namespace, Map<String, List<PodMetricsSource.ContainerUsage>> pods)
            throws MetricsUnavailableException {
        Map<String, Long> usage = new HashMap<>();
        for (Map.Entry<String, List<PodMetricsSource.ContainerUsage>> pod : pods.entrySet()) {
            Long value = forContainer() ? containerUsage(namespace, pod.getKey(), pod.getValue()) : podSum(pod.getValue());
            if (value != null) {
                usage.put(pod.getKey(), value);
            }
        }
        return usage;
    }

    private Long containerUsage(String namespace, String pod, List<PodMetricsSource.ContainerUsage> containers)
            throws MetricsUnavailableException {
        for (PodMetricsSource.ContainerUsage c : containers) {
            if (container.equals(c.container())) {
                return c.milli();
            }
        }
        throw new MetricsUnavailableException("unable to get metrics for resource " + resource
                + ": failed to get container metrics: container " + container + " not present in metrics for pod "
                + namespace + "/" + pod);
    }

    private static Long podSum(List<PodMetricsSource.ContainerUsage> containers) {
        if (containers.isEmpty()) {
            return null;
        }
        long sum = 0;
        for (PodMetricsSource.ContainerUsage c : containers) {
            if (c.milli() == null) {
                return null;
            }
            sum += c.milli();
        }
        return sum;
    }

    /** The metric's entry in status.currentMetrics; {@code current} empty when it could not be read. */
    MetricStatus status(MetricValueStatus current) {
        MetricStatusBuilder b = new MetricStatusBuilder();
        if (forContainer()) {
            return b.withType("ContainerResource").withNewContainerResource().withName(resource).withContainer(container)
                    .withCurrent(current).endContainerResource().build();
        }
        return b.withType("Resource").withNewResource().withName(resource).withCurrent(current).endResource().build();
    }

    static MetricValueStatus current(Integer averageUtilization, Quantity averageValue) {
        return new MetricValueStatusBuilder().withAverageUtilization(averageUtilization).withAverageValue(averageValue)
                .build();
    }
}
