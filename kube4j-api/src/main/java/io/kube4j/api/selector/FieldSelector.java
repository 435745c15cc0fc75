package io.kube4j.api.selector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A field selector (upstream k8s.io/apimachinery/pkg/fields): an AND of {@code field=value}, {@code field==value} and
 * {@code field!=value} terms separated by commas; {@code \}, {@code ,} and {@code =} in values are escaped with a
 * backslash. Immutable.
 */
public final class FieldSelector {

    private static final FieldSelector EVERYTHING = new FieldSelector(List.of());
    private static final String[] OPERATORS = {"!=", "==", "="};

    private final List<FieldRequirement> requirements;

    private FieldSelector(List<FieldRequirement> requirements) {
        this.requirements = List.copyOf(requirements);
    }

    public static FieldSelector everything() {
        return EVERYTHING;
    }

    /**
     * Parses the {@code fieldSelector=} query parameter; null or "" selects everything.
     *
     * @throws SelectorParseException with upstream's message for a term without an operator or a bad escape
     */
    public static FieldSelector parse(String selector) {
        if (selector == null || selector.isEmpty()) {
            return EVERYTHING;
        }
        List<String> parts = splitTerms(selector);
        parts.sort(null);
        List<FieldRequirement> reqs = new ArrayList<>();
        for (String part : parts) {
            if (part.isEmpty()) {
                continue;
            }
            FieldRequirement r = splitTerm(part);
            if (r == null) {
                throw new SelectorParseException(
                        "invalid selector: '" + selector + "'; can't understand '" + part + "'");
            }
            reqs.add(r);
        }
        return reqs.isEmpty() ? EVERYTHING : new FieldSelector(reqs);
    }

    /** The selector requiring each field to have exactly the given value (upstream fields.SelectorFromSet). */
    public static FieldSelector fromMap(Map<String, String> fields) {
        List<FieldRequirement> reqs = new ArrayList<>();
        fields.forEach((k, v) -> reqs.add(new FieldRequirement(k, v, false)));
        reqs.sort((a, b) -> a.toString().compareTo(b.toString()));
        return new FieldSelector(reqs);
    }

    // Splits on commas that are not escaped.
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int start = 0;
        boolean inSlash = false;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (inSlash) {
                inSlash = false;
            } else if (c == '\\') {
                inSlash = true;
            } else if (c == ',') {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    // The first operator splits the term (upstream does not honour escapes on the left side either); the right
    // side is unescaped.
    private static FieldRequirement splitTerm(String term) {
        for (int i = 0; i < term.length(); i++) {
            for (String op : OPERATORS) {
                if (term.startsWith(op, i)) {
                    String value = unescapeValue(term.substring(i + op.length()));
                    return new FieldRequirement(term.substring(0, i), value, op.equals("!="));
                }
            }
        }
        return null;
    }

    /** Upstream fields.UnescapeValue. */
    static String unescapeValue(String s) {
        if (s.indexOf('\\') < 0 && s.indexOf(',') < 0 && s.indexOf('=') < 0) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length());
        boolean inSlash = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (inSlash) {
                if (c == '\\' || c == ',' || c == '=') {
                    sb.append(c);
                } else {
                    throw new SelectorParseException("invalid field selector: invalid escape sequence: \\" + c);
                }
                inSlash = false;
                continue;
            }
            switch (c) {
                case '\\' -> inSlash = true;
                // Go prints the rune with %v, i.e. as its code point number
                case ',', '=' -> throw new SelectorParseException(
                        "invalid field selector: unescaped character in value: " + (int) c);
                default -> sb.append(c);
            }
        }
        if (inSlash) {
            throw new SelectorParseException("invalid field selector: invalid escape sequence: \\");
        }
        return sb.toString();
    }

    /** Upstream fields.EscapeValue. */
    public static String escapeValue(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' || c == ',' || c == '=') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /**
     * Whether every term holds; {@code fieldGetter} gives a field's value for a field name (null or "" when absent).
     */
    public boolean matches(Function<String, String> fieldGetter) {
        for (FieldRequirement r : requirements) {
            if (!r.matches(fieldGetter.apply(r.field()))) {
                return false;
            }
        }
        return true;
    }

    /** Convenience for {@link #matches(Function)} over a map of field values. */
    public boolean matches(Map<String, String> fields) {
        return matches(fields::get);
    }

    public boolean matchesEverything() {
        return requirements.isEmpty();
    }

    /** The terms, sorted as upstream sorts them (by their text). */
    public List<FieldRequirement> requirements() {
        return requirements;
    }

    /**
     * Checks that every field named is one the resource supports.
     *
     * @throws SelectorParseException {@code field label not supported: X} for the first unsupported one
     */
    public void checkSupported(Collection<String> supportedFields) {
        for (FieldRequirement r : requirements) {
            if (!supportedFields.contains(r.field())) {
                throw new SelectorParseException("field label not supported: " + r.field());
            }
        }
    }

    /** The value a field must equal, when a {@code field=value} term names it (upstream RequiresExactMatch). */
    public Optional<String> requiresExactMatch(String field) {
        for (FieldRequirement r : requirements) {
            if (r.field().equals(field) && !r.negated()) {
                return Optional.of(r.value());
            }
        }
        return Optional.empty();
    }

    /** Canonical form: terms joined with ","; "" for everything. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (FieldRequirement r : requirements) {
            parts.add(r.toString());
        }
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FieldSelector s && requirements.equals(s.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode();
    }
}
