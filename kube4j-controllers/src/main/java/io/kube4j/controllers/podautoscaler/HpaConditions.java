package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerCondition;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerConditionBuilder;
import io.kube4j.controllers.util.Times;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The AbleToScale / ScalingActive / ScalingLimited conditions; a transition time moves only when the status does. */
final class HpaConditions {
    private final List<HorizontalPodAutoscalerCondition> conditions;
    private final Instant now;

    HpaConditions(List<HorizontalPodAutoscalerCondition> existing, Instant now) {
        this.conditions = existing == null ? new ArrayList<>() : new ArrayList<>(existing);
        this.now = now;
    }

    void set(String type, boolean status, String reason, String message) {
        String s = status ? "True" : "False";
        HorizontalPodAutoscalerCondition old = get(type);
        String since = old != null && s.equals(old.getStatus()) ? old.getLastTransitionTime() : Times.format(now);
        HorizontalPodAutoscalerCondition c = new HorizontalPodAutoscalerConditionBuilder().withType(type).withStatus(s)
                .withLastTransitionTime(since).withReason(reason).withMessage(message).build();
        if (old != null) {
            conditions.set(conditions.indexOf(old), c);
        } else {
            conditions.add(c);
        }
    }

    HorizontalPodAutoscalerCondition get(String type) {
        return conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    List<HorizontalPodAutoscalerCondition> list() {
        return conditions;
    }
}
