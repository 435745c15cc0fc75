package io.kube4j.apiserver.admission.cel;

/** A compiled expression with a name: a match condition or a policy's variable. */
public record NamedExpression(String name, CompiledExpression expression) {
}
