package io.kube4j.apiserver.admission.cel;

import dev.cel.runtime.CelRuntime;

/**
 * One admission CEL expression ready to run: its program, or null when it did not compile (then {@code error} says
 * why, in upstream's words).
 */
public record CompiledExpression(String expression, CelRuntime.Program program, String error) {

    public boolean compiled() {
        return program != null;
    }
}
