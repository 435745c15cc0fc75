package io.kube4j.controllers.podautoscaler;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Upstream's replica calculator for resource metrics: desired = ceil(current * usage / target) over the pods
 * that report, unless the ratio is within the tolerance. Pods without metrics and unready pods are then
 * filled in conservatively (missing pods count as exactly at target when scaling down and as idle when scaling
 * up; unready pods as idle), and if that flips or cancels the direction, nothing changes.
 */
public final class ReplicaCalculator {
    public static final double DEFAULT_TOLERANCE = 0.1;

    private final double tolerance;

    public ReplicaCalculator(double tolerance) {
        this.tolerance = tolerance;
    }

    /** For a target given as a percentage of the pods' requests (averageUtilization). */
    public ReplicaCalculation forUtilization(int currentReplicas, int targetUtilization, String resource,
                                             List<PodSample> pods) throws MetricsUnavailableException {
        Grouped g = group(pods);
        Map<String, Long> requests = new HashMap<>();
        for (PodSample p : pods) {
            if (p.state() != PodSample.State.IGNORED) {
                if (p.request() == null || p.request() <= 0) {
                    // upstream names the container (calculatePodRequests); a sample built without one names the pod
                    throw new MetricsUnavailableException(p.unrequestedIn() == null
                            ? "missing request for " + resource + " in Pod " + p.name()
                            : "missing request for " + resource + " in container " + p.unrequestedIn() + " of Pod "
                                    + p.name());
                }
                requests.put(p.name(), p.request());
            }
        }
        Ratio ratio = metrics -> {
            long used = 0;
            long requested = 0;
            for (Map.Entry<String, Long> e : metrics.entrySet()) {
                used += e.getValue();
                requested += requests.get(e.getKey());
            }
            long utilization = requested == 0 ? 0 : used * 100 / requested;
            return new double[] {(double) utilization / targetUtilization, utilization, average(used, metrics)};
        };
        // A pod without metrics is assumed at its request (or the target, if higher) when that holds replicas up.
        Fallback missingWhenBelowTarget = name -> requests.get(name) * Math.max(100, targetUtilization) / 100;
        return calculate(currentReplicas, g, ratio, missingWhenBelowTarget);
    }

    /** For a target given as an average value per pod (averageValue), in milli-units. */
    public ReplicaCalculation forAverageValue(int currentReplicas, long targetAverageMilli, List<PodSample> pods)
            throws MetricsUnavailableException {
        Grouped g = group(pods);
        Ratio ratio = metrics -> {
            long average = average(metrics.values().stream().mapToLong(Long::longValue).sum(), metrics);
            return new double[] {(double) average / targetAverageMilli, 0, average};
        };
        return calculate(currentReplicas, g, ratio, name -> targetAverageMilli);
    }

    private ReplicaCalculation calculate(int currentReplicas, Grouped g, Ratio ratioOf, Fallback missingFallback)
            throws MetricsUnavailableException {
        if (g.total == 0) {
            throw new MetricsUnavailableException("no pods returned by selector while calculating replica count");
        }
        if (g.metrics.isEmpty()) {
            throw new MetricsUnavailableException("did not receive metrics for targeted pods (pods might be unready)");
        }
        double[] first = ratioOf.apply(g.metrics);
        double usageRatio = first[0];
        long utilization = (long) first[1];
        long average = (long) first[2];
        boolean scaleUpWithUnready = !g.unready.isEmpty() && usageRatio > 1.0;
        if (!scaleUpWithUnready && g.missing.isEmpty()) {
            if (withinTolerance(usageRatio)) {
                return new ReplicaCalculation(currentReplicas, utilization, average);
            }
            return new ReplicaCalculation((int) Math.ceil(usageRatio * g.readyCount), utilization, average);
        }
        Map<String, Long> filled = new HashMap<>(g.metrics);
        if (!g.missing.isEmpty()) {
            for (String name : g.missing) {
                if (usageRatio < 1.0) {
                    filled.put(name, missingFallback.valueFor(name));
                } else if (usageRatio > 1.0) {
                    filled.put(name, 0L);
                }
            }
        }
        if (scaleUpWithUnready) {
            for (String name : g.unready) {
                filled.put(name, 0L);
            }
        }
        double newRatio = ratioOf.apply(filled)[0];
        if (withinTolerance(newRatio) || (usageRatio < 1.0 && newRatio > 1.0) || (usageRatio > 1.0 && newRatio < 1.0)) {
            return new ReplicaCalculation(currentReplicas, utilization, average);
        }
        int replicas = (int) Math.ceil(newRatio * filled.size());
        if ((newRatio < 1.0 && replicas > currentReplicas) || (newRatio > 1.0 && replicas < currentReplicas)) {
            return new ReplicaCalculation(currentReplicas, utilization, average);
        }
        return new ReplicaCalculation(replicas, utilization, average);
    }

    /**
     * The mean in whole milli-units, truncated as upstream's GetMetricUsageRatio divides: the ratio of an averageValue
     * target is taken from it, so a fraction of a milli-unit never tips a count over the tolerance.
     */
    private static long average(long total, Map<String, Long> metrics) {
        return metrics.isEmpty() ? 0 : total / metrics.size();
    }

    /** Upstream's check, inclusive: a ratio exactly the tolerance away from 1 changes nothing. */
    private boolean withinTolerance(double ratio) {
        return Math.abs(1.0 - ratio) <= tolerance;
    }

    private static Grouped group(List<PodSample> pods) {
        Grouped g = new Grouped();
        for (PodSample p : pods) {
            if (p.state() == PodSample.State.IGNORED) {
                continue;
            }
            g.total++;
            if (p.state() == PodSample.State.UNREADY) {
                g.unready.add(p.name());
            } else if (p.usage() == null) {
                g.missing.add(p.name());
            } else {
                g.metrics.put(p.name(), p.usage());
                g.readyCount++;
            }
        }
        return g;
    }

    private static final class Grouped {
        final Map<String, Long> metrics = new HashMap<>();
        final java.util.Set<String> unready = new java.util.HashSet<>();
        final java.util.Set<String> missing = new java.util.HashSet<>();
        int readyCount;
        int total;
    }

    /** {ratio to target, utilization percent (0 for values), average in milli-units} of a set of pod metrics. */
    private interface Ratio {
        double[] apply(Map<String, Long> metrics);
    }

    private interface Fallback {
        long valueFor(String podName);
    }
}
