package io.kube4j.controllers.replicaset;

/** The status a ReplicaSet-like object reports; the failure fields describe a ReplicaFailure condition. */
public record ReplicaCounts(int replicas, int fullyLabeledReplicas, int readyReplicas, int availableReplicas,
                            long observedGeneration, String failureReason, String failureMessage) {
}
