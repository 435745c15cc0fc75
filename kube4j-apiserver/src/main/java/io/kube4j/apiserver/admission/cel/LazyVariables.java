package io.kube4j.apiserver.admission.cel;

import java.util.AbstractMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * A policy's {@code variables} for one evaluation, as upstream's composited lazy map: every declared variable is
 * present, but its expression runs only when an expression first reads it, and its value (or error) is kept for the
 * rest of the evaluation. A variable nobody reads never runs, so neither its error nor its cost counts. Reading one
 * that failed fails the reading expression with upstream's {@code composited variable "NAME" fails to ...}.
 */
public final class LazyVariables extends AbstractMap<String, Object> {

    /** Runs one variable's expression: its value, or the error message. */
    public interface Evaluator {
        Object evaluate(CompiledExpression expression) throws VariableFailed;
    }

    /** A variable that could not be had; thrown out of a read, through the reading expression's evaluation. */
    public static final class VariableFailed extends RuntimeException {
        public VariableFailed(String message) {
            super(message, null, false, false);
        }
    }

    private record Outcome(Object value, String error) {
    }

    private final Map<String, CompiledExpression> declared = new LinkedHashMap<>();
    private final Map<String, Outcome> evaluated = new HashMap<>();
    private final Evaluator evaluator;

    public LazyVariables(Iterable<NamedExpression> variables, Evaluator evaluator) {
        for (NamedExpression variable : variables) {
            declared.putIfAbsent(variable.name(), variable.expression());
        }
        this.evaluator = evaluator;
    }

    @Override
    public boolean containsKey(Object key) {
        return declared.containsKey(key);
    }

    @Override
    public Object get(Object key) {
        CompiledExpression expression = declared.get(key);
        if (expression == null) {
            return null;
        }
        String name = (String) key;
        Outcome outcome = evaluated.get(name);
        if (outcome == null) {
            // not computeIfAbsent: a variable may read another one, which evaluates (and stores) in turn
            if (!expression.compiled()) {
                outcome = new Outcome(null, "composited variable \"" + name + "\" fails to compile: "
                        + expression.error());
            } else {
                try {
                    outcome = new Outcome(evaluator.evaluate(expression), null);
                } catch (VariableFailed e) {
                    outcome = new Outcome(null, "composited variable \"" + name + "\" fails to evaluate: "
                            + e.getMessage());
                }
            }
            evaluated.put(name, outcome);
        }
        if (outcome.error() != null) {
            throw new VariableFailed(outcome.error());
        }
        return outcome.value();
    }

    /** Every variable, each evaluated: only for an expression that walks the whole map. */
    @Override
    public Set<Entry<String, Object>> entrySet() {
        Set<Entry<String, Object>> entries = new LinkedHashSet<>();
        for (String name : declared.keySet()) {
            entries.add(new SimpleImmutableEntry<>(name, get(name)));
        }
        return entries;
    }

    @Override
    public int size() {
        return declared.size();
    }
}
