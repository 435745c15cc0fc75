package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.validation.FieldError;

import java.util.List;

/**
 * A ValidatingAdmissionPolicy's expressions compiled once: its match conditions, variables (in order: a variable may
 * read those before it), validations with their messageExpressions, audit annotations, and the compile errors at their
 * field paths (what the API refuses a policy for, and what {@code status.typeChecking} would report).
 */
record CompiledPolicy(List<Named> matchConditions, List<Named> variables, List<Validation> validations,
                      List<AuditAnnotation> auditAnnotations, boolean hasParams, List<FieldError> errors) {

    /** An audit annotation: its key (without the policy's name) and its valueExpression. */
    record AuditAnnotation(String key, CompiledExpression valueExpression) {
    }

    /** A match condition or a variable. */
    record Named(String name, CompiledExpression expression) {
    }

    /**
     * A validation: its expression, its messageExpression (null when it has none), its message ("" when none) and
     * its reason (null when none: upstream answers Invalid).
     */
    record Validation(CompiledExpression expression, CompiledExpression messageExpression, String message,
                      String reason) {
    }
}
