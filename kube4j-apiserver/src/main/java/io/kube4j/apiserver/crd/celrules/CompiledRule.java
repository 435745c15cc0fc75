package io.kube4j.apiserver.crd.celrules;

import dev.cel.runtime.CelRuntime;

/**
 * A rule ready to run: its program (null if it did not compile, then {@code compileError} says why), its
 * messageExpression's program if any, whether it is a transition rule, and its fieldPath as a field path suffix
 * ({@code spec.replicas}, {@code labels[app]}), empty when it has none.
 */
record CompiledRule(ValidationRule rule, CelRuntime.Program program, String compileError,
                    CelRuntime.Program messageProgram, boolean usesOldSelf, String fieldPath) {
}
