package io.kube4j.apiserver.admission.policy;

import dev.cel.runtime.CelEvaluationException;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CostBudget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Evaluates a compiled policy over one request and one param, as upstream's validator: the match conditions first (any
 * false: the policy does not apply; an error, none false: a failure), then the variables in order (each may read those
 * before it as {@code variables.<name>}), then every validation; a validation that is not true fails with its
 * messageExpression's result, its message, or {@code failed expression: <expression>}. An expression that cannot be
 * compiled or evaluated fails the request under failurePolicy Fail and is ignored under Ignore. One cost budget
 * (upstream's RuntimeCELCostBudget) covers the whole evaluation, with upstream's per-expression limit.
 */
final class PolicyEvaluator {

    private static final Pattern EVAL_PREFIX = Pattern.compile("^evaluation error at <input>:\\d+: ");

    private PolicyEvaluator() {
    }

    /**
     * The failures of {@code policy} for a request whose CEL variables are {@code inputs} (object, oldObject, request,
     * namespaceObject, params); empty when it passes or does not apply.
     */
    static List<PolicyDecision> evaluate(CompiledPolicy policy, Map<String, Object> inputs, boolean failOnError) {
        CostBudget budget = new CostBudget(CelEnvironment.RUNTIME_BUDGET);
        Map<String, Object> variables = new LinkedHashMap<>();
        Map<String, Object> activation = new HashMap<>(inputs);
        activation.put("variables", variables);
        List<PolicyDecision> decisions = new ArrayList<>();
        String conditionError = null;
        for (CompiledPolicy.Named condition : policy.matchConditions()) {
            Outcome outcome = run(condition.expression(), activation, budget);
            if (outcome.error() != null) {
                conditionError = conditionError != null ? conditionError
                        : "failed to evaluate matchCondition '" + condition.name() + "': " + outcome.error();
            } else if (!Boolean.TRUE.equals(outcome.value())) {
                return List.of();
            }
        }
        if (conditionError != null) {
            if (failOnError) {
                decisions.add(new PolicyDecision(conditionError, null));
            }
            return decisions;
        }
        for (CompiledPolicy.Named variable : policy.variables()) {
            Outcome outcome = run(variable.expression(), activation, budget);
            // a variable that fails is left out: an expression reading it fails in turn
            if (outcome.error() == null) {
                variables.put(variable.name(), outcome.value());
            }
        }
        for (CompiledPolicy.Validation validation : policy.validations()) {
            CompiledExpression expression = validation.expression();
            Outcome outcome = run(expression, activation, budget);
            if (outcome.error() != null) {
                if (failOnError) {
                    String message = expression.compiled()
                            ? "expression '" + expression.expression() + "' resulted in error: " + outcome.error()
                            : "compilation error: " + outcome.error();
                    decisions.add(new PolicyDecision(message, null));
                }
            } else if (!Boolean.TRUE.equals(outcome.value())) {
                decisions.add(new PolicyDecision(message(validation, activation, budget), validation.reason()));
            }
        }
        return decisions;
    }

    /** The messageExpression's result when it gives one line of text; else the message; else the expression. */
    private static String message(CompiledPolicy.Validation validation, Map<String, Object> activation,
                                  CostBudget budget) {
        if (validation.messageExpression() != null) {
            Outcome outcome = run(validation.messageExpression(), activation, budget);
            if (outcome.value() instanceof String text && !text.isBlank() && !text.contains("\n")
                    && !text.contains("\r")) {
                return text.strip();
            }
        }
        if (!validation.message().isEmpty()) {
            return validation.message();
        }
        return "failed expression: " + validation.expression().expression().strip();
    }

    private record Outcome(Object value, String error) {
    }

    private static Outcome run(CompiledExpression expression, Map<String, Object> activation, CostBudget budget) {
        if (!expression.compiled()) {
            return new Outcome(null, expression.error());
        }
        try {
            return new Outcome(budget.eval(expression.program(), activation, CelEnvironment.PER_CALL_LIMIT), null);
        } catch (CostBudget.LimitExceeded e) {
            return new Outcome(null, e.getMessage());
        } catch (CelEvaluationException e) {
            return new Outcome(null, EVAL_PREFIX.matcher(String.valueOf(e.getMessage())).replaceFirst(""));
        }
    }
}
