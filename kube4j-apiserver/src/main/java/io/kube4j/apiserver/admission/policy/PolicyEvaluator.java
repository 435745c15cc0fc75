package io.kube4j.apiserver.admission.policy;

import dev.cel.common.values.NullValue;
import io.kube4j.apiserver.admission.cel.CompiledExpression;
import io.kube4j.apiserver.admission.cel.ExpressionRunner;
import io.kube4j.apiserver.admission.cel.ExpressionRunner.Outcome;
import io.kube4j.apiserver.admission.cel.LazyVariables;
import io.kube4j.apiserver.admission.cel.NamedExpression;
import io.kube4j.apiserver.crd.celrules.CelEnvironment;
import io.kube4j.apiserver.crd.celrules.CostBudget;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a compiled policy over one request and one param, as upstream's validator: the match conditions first (any
 * false: the policy does not apply; an error, none false: a failure), then every validation; a validation that is not
 * true fails with its messageExpression's result, its message, or {@code failed expression: <expression>}; then the
 * auditAnnotations. Variables ({@code variables.<name>}) run when first read ({@link LazyVariables}). An expression
 * that cannot be compiled or evaluated fails the request under failurePolicy Fail and is ignored under Ignore. One
 * cost budget (upstream's RuntimeCELCostBudget) covers the conditions, variables and validations, with upstream's
 * per-expression limit; the audit annotations have a budget of their own, as upstream's.
 */
final class PolicyEvaluator {

    /** Upstream's maxAuditAnnotationValueLength: a longer value is cut. */
    private static final int MAX_AUDIT_ANNOTATION_VALUE_BYTES = 10 * 1024;

    private PolicyEvaluator() {
    }

    /**
     * What one evaluation found: the failed validations; the audit annotations to publish (key without the policy's
     * name, value); and the audit annotations that could not be had, each of which refuses the request whatever the
     * binding's validationActions, as upstream's.
     */
    record Result(List<PolicyDecision> decisions, Map<String, String> auditAnnotations,
                  List<String> auditAnnotationErrors) {

        static final Result NONE = new Result(List.of(), Map.of(), List.of());
    }

    /**
     * The outcome of {@code policy} for a request whose CEL variables are {@code inputs} (object, oldObject, request,
     * namespaceObject, params); no decisions when it passes, none at all when it does not apply.
     */
    static Result evaluate(CompiledPolicy policy, Map<String, Object> inputs, boolean failOnError) {
        CostBudget budget = new CostBudget(CelEnvironment.RUNTIME_BUDGET);
        Map<String, Object> activation = new HashMap<>(inputs);
        activation.put("variables", new LazyVariables(policy.variables(), expression -> {
            Outcome outcome = ExpressionRunner.run(expression, activation, budget);
            if (outcome.error() != null) {
                throw new LazyVariables.VariableFailed(outcome.error());
            }
            return outcome.value();
        }));
        List<PolicyDecision> decisions = new ArrayList<>();
        String conditionError = null;
        for (NamedExpression condition : policy.matchConditions()) {
            Outcome outcome = ExpressionRunner.run(condition.expression(), activation, budget);
            if (outcome.error() != null) {
                conditionError = conditionError != null ? conditionError
                        : "failed to evaluate matchCondition '" + condition.name() + "': " + outcome.error();
            } else if (!Boolean.TRUE.equals(outcome.value())) {
                return Result.NONE;
            }
        }
        if (conditionError != null) {
            if (failOnError) {
                decisions.add(new PolicyDecision(conditionError, null, 0));
            }
            return new Result(decisions, Map.of(), List.of());
        }
        List<CompiledPolicy.Validation> validations = policy.validations();
        for (int i = 0; i < validations.size(); i++) {
            CompiledPolicy.Validation validation = validations.get(i);
            Outcome outcome = ExpressionRunner.run(validation.expression(), activation, budget);
            if (outcome.error() != null) {
                if (failOnError) {
                    decisions.add(new PolicyDecision(ExpressionRunner.failure(validation.expression(), outcome.error()),
                            null, i));
                }
            } else if (!Boolean.TRUE.equals(outcome.value())) {
                decisions.add(new PolicyDecision(message(validation, activation, budget), validation.reason(), i));
            }
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        List<String> annotationErrors = new ArrayList<>();
        CostBudget annotationBudget = new CostBudget(CelEnvironment.RUNTIME_BUDGET);
        for (CompiledPolicy.AuditAnnotation annotation : policy.auditAnnotations()) {
            CompiledExpression expression = annotation.valueExpression();
            Outcome outcome = ExpressionRunner.run(expression, activation, annotationBudget);
            if (outcome.error() != null) {
                if (failOnError) {
                    annotationErrors.add(ExpressionRunner.failure(expression, outcome.error()));
                }
            } else if (outcome.value() instanceof String text) {
                if (!text.isBlank()) {
                    annotations.put(annotation.key(), truncated(text.strip()));
                }
            } else if (!(outcome.value() instanceof NullValue)) {
                // upstream refuses it whatever the failurePolicy
                annotationErrors.add("valueExpression '" + expression.expression() + "' resulted in unsupported "
                        + "return type: " + typeName(outcome.value()) + ". Return type must be either "
                        + "string or null.");
            }
        }
        return new Result(decisions, annotations, annotationErrors);
    }

    /** The CEL type of a value an expression gave, named as cel-go prints it. */
    private static String typeName(Object value) {
        if (value instanceof Boolean) {
            return "bool";
        } else if (value instanceof Long || value instanceof Integer) {
            return "int";
        } else if (value instanceof com.google.common.primitives.UnsignedLong) {
            return "uint";
        } else if (value instanceof Double) {
            return "double";
        } else if (value instanceof Map<?, ?>) {
            return "map";
        } else if (value instanceof List<?>) {
            return "list";
        } else if (value instanceof com.google.protobuf.ByteString
                || value instanceof dev.cel.common.values.CelByteString) {
            return "bytes";
        } else if (value instanceof java.time.Duration || value instanceof com.google.protobuf.Duration) {
            return "google.protobuf.Duration";
        } else if (value instanceof java.time.Instant || value instanceof com.google.protobuf.Timestamp) {
            return "google.protobuf.Timestamp";
        }
        return value == null ? "null_type" : value.getClass().getSimpleName();
    }

    /** {@code value} cut to upstream's limit, by UTF-8 bytes, never inside a character. */
    private static String truncated(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_AUDIT_ANNOTATION_VALUE_BYTES) {
            return value;
        }
        int end = MAX_AUDIT_ANNOTATION_VALUE_BYTES;
        while (end > 0 && (bytes[end] & 0xC0) == 0x80) {
            end--;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** The messageExpression's result when it gives one line of text; else the message; else the expression. */
    private static String message(CompiledPolicy.Validation validation, Map<String, Object> activation,
                                  CostBudget budget) {
        if (validation.messageExpression() != null) {
            Outcome outcome = ExpressionRunner.run(validation.messageExpression(), activation, budget);
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
}
