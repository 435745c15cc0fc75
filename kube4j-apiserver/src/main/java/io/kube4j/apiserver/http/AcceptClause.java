package io.kube4j.apiserver.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * One media range of an {@code Accept} header that accepts something, as goautoneg's ParseAccept reads it for
 * upstream's content negotiation (the API server's and kube-openapi's): {@code type/subtype} (case-insensitive), its
 * parameters, and its weight ({@link QValue}). {@link #parse} orders a header's clauses as upstream tries them: by
 * weight, then specificity ({@code application/json} before {@code application/*} before {@code *}{@code /*}), then
 * the client's order.
 * <p>
 * A clause points into the header rather than holding pieces cut out of it: every request's Accept header is read
 * (twice or more: whether it accepts JSON, whether it asks for a Table), and kubectl's names three ranges with three
 * parameters each.
 */
public final class AcceptClause {

    private static final Comparator<AcceptClause> BEST_FIRST = Comparator.comparingDouble(AcceptClause::weight)
            .reversed().thenComparing(Comparator.comparingInt(AcceptClause::specificity).reversed())
            .thenComparingInt(AcceptClause::position);

    /**
     * The clauses of {@code accept} that accept something, best first. A weight of 0 (or a {@code q} that is not a
     * qvalue) says "not acceptable", so such a clause is left out, as are malformed ranges (no {@code /}).
     */
    public static List<AcceptClause> parse(String accept) {
        if (accept.indexOf(',') < 0) { // one range, most clients' header: nothing to order
            AcceptClause only = element(accept, 0, accept.length(), 0);
            return only == null ? List.of() : List.of(only);
        }
        List<AcceptClause> clauses = new ArrayList<>(4);
        int position = 0;
        int start = 0;
        while (start <= accept.length()) {
            int comma = accept.indexOf(',', start);
            int end = comma < 0 ? accept.length() : comma;
            AcceptClause clause = element(accept, start, end, position++);
            if (clause != null) {
                clauses.add(clause);
            }
            start = end + 1;
        }
        if (clauses.size() > 1) {
            clauses.sort(BEST_FIRST);
        }
        return clauses;
    }

    private final String header;
    private final int typeStart;
    private final int slash;
    private final int rangeEnd;
    private final int parametersEnd;
    private final double weight;
    private final int position;

    /** The range from {@code typeStart} to {@code rangeEnd} of {@code header}, its parameters up to the next. */
    private AcceptClause(String header, int typeStart, int slash, int rangeEnd, int parametersEnd, double weight,
                         int position) {
        this.header = header;
        this.typeStart = typeStart;
        this.slash = slash;
        this.rangeEnd = rangeEnd;
        this.parametersEnd = parametersEnd;
        this.weight = weight;
        this.position = position;
    }

    /** The clause's weight, above 0 (its {@code q}, 1 without one). */
    public double weight() {
        return weight;
    }

    /** Where the clause stands in the header (0 the first element), which breaks ties. */
    public int position() {
        return position;
    }

    private static AcceptClause element(String header, int start, int end, int position) {
        int semicolon = header.indexOf(';', start);
        int rangeEnd = semicolon < 0 || semicolon > end ? end : semicolon;
        int typeStart = QValue.skipSpaces(header, start, rangeEnd);
        rangeEnd = QValue.trimSpaces(header, typeStart, rangeEnd);
        int slash = header.indexOf('/', typeStart);
        if (slash <= typeStart || slash >= rangeEnd - 1) {
            return null;
        }
        double weight = rangeEnd < end ? QValue.of(header, rangeEnd + 1, end) : 1;
        return weight > 0 ? new AcceptClause(header, typeStart, slash, rangeEnd, end, weight, position) : null;
    }

    /** The range's type, lower case ({@code application}, {@code *}). */
    public String type() {
        return header.substring(typeStart, slash).toLowerCase(Locale.ROOT);
    }

    /** The range's subtype, lower case ({@code json}, {@code *}). */
    public String subtype() {
        return header.substring(slash + 1, rangeEnd).toLowerCase(Locale.ROOT);
    }

    private boolean anyType() {
        return slash - typeStart == 1 && header.charAt(typeStart) == '*';
    }

    private boolean anySubtype() {
        return rangeEnd - slash == 2 && header.charAt(slash + 1) == '*';
    }

    /** 2 for a full media type, 1 for {@code type/*}, 0 for {@code *}{@code /*}. */
    public int specificity() {
        return anyType() ? 0 : anySubtype() ? 1 : 2;
    }

    /** Whether this range covers {@code mediaType} ({@code type/subtype}, lower case, without parameters). */
    public boolean matches(String mediaType) {
        int split = mediaType.indexOf('/');
        if (anyType()) {
            return true;
        }
        if (slash - typeStart != split || !header.regionMatches(true, typeStart, mediaType, 0, split)) {
            return false;
        }
        int subtypeLength = mediaType.length() - split - 1;
        return anySubtype() || rangeEnd - slash - 1 == subtypeLength
                && header.regionMatches(true, slash + 1, mediaType, split + 1, subtypeLength);
    }

    /** The value of parameter {@code name} (case-insensitive name, value as sent, trimmed), or null. */
    public String parameter(String name) {
        int start = rangeEnd + 1;
        while (start < parametersEnd) {
            int semicolon = header.indexOf(';', start);
            int end = semicolon < 0 || semicolon > parametersEnd ? parametersEnd : semicolon;
            int equals = header.indexOf('=', start);
            if (equals >= 0 && equals < end) {
                int nameStart = QValue.skipSpaces(header, start, equals);
                int nameEnd = QValue.trimSpaces(header, nameStart, equals);
                if (nameEnd - nameStart == name.length()
                        && header.regionMatches(true, nameStart, name, 0, name.length())) {
                    int valueStart = QValue.skipSpaces(header, equals + 1, end);
                    return header.substring(valueStart, QValue.trimSpaces(header, valueStart, end));
                }
            }
            start = end + 1;
        }
        return null;
    }
}
