package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingPolicy;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HPAScalingRules;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBehavior;
import java.util.List;

/**
 * spec.behavior with upstream's defaults filled in: scale up at once by up to 4 pods or 100% per 15 s
 * (whichever is more); scale down only to the highest recommendation of the last 300 s, by up to 100% per 15 s.
 */
public record ScaleBehavior(Rules scaleUp, Rules scaleDown) {
    public static final Rules DEFAULT_SCALE_UP = new Rules(0,
            List.of(new Policy("Pods", 4, 15), new Policy("Percent", 100, 15)), "Max");
    public static final Rules DEFAULT_SCALE_DOWN = new Rules(300, List.of(new Policy("Percent", 100, 15)), "Max");

    /** One direction's rules; selectPolicy is Max, Min or Disabled. */
    public record Rules(int stabilizationWindowSeconds, List<Policy> policies, String selectPolicy) {
        public int longestPeriodSeconds() {
            return policies.stream().mapToInt(Policy::periodSeconds).max().orElse(0);
        }
    }

    /** type is Pods or Percent. */
    public record Policy(String type, int value, int periodSeconds) {
    }

    public static ScaleBehavior defaults() {
        return new ScaleBehavior(DEFAULT_SCALE_UP, DEFAULT_SCALE_DOWN);
    }

    public static ScaleBehavior of(HorizontalPodAutoscalerBehavior behavior) {
        if (behavior == null) {
            return defaults();
        }
        return new ScaleBehavior(rules(behavior.getScaleUp(), DEFAULT_SCALE_UP),
                rules(behavior.getScaleDown(), DEFAULT_SCALE_DOWN));
    }

    private static Rules rules(HPAScalingRules r, Rules defaults) {
        if (r == null) {
            return defaults;
        }
        int window = r.getStabilizationWindowSeconds() == null ? defaults.stabilizationWindowSeconds()
                : r.getStabilizationWindowSeconds();
        List<Policy> policies = r.getPolicies() == null || r.getPolicies().isEmpty() ? defaults.policies()
                : r.getPolicies().stream().map(ScaleBehavior::policy).toList();
        String select = r.getSelectPolicy() == null ? defaults.selectPolicy() : r.getSelectPolicy();
        return new Rules(window, policies, select);
    }

    private static Policy policy(HPAScalingPolicy p) {
        return new Policy(p.getType(), p.getValue() == null ? 0 : p.getValue(),
                p.getPeriodSeconds() == null ? 15 : p.getPeriodSeconds());
    }
}
