package io.kube4j.api.selector;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * A label selector (upstream labels.Selector): an AND of {@link LabelRequirement}s, or the special selector that
 * matches nothing. Immutable and thread-safe.
 */
public final class LabelSelector {

    private static final LabelSelector EVERYTHING = new LabelSelector(List.of(), false);
    private static final LabelSelector NOTHING = new LabelSelector(List.of(), true);

    private final List<LabelRequirement> requirements;
    private final boolean nothing;

    private LabelSelector(List<LabelRequirement> requirements, boolean nothing) {
        this.requirements = List.copyOf(requirements);
        this.nothing = nothing;
    }

    /** The selector that matches every label set (an empty string or an empty metav1.LabelSelector). */
    public static LabelSelector everything() {
        return EVERYTHING;
    }

    /** The selector that matches no label set (a null metav1.LabelSelector). */
    public static LabelSelector nothing() {
        return NOTHING;
    }

    /**
     * Parses the string form ({@code labelSelector=} query parameter), e.g. {@code a=b,c!=d,e in (x,y),!f}.
     * A null or blank string selects everything.
     *
     * @throws SelectorParseException with upstream's message when the selector is malformed or invalid
     */
    public static LabelSelector parse(String selector) {
        if (selector == null) {
            return EVERYTHING;
        }
        List<LabelRequirement> reqs = LabelSelectorParser.parse(selector);
        return reqs.isEmpty() ? EVERYTHING : new LabelSelector(reqs, false);
    }

    /**
     * The selector of a metav1.LabelSelector object ({@code matchLabels} and {@code matchExpressions}), as upstream
     * LabelSelectorAsSelector: null/missing selects nothing, an empty object selects everything.
     *
     * @throws SelectorParseException when an operator is unknown or a requirement is invalid
     */
    public static LabelSelector fromJson(JsonNode labelSelector) {
        if (labelSelector == null || labelSelector.isNull() || labelSelector.isMissingNode()) {
            return NOTHING;
        }
        if (!labelSelector.isObject()) {
            throw new SelectorParseException("label selector must be an object");
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        JsonNode matchLabels = labelSelector.path("matchLabels");
        if (matchLabels.isObject()) {
            for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
                reqs.add(LabelRequirement.of(e.getKey(), Operator.EQUALS, List.of(text(e.getValue()))));
            }
        }
        JsonNode expressions = labelSelector.path("matchExpressions");
        if (expressions.isArray()) {
            for (JsonNode expr : expressions) {
                String op = text(expr.path("operator"));
                Operator operator = switch (op) {
                    case "In" -> Operator.IN;
                    case "NotIn" -> Operator.NOT_IN;
                    case "Exists" -> Operator.EXISTS;
                    case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
                    default -> throw new SelectorParseException(FieldErrors.goQuote(op)
                            + " is not a valid label selector operator");
                };
                List<String> values = new ArrayList<>();
                for (JsonNode v : expr.path("values")) {
                    values.add(text(v));
                }
                reqs.add(LabelRequirement.of(text(expr.path("key")), operator, values));
            }
        }
        if (reqs.isEmpty()) {
            return EVERYTHING;
        }
        reqs.sort((a, b) -> a.key().compareTo(b.key()));
        return new LabelSelector(reqs, false);
    }

    /**
     * The selector matching exactly the given labels (upstream SelectorFromSet, e.g. a Service's or
     * ReplicationController's {@code spec.selector}); null or empty selects everything. Not validated.
     */
    public static LabelSelector fromMap(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return EVERYTHING;
        }
        List<LabelRequirement> reqs = new ArrayList<>();
        labels.forEach((k, v) -> reqs.add(LabelRequirement.unchecked(k, Operator.EQUALS, List.of(v))));
        reqs.sort((a, b) -> a.key().compareTo(b.key()));
        return new LabelSelector(reqs, false);
    }

    private static String text(JsonNode node) {
        return node == null || node.isNull() || node.isMissingNode() ? "" : node.asString();
    }

    /** Whether every requirement holds for these labels (null means no labels). */
    public boolean matches(Map<String, String> labels) {
        if (nothing) {
            return false;
        }
        Map<String, String> ls = labels == null ? Map.of() : labels;
        for (LabelRequirement r : requirements) {
            if (!r.matches(ls)) {
                return false;
            }
        }
        return true;
    }

    /** True when the selector does not restrict anything (upstream Selector.Empty()). */
    public boolean matchesEverything() {
        return !nothing && requirements.isEmpty();
    }

    /** True only for {@link #nothing()}. */
    public boolean matchesNothing() {
        return nothing;
    }

    /** The requirements, sorted by key. */
    public List<LabelRequirement> requirements() {
        return requirements;
    }

    /**
     * The value a label must have when the selector requires one exact value for it ({@code k=v}, {@code k==v},
     * {@code k in (v)}), as upstream RequiresExactMatch; lets a caller use an index.
     */
    public Optional<String> requiresExactMatch(String key) {
        for (LabelRequirement r : requirements) {
            if (r.key().equals(key)) {
                if ((r.operator() == Operator.EQUALS || r.operator() == Operator.DOUBLE_EQUALS
                        || r.operator() == Operator.IN) && r.values().size() == 1) {
                    return Optional.of(r.values().get(0));
                }
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** The canonical string form (requirements sorted by key, joined with ","); "" for everything and nothing. */
    @Override
    public String toString() {
        List<String> parts = new ArrayList<>();
        for (LabelRequirement r : requirements) {
            parts.add(r.toString());
        }
        return String.join(",", parts);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelSelector s && nothing == s.nothing && requirements.equals(s.requirements);
    }

    @Override
    public int hashCode() {
        return requirements.hashCode() * 2 + (nothing ? 1 : 0);
    }
}
