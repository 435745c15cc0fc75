package io.kube4j.apiserver.admission.cel;

import dev.cel.common.types.CelType;
import dev.cel.runtime.CelRuntime;

/**
 * One admission CEL expression ready to run: its program and result type, or no program and dyn when it did not
 * compile (then {@code error} says why, in upstream's words).
 */
public record CompiledExpression(String expression, CelRuntime.Program program, CelType type, String error) {

    public boolean compiled() {
        return program != null;
    }
}
