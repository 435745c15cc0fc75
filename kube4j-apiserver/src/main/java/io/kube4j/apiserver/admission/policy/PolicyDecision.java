package io.kube4j.apiserver.admission.policy;

/**
 * A validation that failed (or could not be evaluated under failurePolicy Fail) for one request: its message and its
 * reason (null: upstream's Invalid). Validations that pass leave no decision.
 */
record PolicyDecision(String message, String reason) {
}
