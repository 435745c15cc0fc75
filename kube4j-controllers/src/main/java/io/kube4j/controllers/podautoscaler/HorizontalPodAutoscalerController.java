package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricStatus;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.kube4j.controllers.ControllerContext;
import io.kube4j.controllers.framework.Controller;
import io.kube4j.controllers.framework.EventRecorder;
import io.kube4j.controllers.framework.Handlers;
import io.kube4j.controllers.framework.Informers;
import io.kube4j.controllers.framework.Keys;
import io.kube4j.controllers.util.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The HorizontalPodAutoscaler controller (autoscaling/v2; v1 objects are read through v2, a v1
 * targetCPUUtilizationPercentage or no metric at all meaning a CPU utilization target, 80% by default).
 * Every sync period it reads the target's scale subresource, computes a replica count per resource metric
 * from the pods' usage in metrics.k8s.io, takes the largest, stabilizes and rate-limits it by spec.behavior
 * (upstream's older fixed rules when there is none), clamps it to min/max, and writes the scale. When the metrics API is not served it says so in the
 * ScalingActive condition and an event, and leaves the scale alone.
 */
public final class HorizontalPodAutoscalerController extends Controller {
    private static final int DEFAULT_CPU_UTILIZATION = 80;

    private final KubernetesClient client;
    private final Informers informers;
    private final Clock clock;
    private final EventRecorder recorder;
    private final ScaleTarget scaleTarget;
    private final PodMetricsSource metrics;
    private final ReplicaCalculator calculator;
    private final Duration syncPeriod;
    private final Map<String, ScaleHistory> histories = new ConcurrentHashMap<>();
    /** The last warning per autoscaler and condition type, so that a warning is recorded once per episode. */
    private final Map<String, String> lastWarnings = new ConcurrentHashMap<>();

    public HorizontalPodAutoscalerController(ControllerContext ctx) {
        super("horizontal-pod-autoscaler", ctx.options().concurrentSyncs());
        this.client = ctx.client();
        this.informers = ctx.informers();
        this.clock = ctx.clock();
        this.recorder = ctx.recorder("horizontal-pod-autoscaler");
        this.scaleTarget = new ScaleTarget(client);
        this.metrics = ctx.options().hpaMetrics().apply(client);
        this.calculator = new ReplicaCalculator(ctx.options().hpaTolerance());
        this.syncPeriod = ctx.options().hpaSyncPeriod();
        informers.of(HorizontalPodAutoscaler.class).addEventHandler(Handlers.of(this::enqueue,
                (o, n) -> {
                    if (!Objects.equals(o.getSpec(), n.getSpec())) {
                        enqueue(n);
                    }
                }, h -> forget(Keys.of(h))));
        informers.of(Pod.class);
    }

    @Override
    public void sync(String key) {
        HorizontalPodAutoscaler hpa = informers.get(HorizontalPodAutoscaler.class, key);
        if (hpa == null) {
            forget(key);
            return;
        }
        // Level-triggered on a timer, as upstream: usage changes without any object changing.
        enqueueAfter(key, syncPeriod);
        Instant now = clock.instant();
        String namespace = hpa.getMetadata().getNamespace();
        HorizontalPodAutoscalerSpec spec = hpa.getSpec();
        HorizontalPodAutoscalerStatus old = hpa.getStatus() == null ? new HorizontalPodAutoscalerStatus() : hpa.getStatus();
        HpaConditions conditions = new HpaConditions(old.getConditions(), now);
        List<MetricSpec> metricSpecs = metricSpecs(hpa);

        Scale scale;
        try {
            scale = scaleTarget.get(namespace, spec.getScaleTargetRef());
        } catch (RuntimeException e) {
            String message = "the HPA controller was unable to get the target's current scale: " + e.getMessage();
            warnOnChange(hpa, "AbleToScale", "FailedGetScale", e.getMessage(), null);
            conditions.set("AbleToScale", false, "FailedGetScale", message);
            writeStatus(hpa, status(old, old.getCurrentReplicas(), old.getDesiredReplicas(), old.getCurrentMetrics(),
                    conditions, old.getLastScaleTime()));
            return;
        }
        lastWarnings.remove(key + "|AbleToScale");
        conditions.set("AbleToScale", true, "SucceededGetScale",
                "the HPA controller was able to get the target's current scale");
        int current = scale.getSpec().getReplicas() == null ? 0 : scale.getSpec().getReplicas();
        int min = spec.getMinReplicas() == null ? 1 : spec.getMinReplicas();
        int max = spec.getMaxReplicas() == null ? min : spec.getMaxReplicas();
        ScaleHistory history = histories.computeIfAbsent(key, k -> new ScaleHistory());
        history.startAt(now, current);

        int desired;
        String rescaleReason = "";
        List<MetricStatus> currentMetrics = old.getCurrentMetrics();
        if (current == 0 && min != 0) {
            desired = 0;
            conditions.set("ScalingActive", false, "ScalingDisabled",
                    "scaling is disabled since the replica count of the target is zero");
        } else if (current > max) {
            desired = max;
            rescaleReason = "Current number of replicas above Spec.MaxReplicas";
            conditions.set("ScalingLimited", true, "TooManyReplicas",
                    "the desired replica count is more than the maximum replica count");
        } else if (current < min) {
            desired = min;
            rescaleReason = "Current number of replicas below Spec.MinReplicas";
            conditions.set("ScalingLimited", true, "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count");
        } else {
            String selector = scale.getStatus() == null ? null : scale.getStatus().getSelector();
            List<Pod> pods = informers.inNamespace(Pod.class, namespace).stream()
                    .filter(p -> SelectorString.matches(selector, p.getMetadata().getLabels())).toList();
            Proposal proposal = propose(current, metricSpecs, pods, namespace);
            currentMetrics = proposal.statuses;
            if (proposal.refused) {
                String message = "the HPA was unable to compute the replica count: " + proposal.error;
                warnOnChange(hpa, "ScalingActive", proposal.errorReason, proposal.error, proposal.invalidMetrics());
                conditions.set("ScalingActive", false, proposal.errorReason, message);
                writeStatus(hpa, status(old, current, old.getDesiredReplicas() == null ? current : old.getDesiredReplicas(),
                        currentMetrics, conditions, old.getLastScaleTime()));
                return;
            }
            lastWarnings.remove(key + "|ScalingActive");
            if (proposal.error != null) {
                // upstream warns of a metric it could not read even when it scales on the others (kept apart from the
                // refusal's episode, whose summary event must still follow if the others later ask to scale down)
                warnOnChange(hpa, "ScalingActive+valid", proposal.errorReason, proposal.error, null);
            } else {
                lastWarnings.remove(key + "|ScalingActive+valid");
            }
            conditions.set("ScalingActive", true, "ValidMetricFound",
                    "the HPA was able to successfully calculate a replica count from " + proposal.metricName);
            // upstream keeps the older rules for an autoscaler that states no behavior (the API does not default one)
            NormalizedReplicas normalized = spec.getBehavior() == null
                    ? ReplicaNormalizer.normalizeWithoutBehavior(current, proposal.replicas, min, max, history, now,
                            Duration.ofSeconds(ScaleBehavior.DEFAULT_SCALE_DOWN.stabilizationWindowSeconds()))
                    : ReplicaNormalizer.normalize(current, proposal.replicas, min, max,
                            ScaleBehavior.of(spec.getBehavior()), history, now);
            desired = normalized.replicas();
            rescaleReason = proposal.replicas > current ? proposal.metricName + " above target" : "All metrics below target";
            conditions.set("AbleToScale", true, normalized.stabilizationReason(), normalized.stabilizationMessage());
            conditions.set("ScalingLimited", normalized.limited(), normalized.limitReason(), normalized.limitMessage());
        }

        String lastScaleTime = old.getLastScaleTime();
        if (desired != current) {
            try {
                scaleTarget.update(namespace, spec.getScaleTargetRef(), scale, desired);
            } catch (RuntimeException e) {
                String message = "the HPA controller was unable to update the target scale: " + e.getMessage();
                recorder.event(hpa, EventRecorder.WARNING, "FailedRescale",
                        "New size: " + desired + "; reason: " + rescaleReason + "; error: " + e.getMessage());
                conditions.set("AbleToScale", false, "FailedUpdateScale", message);
                writeStatus(hpa, status(old, current, desired, currentMetrics, conditions, lastScaleTime));
                return;
            }
            ScaleBehavior behavior = ScaleBehavior.of(spec.getBehavior());
            history.scaled(now, current, desired, Duration.ofSeconds(behavior.scaleUp().longestPeriodSeconds()),
                    Duration.ofSeconds(behavior.scaleDown().longestPeriodSeconds()));
            recorder.event(hpa, EventRecorder.NORMAL, "SuccessfulRescale",
                    "New size: " + desired + "; reason: " + rescaleReason);
            conditions.set("AbleToScale", true, "SucceededRescale",
                    "the HPA controller was able to update the target scale to " + desired);
            lastScaleTime = Times.format(now);
        }
        writeStatus(hpa, status(old, current, desired, currentMetrics, conditions, lastScaleTime));
    }

    /** A v1 object (no metrics, maybe targetCPUUtilizationPercentage) becomes the v2 CPU utilization metric. */
    static List<MetricSpec> metricSpecs(HorizontalPodAutoscaler hpa) {
        List<MetricSpec> specs = hpa.getSpec().getMetrics();
        if (specs != null && !specs.isEmpty()) {
            return specs;
        }
        Object v1Target = hpa.getSpec().getAdditionalProperties().get("targetCPUUtilizationPercentage");
        int target = v1Target instanceof Number n ? n.intValue() : DEFAULT_CPU_UTILIZATION;
        return List.of(new MetricSpecBuilder().withType("Resource").withNewResource().withName("cpu")
                .withNewTarget().withType("Utilization").withAverageUtilization(target).endTarget()
                .endResource().build());
    }

    private static final class Proposal {
        int replicas;
        String metricName = "";
        /** True when the invalid metrics keep the HPA from acting on the valid ones. */
        boolean refused;
        /** The first invalid metric's error, with its reason, and how the summary event quotes it. */
        String error;
        String errorReason;
        String errorInComputation;
        int invalid;
        int total;
        final List<MetricStatus> statuses = new ArrayList<>();

        /** Upstream's FailedComputeMetricsReplicas message. */
        String invalidMetrics() {
            return "invalid metrics (" + invalid + " invalid out of " + total + "), first error is: " + errorInComputation;
        }
    }

    /** The largest replica count any metric asks for (upstream: all metrics are evaluated, the max wins). */
    private Proposal propose(int current, List<MetricSpec> specs, List<Pod> pods, String namespace) {
        Proposal proposal = new Proposal();
        proposal.total = specs.size();
        String firstError = null;
        String firstReason = null;
        String firstInComputation = null;
        for (MetricSpec spec : specs) {
            ResourceMetric metric = ResourceMetric.of(spec);
            if (metric == null) {
                proposal.invalid++;
                if (firstError == null) {
                    // kube4j serves no custom or external metrics API: Pods, Object and External metrics are not read
                    firstError = "unsupported metric source type \"" + spec.getType() + "\"";
                    firstReason = "InvalidMetricSourceType";
                    firstInComputation = firstError;
                }
                continue;
            }
            String resource = metric.resource();
            MetricTarget target = metric.target();
            boolean utilization = metric.utilization();
            try {
                Map<String, Long> usage = metric.usage(namespace, targetPods(pods, metrics.podUsage(namespace, resource)));
                Instant now = clock.instant();
                List<PodSample> samples = pods.stream()
                        .map(p -> PodSamples.of(p, resource, metric.container(), usage, now)).toList();
                ReplicaCalculation calc = utilization
                        ? calculator.forUtilization(current, target.getAverageUtilization(), resource, samples)
                        : calculator.forAverageValue(current, Quantities.milli(target.getAverageValue()), samples);
                proposal.statuses.add(metric.status(ResourceMetric.current(
                        utilization ? (int) calc.currentUtilization() : null, Quantities.ofMilli(calc.currentAverageMilli()))));
                if (calc.replicas() > proposal.replicas || proposal.metricName.isEmpty()) {
                    proposal.replicas = Math.max(proposal.replicas, calc.replicas());
                    proposal.metricName = metric.name();
                }
            } catch (MetricsUnavailableException e) {
                proposal.invalid++;
                proposal.statuses.add(metric.status(ResourceMetric.current(null, null)));
                if (firstError == null) {
                    firstError = metric.failure(e.getMessage());
                    firstReason = metric.failureReason();
                    firstInComputation = metric.failureInComputation(firstError);
                }
            }
        }
        proposal.error = firstError;
        proposal.errorReason = firstReason;
        proposal.errorInComputation = firstInComputation;
        // As upstream: if any metric is invalid and the valid ones would scale down, do nothing rather than scale
        // down on part of the picture; valid ones that keep the count (or raise it) are acted on.
        proposal.refused = proposal.invalid > 0 && (proposal.invalid == specs.size() || proposal.replicas < current);
        return proposal;
    }

    /**
     * The reported pods that are the target's: upstream asks the metrics API with the target's selector, so a pod
     * of another workload in the namespace (without the metric's container, say) does not fail the metric.
     */
    private static Map<String, List<PodMetricsSource.ContainerUsage>> targetPods(List<Pod> pods,
            Map<String, List<PodMetricsSource.ContainerUsage>> reported) {
        Map<String, List<PodMetricsSource.ContainerUsage>> out = new HashMap<>();
        for (Pod p : pods) {
            List<PodMetricsSource.ContainerUsage> containers = reported.get(p.getMetadata().getName());
            if (containers != null) {
                out.put(p.getMetadata().getName(), containers);
            }
        }
        return out;
    }

    private void forget(String key) {
        histories.remove(key);
        lastWarnings.keySet().removeIf(k -> k.startsWith(key + "|"));
    }

    /**
     * The warning {@code reason}/{@code message} and, when the metrics were at fault, upstream's summary event
     * (FailedComputeMetricsReplicas, {@code invalidMetrics}) that follows it.
     */
    private void warnOnChange(HorizontalPodAutoscaler hpa, String conditionType, String reason, String message,
                              String invalidMetrics) {
        // Once per episode: a sync every 15 s would otherwise write the same warning forever (upstream's recorder
        // folds repeats into one Event's count; kube4j's recorder does not).
        String previous = lastWarnings.put(Keys.of(hpa) + "|" + conditionType, reason + "|" + message);
        if ((reason + "|" + message).equals(previous)) {
            return;
        }
        recorder.event(hpa, EventRecorder.WARNING, reason, message);
        if (invalidMetrics != null) {
            recorder.event(hpa, EventRecorder.WARNING, "FailedComputeMetricsReplicas", invalidMetrics);
        }
    }

    private static HorizontalPodAutoscalerStatus status(HorizontalPodAutoscalerStatus old, Integer current, Integer desired,
                                                        List<MetricStatus> metrics, HpaConditions conditions,
                                                        String lastScaleTime) {
        return new HorizontalPodAutoscalerStatus(conditions.list(), metrics == null || metrics.isEmpty() ? null : metrics,
                current, desired == null ? current : desired, lastScaleTime, old.getObservedGeneration());
    }

    private void writeStatus(HorizontalPodAutoscaler hpa, HorizontalPodAutoscalerStatus status) {
        status.setObservedGeneration(hpa.getMetadata().getGeneration());
        if (Objects.equals(status, hpa.getStatus())) {
            return;
        }
        HorizontalPodAutoscaler copy = new HorizontalPodAutoscalerBuilder(hpa).withStatus(status).build();
        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(hpa.getMetadata().getNamespace())
                .resource(copy).updateStatus();
    }
}
