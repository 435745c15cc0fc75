package io.kube4j.controllers.podautoscaler;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns the metrics' recommendation into the replica count to set. With spec.behavior, as upstream's
 * normalizeDesiredReplicasWithBehaviors: a scale-down goes only as low as the highest recommendation inside
 * the scale-down window, a scale-up only as high as the lowest inside the scale-up window; then the rate
 * policies cap how much may change per period, and min/max clamp the result. Without it, as upstream's older
 * normalizeDesiredReplicas ({@link #normalizeWithoutBehavior}).
 */
public final class ReplicaNormalizer {
    private ReplicaNormalizer() {
    }

    public static NormalizedReplicas normalize(int current, int recommended, int minReplicas, int maxReplicas,
                                               ScaleBehavior behavior, ScaleHistory history, Instant now) {
        int windowKeep = Math.max(behavior.scaleUp().stabilizationWindowSeconds(),
                behavior.scaleDown().stabilizationWindowSeconds());
        int stabilized = stabilize(current, recommended, behavior, history, now);
        history.recommend(now, recommended, Duration.ofSeconds(windowKeep));
        String stabReason;
        String stabMessage;
        if (stabilized != recommended && recommended >= current) {
            // upstream names the direction by the recommendation against the current count, not by the outcome
            stabReason = "ScaleUpStabilized";
            stabMessage = "recent recommendations were lower than current one, applying the lowest recent recommendation";
        } else if (stabilized != recommended) {
            stabReason = "ScaleDownStabilized";
            stabMessage = "recent recommendations were higher than current one, applying the highest recent recommendation";
        } else {
            stabReason = "ReadyForNewScale";
            stabMessage = "recommended size matches current size";
        }
        if (stabilized > current) {
            int upLimit = scaleUpLimit(current, behavior.scaleUp(), history, now);
            if (upLimit < current) {
                upLimit = current;
            }
            if (maxReplicas > upLimit) {
                if (stabilized > upLimit) {
                    return new NormalizedReplicas(upLimit, stabReason, stabMessage, true, "ScaleUpLimit",
                            "the desired replica count is increasing faster than the maximum scale rate");
                }
            } else if (stabilized > maxReplicas) {
                return new NormalizedReplicas(maxReplicas, stabReason, stabMessage, true, "TooManyReplicas",
                        "the desired replica count is more than the maximum replica count");
            }
        } else if (stabilized < current) {
            int downLimit = scaleDownLimit(current, behavior.scaleDown(), history, now);
            if (downLimit > current) {
                downLimit = current;
            }
            if (minReplicas < downLimit) {
                if (stabilized < downLimit) {
                    return new NormalizedReplicas(downLimit, stabReason, stabMessage, true, "ScaleDownLimit",
                            "the desired replica count is decreasing faster than the maximum scale rate");
                }
            } else if (stabilized < minReplicas) {
                return new NormalizedReplicas(minReplicas, stabReason, stabMessage, true, "TooFewReplicas",
                        "the desired replica count is less than the minimum replica count");
            }
        }
        return new NormalizedReplicas(stabilized, stabReason, stabMessage, false, "DesiredWithinRange",
                "the desired count is within the acceptable range");
    }

    /**
     * Upstream's rules for an autoscaler without spec.behavior (what kubectl autoscale and autoscaling/v1 make): the
     * highest recommendation of the downscale window (the controller's 5-minute
     * --horizontal-pod-autoscaler-downscale-stabilization), not bounded by the current count, then at most
     * max(2 x current, 4) replicas per sync, then min/max.
     */
    public static NormalizedReplicas normalizeWithoutBehavior(int current, int recommended, int minReplicas,
                                                              int maxReplicas, ScaleHistory history, Instant now,
                                                              Duration downscaleWindow) {
        Instant cutoff = now.minus(downscaleWindow);
        int stabilized = recommended;
        for (ScaleHistory.Recommendation r : history.recommendations()) {
            if (!r.at().isBefore(cutoff)) {
                stabilized = Math.max(stabilized, r.replicas());
            }
        }
        history.recommend(now, recommended, downscaleWindow);
        String stabReason = stabilized != recommended ? "ScaleDownStabilized" : "ReadyForNewScale";
        String stabMessage = stabilized != recommended
                ? "recent recommendations were higher than current one, applying the highest recent recommendation"
                : "recommended size matches current size";
        // against a metrics pipeline reporting a burst that is not there (kubernetes#32304)
        int upLimit = Math.max(2 * current, 4);
        int allowedMax = Math.min(maxReplicas, upLimit);
        if (stabilized < minReplicas) {
            return new NormalizedReplicas(minReplicas, stabReason, stabMessage, true, "TooFewReplicas",
                    "the desired replica count is less than the minimum replica count");
        }
        if (stabilized > allowedMax) {
            return maxReplicas > upLimit
                    ? new NormalizedReplicas(upLimit, stabReason, stabMessage, true, "ScaleUpLimit",
                            "the desired replica count is increasing faster than the maximum scale rate")
                    : new NormalizedReplicas(maxReplicas, stabReason, stabMessage, true, "TooManyReplicas",
                            "the desired replica count is more than the maximum replica count");
        }
        return new NormalizedReplicas(stabilized, stabReason, stabMessage, false, "DesiredWithinRange",
                "the desired count is within the acceptable range");
    }

    private static int stabilize(int current, int recommended, ScaleBehavior behavior, ScaleHistory history,
                                 Instant now) {
        Instant upCutoff = now.minusSeconds(behavior.scaleUp().stabilizationWindowSeconds());
        Instant downCutoff = now.minusSeconds(behavior.scaleDown().stabilizationWindowSeconds());
        int up = recommended;
        int down = recommended;
        for (ScaleHistory.Recommendation r : history.recommendations()) {
            if (r.at().isAfter(upCutoff)) {
                up = Math.min(up, r.replicas());
            }
            if (r.at().isAfter(downCutoff)) {
                down = Math.max(down, r.replicas());
            }
        }
        int result = current;
        if (result < up) {
            result = up;
        }
        if (result > down) {
            result = down;
        }
        return result;
    }

    static int scaleUpLimit(int current, ScaleBehavior.Rules rules, ScaleHistory history, Instant now) {
        if ("Disabled".equals(rules.selectPolicy())) {
            return current;
        }
        boolean max = !"Min".equals(rules.selectPolicy());
        int result = max ? Integer.MIN_VALUE : Integer.MAX_VALUE;
        for (ScaleBehavior.Policy p : rules.policies()) {
            Instant since = now.minusSeconds(p.periodSeconds());
            int periodStart = current - history.addedSince(since) + history.removedSince(since);
            int proposed = "Pods".equals(p.type()) ? periodStart + p.value()
                    : (int) Math.ceil(periodStart * (1 + p.value() / 100.0));
            result = max ? Math.max(result, proposed) : Math.min(result, proposed);
        }
        return result;
    }

    static int scaleDownLimit(int current, ScaleBehavior.Rules rules, ScaleHistory history, Instant now) {
        if ("Disabled".equals(rules.selectPolicy())) {
            return current;
        }
        // "Max" picks the policy that allows the biggest change, i.e. the lowest floor.
        boolean max = !"Min".equals(rules.selectPolicy());
        int result = max ? Integer.MAX_VALUE : Integer.MIN_VALUE;
        for (ScaleBehavior.Policy p : rules.policies()) {
            Instant since = now.minusSeconds(p.periodSeconds());
            int periodStart = current + history.removedSince(since) - history.addedSince(since);
            int proposed = "Pods".equals(p.type()) ? periodStart - p.value()
                    : (int) (periodStart * (1 - p.value() / 100.0));
            result = max ? Math.min(result, proposed) : Math.max(result, proposed);
        }
        return result;
    }
}
