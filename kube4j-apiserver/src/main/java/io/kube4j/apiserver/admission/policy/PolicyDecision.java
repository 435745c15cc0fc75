package io.kube4j.apiserver.admission.policy;

/**
 * A validation that failed (or could not be evaluated under failurePolicy Fail) for one request: its message, its
 * reason (null: upstream's Invalid) and the validation's index (0 for a failure of the whole policy, as upstream's
 * audit annotation says). Validations that pass leave no decision.
 */
record PolicyDecision(String message, String reason, int expressionIndex) {
}
