package io.kube4j.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One requirement of a label selector: a key, an operator and values (upstream labels.Requirement). Immutable; use
 * {@link #of} to build a validated one.
 */
public final class LabelRequirement {

    private final String key;
    private final Operator operator;
    private final List<String> values;

    private LabelRequirement(String key, Operator operator, List<String> values) {
        this.key = key;
        this.operator = operator;
        this.values = List.copyOf(values);
    }

    /**
     * Builds a requirement checking the same rules as upstream NewRequirement, and fails with upstream's aggregated
     * field error message.
     */
    public static LabelRequirement of(String key, Operator operator, List<String> values) {
        List<String> errs = new ArrayList<>();
        List<String> keyErrs = LabelSyntax.labelKeyErrors(key);
        if (!keyErrs.isEmpty()) {
            errs.add(FieldErrors.invalid("key", key, String.join("; ", keyErrs)));
        }
        switch (operator) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    errs.add(FieldErrors.invalid("values", values, "for 'in', 'notin' operators, values set can't be empty"));
                }
            }
            case EQUALS, DOUBLE_EQUALS, NOT_EQUALS -> {
                if (values.size() != 1) {
                    errs.add(FieldErrors.invalid("values", values, "exact-match compatibility requires one single value"));
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    errs.add(FieldErrors.invalid("values", values, "values set must be empty for exists and does not exist"));
                }
            }
            case GREATER_THAN, LESS_THAN -> {
                if (values.size() != 1) {
                    errs.add(FieldErrors.invalid("values", values, "for 'Gt', 'Lt' operators, exactly one value is required"));
                }
                for (int i = 0; i < values.size(); i++) {
                    if (parseLong(values.get(i)) == null) {
                        errs.add(FieldErrors.invalid("values[" + i + "]", values.get(i),
                                "for 'Gt', 'Lt' operators, the value must be an integer"));
                    }
                }
            }
        }
        for (int i = 0; i < values.size(); i++) {
            List<String> valueErrs = LabelSyntax.labelValueErrors(values.get(i));
            if (!valueErrs.isEmpty()) {
                errs.add(FieldErrors.invalid("values[" + i + "][" + key + "]", values.get(i), String.join("; ", valueErrs)));
            }
        }
        if (!errs.isEmpty()) {
            throw new SelectorParseException(FieldErrors.aggregate(errs));
        }
        return new LabelRequirement(key, operator, values);
    }

    /** A requirement whose key and values are known to be valid (e.g. taken from a stored, validated object). */
    static LabelRequirement unchecked(String key, Operator operator, List<String> values) {
        return new LabelRequirement(key, operator, values);
    }

    public String key() {
        return key;
    }

    public Operator operator() {
        return operator;
    }

    /** The values in the order given (parsed selectors hold them sorted and without duplicates, as upstream). */
    public List<String> values() {
        return values;
    }

    public boolean matches(Map<String, String> labels) {
        String value = labels == null ? null : labels.get(key);
        return switch (operator) {
            case IN, EQUALS, DOUBLE_EQUALS -> value != null && values.contains(value);
            case NOT_IN, NOT_EQUALS -> value == null || !values.contains(value);
            case EXISTS -> value != null;
            case DOES_NOT_EXIST -> value == null;
            case GREATER_THAN, LESS_THAN -> {
                Long actual = value == null ? null : parseLong(value);
                Long bound = values.size() == 1 ? parseLong(values.get(0)) : null;
                if (actual == null || bound == null) {
                    yield false;
                }
                yield operator == Operator.GREATER_THAN ? actual > bound : actual < bound;
            }
        };
    }

    private static Long parseLong(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** The canonical string form, as upstream Requirement.String(): values of a set are printed sorted. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        if (operator == Operator.DOES_NOT_EXIST) {
            sb.append('!');
        }
        sb.append(key);
        switch (operator) {
            case EXISTS, DOES_NOT_EXIST -> {
                return sb.toString();
            }
            case EQUALS -> sb.append('=');
            case DOUBLE_EQUALS -> sb.append("==");
            case NOT_EQUALS -> sb.append("!=");
            case IN -> sb.append(" in ");
            case NOT_IN -> sb.append(" notin ");
            case GREATER_THAN -> sb.append('>');
            case LESS_THAN -> sb.append('<');
        }
        boolean set = operator == Operator.IN || operator == Operator.NOT_IN;
        if (set) {
            sb.append('(');
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        sb.append(String.join(",", sorted));
        if (set) {
            sb.append(')');
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelRequirement r && key.equals(r.key) && operator == r.operator && values.equals(r.values);
    }

    @Override
    public int hashCode() {
        return (key.hashCode() * 31 + operator.hashCode()) * 31 + values.hashCode();
    }
}
