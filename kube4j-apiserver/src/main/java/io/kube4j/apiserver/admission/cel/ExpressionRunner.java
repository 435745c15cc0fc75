package io.kube4j.apiserver.admission.cel;

import dev.cel.runtime.CelEvaluationException;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CostBudget;
import io.kube4j.apiserver.crd.celrules.EvaluationErrors;

import java.util.Map;

/**
 * Runs one compiled admission expression over an activation within a shared cost budget (upstream's per-expression
 * limit), as upstream's {@code plugin/cel} filter: the value, or the error in upstream's words - one that did not
 * compile gives its compile error, a {@link LazyVariables variable} it read that failed gives that variable's.
 */
public final class ExpressionRunner {

    private ExpressionRunner() {
    }

    /** What one evaluation gave: its value, or (when not null) its error. */
    public record Outcome(Object value, String error) {
    }

    public static Outcome run(CompiledExpression expression, Map<String, Object> activation, CostBudget budget) {
        if (!expression.compiled()) {
            return new Outcome(null, expression.error());
        }
        try {
            return new Outcome(budget.eval(expression.program(), activation, CelEnvironment.PER_CALL_LIMIT), null);
        } catch (CostBudget.LimitExceeded | LazyVariables.VariableFailed e) {
            return new Outcome(null, e.getMessage());
        } catch (CelEvaluationException e) {
            // a variable the expression read failed: its error is the expression's
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof LazyVariables.VariableFailed failed) {
                    return new Outcome(null, failed.getMessage());
                }
            }
            return new Outcome(null, EvaluationErrors.of(e));
        }
    }

    /** Upstream's message for an expression that could not be compiled or evaluated. */
    public static String failure(CompiledExpression expression, String error) {
        return expression.compiled() ? "expression '" + expression.expression() + "' resulted in error: " + error
                : "compilation error: " + error;
    }
}
