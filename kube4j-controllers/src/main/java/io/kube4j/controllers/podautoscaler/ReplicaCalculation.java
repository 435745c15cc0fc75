package io.kube4j.controllers.podautoscaler;

/**
 * The calculator's answer: the replica count the metric asks for, and the current value of the metric
 * (average utilization in percent of the request, or the average value in milli-units).
 */
public record ReplicaCalculation(int replicas, long currentUtilization, long currentAverageMilli) {
}
