package io.kube4j.apiserver.admission.policy;

import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.crd.celrules.AuthzLibrary;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CostBudget;
import io.kube4j.apiserver.json.Json;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * An admission webhook's matchConditions, compiled by {@link PolicyCompiler} in upstream's webhook environment
 * ({@code object}, {@code oldObject}, {@code request} and the authorizer; no params, namespaceObject or variables), and
 * matched as upstream's {@code matchconditions.matcher}: any condition false - the webhook is not called, even when
 * another failed; otherwise any error - the webhook's failurePolicy decides; otherwise it is called.
 */
public final class MatchConditions {

    private static final CelCompiler COMPILER = CelEnvironment.compiler(variables());
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

    private final List<CompiledPolicy.Named> conditions;

    private MatchConditions(List<CompiledPolicy.Named> conditions) {
        this.conditions = conditions;
    }

    private static Map<String, CelType> variables() {
        Map<String, CelType> variables = new LinkedHashMap<>();
        variables.put("object", SimpleType.DYN);
        variables.put("oldObject", SimpleType.DYN);
        variables.put("request", SimpleType.DYN);
        variables.putAll(AuthzLibrary.variables());
        return variables;
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
        List<CompiledPolicy.Named> compiled = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            String expression = expression(nodes.get(i));
            List<FieldError> found = new ArrayList<>();
            compiled.add(new CompiledPolicy.Named(Json.text(nodes.get(i), "name"), PolicyCompiler.compile(COMPILER,
                    expression, field + "[" + i + "].expression", PolicyCompiler.Result.BOOL, found)));
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
        for (CompiledPolicy.Named condition : conditions) {
            PolicyEvaluator.Outcome outcome = PolicyEvaluator.run(condition.expression(), activation, budget);
            if (outcome.error() != null) {
                errors.add(PolicyEvaluator.failure(condition.expression(), outcome.error()));
            } else if (Boolean.FALSE.equals(outcome.value())) {
                // upstream skips only on false: a dyn expression giving a non-bool counts as held
                return new Excluded(condition.name());
            }
        }
        if (errors.isEmpty()) {
            return new Matches();
        }
        // Go's utilerrors.NewAggregate: one error as it is, several (deduplicated) in brackets
        return new Failed(errors.size() == 1 ? errors.iterator().next() : "[" + String.join(", ", errors) + "]");
    }
}
