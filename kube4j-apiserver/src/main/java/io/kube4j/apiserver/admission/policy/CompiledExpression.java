package io.kube4j.apiserver.admission.policy;

import dev.cel.runtime.CelRuntime;

/**
 * One CEL expression of a policy ready to run: its program, or null when it did not compile (then {@code error} says
 * why, in upstream's words).
 */
record CompiledExpression(String expression, CelRuntime.Program program, String error) {

    boolean compiled() {
        return program != null;
    }
}
