package io.kube4j.apiserver.crd.celrules;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import io.kube4j.api.validation.FieldError;
import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a schema's compiled rules over a custom resource, as upstream's CEL validator: every rule at every node present
 * (and not null) in the object, {@code self} bound to the node's value; a transition rule (one that reads
 * {@code oldSelf}) only where the node has an old value to compare with - an object's field, a map's key, a
 * listType=map item by its keys - unless it sets optionalOldSelf. A node equal to its old value does not fail a
 * rule that does not read oldSelf (upstream's validation ratcheting). One cost budget covers the whole object and each
 * evaluation has a per-call limit, so a rule cannot hold the API server.
 */
public final class RuleValidator {

    /** Upstream's path of the resource root in errors (a nil field.Path prints so). */
    static final String ROOT = "<nil>";

    private final long perCallLimit;
    private final long budget;

    RuleValidator(long perCallLimit, long budget) {
        this.perCallLimit = perCallLimit;
        this.budget = budget;
    }

    public RuleValidator() {
        this(CelEnvironment.PER_CALL_LIMIT, CelEnvironment.RUNTIME_BUDGET);
    }

    /**
     * Upstream's error when rules were skipped because the object has values of the wrong type (its nil bad value
     * prints as the string "null").
     */
    public static FieldError notChecked() {
        return FieldError.invalid(ROOT, "null", "some validation rules were not checked because the object was "
                + "invalid; correct the existing errors to complete validation");
    }

    /** The errors of the rules of {@code rules} over a custom resource; {@code old} is null on create. */
    public List<FieldError> validate(SchemaRules rules, JsonNode object, JsonNode old) {
        List<FieldError> errors = new ArrayList<>();
        if (rules != null) {
            new Run(errors, budget).run(rules, object, old);
        }
        return errors;
    }

    /** A rule's evaluation ran out of cost: no further rule runs. */
    private static final class Stop extends Exception {
        Stop() {
            super(null, null, false, false);
        }
    }

    private final class Run {
        private final List<FieldError> errors;
        private final CostBudget budget;

        Run(List<FieldError> errors, long remaining) {
            this.errors = errors;
            this.budget = new CostBudget(remaining);
        }

        void run(SchemaRules rules, JsonNode object, JsonNode old) {
            try {
                walk(rules, "", object, old, true);
            } catch (Stop stop) {
                // the error that stopped the run is already reported
            }
        }

        private void walk(SchemaRules rules, String path, JsonNode value, JsonNode old, boolean resource)
                throws Stop {
            if (value == null || value.isNull() || value.isMissingNode()) {
                return;
            }
            if (old != null && old.isNull()) {
                old = null;
            }
            if (!rules.rules.isEmpty()) {
                evaluate(rules, path, value, old, resource);
            }
            if (value.isObject()) {
                for (var entry : rules.properties.entrySet()) {
                    JsonNode child = value.get(entry.getKey());
                    if (child != null && !(resource && entry.getKey().equals("metadata"))) {
                        walk(entry.getValue(), child(path, entry.getKey()), child,
                                old == null ? null : old.get(entry.getKey()), false);
                    }
                }
                if (rules.additionalProperties != null) {
                    for (var entry : value.properties()) {
                        walk(rules.additionalProperties, path + "[" + entry.getKey() + "]", entry.getValue(),
                                old == null ? null : old.get(entry.getKey()), false);
                    }
                }
            } else if (value.isArray() && rules.items != null) {
                Set<String> keys = rules.listMapKeys;
                for (int i = 0; i < value.size(); i++) {
                    JsonNode item = value.get(i);
                    JsonNode oldItem = keys.isEmpty() || old == null || !old.isArray() ? null : byKeys(old, item, keys);
                    walk(rules.items, path + "[" + i + "]", item, oldItem, false);
                }
            }
        }

        private void evaluate(SchemaRules rules, String path, JsonNode value, JsonNode old, boolean resource)
                throws Stop {
            String at = path.isEmpty() ? ROOT : path;
            String type = rules.schema.path("type").asString("");
            if (budget.remaining() <= 0) {
                errors.add(FieldError.invalid(at, type,
                        "validation failed due to running out of cost budget, no further validation rules will be run"));
                throw new Stop();
            }
            Object self = CelValues.of(rules.schema, value, resource);
            Object oldSelf = old == null ? null : CelValues.of(rules.schema, old, resource);
            boolean unchanged = old != null && old.equals(value);
            for (CompiledRule compiled : rules.rules) {
                ValidationRule rule = compiled.rule();
                if (compiled.program() == null) {
                    errors.add(FieldError.invalid(at, type, "rule compile error: " + compiled.compileError()));
                    continue;
                }
                if (compiled.usesOldSelf() && old == null && !rule.optionalOldSelf()) {
                    continue;
                }
                if (!compiled.usesOldSelf() && unchanged) {
                    continue;
                }
                Map<String, Object> activation = new HashMap<>(4);
                activation.put("self", self);
                if (rule.optionalOldSelf()) {
                    activation.put("oldSelf", Optional.ofNullable(oldSelf));
                } else if (oldSelf != null) {
                    activation.put("oldSelf", oldSelf);
                }
                Object result;
                try {
                    result = eval(compiled.program(), activation);
                } catch (CostBudget.LimitExceeded e) {
                    errors.add(FieldError.invalid(at, type, "'" + e.getMessage() + "': no further validation rules "
                            + "will be run due to call cost exceeds limit for rule: " + rule.errorString()));
                    throw new Stop();
                } catch (CelEvaluationException e) {
                    errors.add(FieldError.invalid(at, type, evaluationError(e, rule)));
                    continue;
                }
                if (Boolean.TRUE.equals(result)) {
                    continue;
                }
                String field = compiled.fieldPath().isEmpty() ? at
                        : compiled.fieldPath().startsWith("[") ? path + compiled.fieldPath()
                        : child(path, compiled.fieldPath());
                String detail = message(compiled, activation);
                errors.add(forReason(rule.reason(), field, type, detail));
            }
        }

        /** The messageExpression's result, or the rule's message if it has none or it does not give one. */
        private String message(CompiledRule compiled, Map<String, Object> activation) throws Stop {
            if (compiled.messageProgram() != null) {
                try {
                    Object message = eval(compiled.messageProgram(), activation);
                    if (message instanceof String s && !s.isBlank() && !s.contains("\n") && !s.contains("\r")) {
                        return s.strip();
                    }
                } catch (CostBudget.LimitExceeded e) {
                    errors.add(FieldError.invalid(ROOT, "", "messageExpression evaluation failed due to: "
                            + e.getMessage()));
                    throw new Stop();
                } catch (CelEvaluationException e) {
                    // as upstream: a messageExpression that fails to evaluate falls back to the message
                }
            }
            return compiled.rule().messageOrDefault();
        }

        /** Evaluates with a cost count: one per expression node visited, charged against the object's budget. */
        private Object eval(CelRuntime.Program program, Map<String, Object> activation)
                throws CelEvaluationException {
            return budget.eval(program, activation, perCallLimit);
        }
    }

    private static String child(String path, String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private static FieldError forReason(String reason, String field, String type, String detail) {
        if (reason == null) {
            return FieldError.invalid(field, type, detail);
        }
        return switch (reason) {
            case "FieldValueForbidden" -> FieldError.forbidden(field, detail);
            case "FieldValueRequired" -> FieldError.required(field, detail);
            case "FieldValueDuplicate" -> FieldError.duplicate(field, type);
            default -> FieldError.invalid(field, type, detail);
        };
    }

    /** The old item of a listType=map list with the same key values as {@code item}, or null. */
    private static JsonNode byKeys(JsonNode oldList, JsonNode item, Set<String> keys) {
        for (JsonNode candidate : oldList) {
            boolean same = true;
            for (String key : keys) {
                same &= item.path(key).equals(candidate.path(key));
            }
            if (same) {
                return candidate;
            }
        }
        return null;
    }

    /**
     * The detail of a rule that failed to evaluate, as upstream's: a call that matched no overload at run time (a dyn
     * value, as int-or-string) says so in upstream's words; other errors give the runtime's text without CEL-Java's
     * position prefix.
     */
    private static String evaluationError(CelEvaluationException e, ValidationRule rule) {
        String message = EvaluationErrors.of(e);
        if (message.startsWith("No matching overload") || message.startsWith("evaluation error: Ambiguous overloads")) {
            return "'no such overload': call arguments did not match a supported operator, function or macro "
                    + "signature for rule: " + rule.errorString();
        }
        return message + " evaluating rule: " + rule.errorString();
    }
}
