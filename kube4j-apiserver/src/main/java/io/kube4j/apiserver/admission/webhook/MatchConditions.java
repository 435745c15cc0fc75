package io.kube4j.apiserver.admission.webhook;

import dev.cel.compiler.CelCompiler;
import io.kube4j.api.status.ErrorAggregate;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.admission.cel.AdmissionTypes;
import io.kube4j.apiserver.admission.cel.ExpressionCompiler;
import io.kube4j.apiserver.admission.cel.ExpressionRunner;
import io.kube4j.apiserver.admission.cel.NamedExpression;
import io.kube4j.apiserver.admission.cel.RequestVariables;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CostBudget;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An admission webhook's matchConditions, compiled by {@link ExpressionCompiler} in upstream's webhook environment
 * ({@code object}, {@code oldObject}, {@code request}, {@code namespaceObject} - declared as upstream's compiler
 * declares it, null when run - and the authorizer; no params or variables), and
 * matched as upstream's {@code matchconditions.matcher}: any condition false - the webhook is not called, even when
 * another failed; otherwise any error - the webhook's failurePolicy decides; otherwise it is called.
 */
public final class MatchConditions {

    private static final AdmissionTypes TYPES = new AdmissionTypes(Map.of());
    private static final CelCompiler COMPILER = CelEnvironment.compiler(TYPES,
            ExpressionCompiler.requestVariables(TYPES, true));
    public static final MatchConditions NONE = new MatchConditions(List.of());

    /** What the conditions say of one request. */
    public sealed interface Result {
    }

    /** Every condition held (or there are none). */
    public record Matches() implements Result {
    }

    /** A condition was false: the webhook is skipped. */
    public record Excluded(String condition) implements Result {
    }

    /** No condition was false but some could not be evaluated; the message is upstream's aggregate of them. */
    public record Failed(String message) implements Result {
    }

    private final List<NamedExpression> conditions;

    private MatchConditions(List<NamedExpression> conditions) {
        this.conditions = conditions;
    }

    /**
     * The {@code matchConditions} of {@code webhook} compiled; errors go to {@code errors} at
     * {@code field[i].expression}, except those of expressions in {@code stored}: as upstream compiles expressions
     * already stored in an environment that keeps accepting them, an update does not refuse what was stored.
     */
    public static MatchConditions compile(JsonNode webhook, String field, Set<String> stored, List<FieldError> errors) {
        JsonNode nodes = webhook.path("matchConditions");
        if (nodes.isEmpty()) {
            return NONE;
        }
        List<NamedExpression> compiled = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String expression = expression(nodes.get(i));
            List<FieldError> found = new ArrayList<>();
            compiled.add(new NamedExpression(Json.text(nodes.get(i), "name"), ExpressionCompiler.compile(COMPILER,
                    expression, field + "[" + i + "].expression", ExpressionCompiler.Result.BOOL, found)));
            if (!stored.contains(expression)) {
                errors.addAll(found);
            }
        }
        return new MatchConditions(List.copyOf(compiled));
    }

    /** The expressions of {@code webhook}'s matchConditions. */
    public static Set<String> expressions(JsonNode webhook) {
        Set<String> expressions = new LinkedHashSet<>();
        webhook.path("matchConditions").forEach(c -> expressions.add(expression(c)));
        return expressions;
    }

    private static String expression(JsonNode condition) {
        return Objects.requireNonNullElse(Json.text(condition, "expression"), "");
    }

    public boolean isEmpty() {
        return conditions.isEmpty();
    }

    /**
     * The conditions evaluated over {@code activation} ({@link RequestVariables}), all under one budget (upstream's
     * RuntimeCELCostBudgetMatchConditions).
     */
    public Result match(Map<String, Object> activation) {
        CostBudget budget = new CostBudget(CelEnvironment.RUNTIME_BUDGET);
        Set<String> errors = new LinkedHashSet<>();
        for (NamedExpression condition : conditions) {
            ExpressionRunner.Outcome outcome = ExpressionRunner.run(condition.expression(), activation, budget);
            if (outcome.error() != null) {
                errors.add(ExpressionRunner.failure(condition.expression(), outcome.error()));
            } else if (Boolean.FALSE.equals(outcome.value())) {
                // upstream skips only on false: a dyn expression giving a non-bool counts as held
                return new Excluded(condition.name());
            }
        }
        if (errors.isEmpty()) {
            return new Matches();
        }
        return new Failed(ErrorAggregate.message(errors));
    }
}
