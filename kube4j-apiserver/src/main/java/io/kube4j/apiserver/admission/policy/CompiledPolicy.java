package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.admission.cel.CompiledExpression;
import io.kube4j.apiserver.admission.cel.NamedExpression;

import java.util.List;

/**
 * A ValidatingAdmissionPolicy's expressions compiled once: its match conditions, variables (in order: a variable may
 * read those before it), validations with their messageExpressions, audit annotations, and the compile errors at their
 * field paths (what the API refuses a policy for).
 */
record CompiledPolicy(List<NamedExpression> matchConditions, List<NamedExpression> variables,
                      List<Validation> validations, List<AuditAnnotation> auditAnnotations, boolean hasParams,
                      List<FieldError> errors) {

    /** An audit annotation: its key (without the policy's name) and its valueExpression. */
    record AuditAnnotation(String key, CompiledExpression valueExpression) {
    }

    /**
     * A validation: its expression, its messageExpression (null when it has none), its message ("" when none) and
     * its reason (null when none: upstream answers Invalid).
     */
    record Validation(CompiledExpression expression, CompiledExpression messageExpression, String message,
                      String reason) {
    }
}
