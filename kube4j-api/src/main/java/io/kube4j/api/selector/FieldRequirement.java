package io.kube4j.api.selector;

/**
 * One term of a field selector: {@code field=value} ({@code negated == false}) or {@code field!=value}. The value is
 * unescaped.
 */
public record FieldRequirement(String field, String value, boolean negated) {

    /** Whether the term holds for the field's value; a missing field has the value "" (as upstream fields.Set). */
    public boolean matches(String actual) {
        boolean equal = value.equals(actual == null ? "" : actual);
        return negated != equal;
    }

    /** The term as upstream prints it, value escaped. */
    @Override
    public String toString() {
        return field + (negated ? "!=" : "=") + FieldSelector.escapeValue(value);
    }
}
