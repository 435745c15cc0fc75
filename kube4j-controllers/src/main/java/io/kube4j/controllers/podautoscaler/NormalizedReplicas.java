package io.kube4j.controllers.podautoscaler;

/**
 * The replica count after stabilization, rate policies and min/max, with the reasons upstream writes into the
 * AbleToScale (stabilization) and ScalingLimited (limits) conditions.
 */
public record NormalizedReplicas(int replicas, String stabilizationReason, String stabilizationMessage,
                                 boolean limited, String limitReason, String limitMessage) {
}
