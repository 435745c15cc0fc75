package io.kube4j.apiserver.http;

/**
 * The weight ({@code q} parameter) of one element of an {@code Accept} or {@code Accept-Encoding} list, one reading
 * for both headers. A weight is a qvalue as RFC 9110 section 12.4.2 defines it: 0 to 1 with at most three decimals;
 * the parameter name is case-insensitive and spaces around {@code ;} and {@code =} are tolerated.
 * <p>
 * A {@code q} that is not a qvalue ({@code q=abc}, {@code q=}, {@code q=2}) weighs 0, "not acceptable": upstream's
 * negotiation (goautoneg, under kube-openapi and the API server's content negotiation) takes the value of a
 * {@code q} it cannot parse as 0, and reading an out-of-range one the same way keeps the element from being
 * preferred over everything a client spelled correctly ({@code q=2} is the one reading that differs: goautoneg
 * would put it first). What a weight of 0 then means is the caller's: for Accept-Encoding a coding named with it is
 * refused even beside {@code *}. Parameters other than {@code q}, and parameters without {@code =}, are not the
 * weight's business (goautoneg skips them too).
 */
public final class QValue {

    private QValue() {
    }

    /**
     * The weight of a list element whose parameters are {@code parameters} (what follows the element's first
     * {@code ;}, or null/empty when it has none): 1 without a {@code q}, else the {@code q}'s value, 0 when that is
     * not a qvalue. Of several {@code q} parameters the last counts, as in goautoneg.
     */
    public static double of(String parameters) {
        return parameters == null ? 1 : of(parameters, 0, parameters.length());
    }

    /**
     * {@link #of(String)} of the parameters in {@code text} from {@code from} to {@code to}, read in place: the
     * Accept header of every request is weighed, so no parameter is cut out of it.
     */
    public static double of(String text, int from, int to) {
        double weight = 1;
        int start = from;
        while (start < to) {
            int semicolon = text.indexOf(';', start);
            int end = semicolon < 0 || semicolon > to ? to : semicolon;
            int equals = text.indexOf('=', start);
            if (equals >= 0 && equals < end) {
                int nameStart = skipSpaces(text, start, equals);
                int nameEnd = trimSpaces(text, nameStart, equals);
                if (nameEnd - nameStart == 1 && (text.charAt(nameStart) == 'q' || text.charAt(nameStart) == 'Q')) {
                    int valueStart = skipSpaces(text, equals + 1, end);
                    weight = parse(text, valueStart, trimSpaces(text, valueStart, end));
                }
            }
            start = end + 1;
        }
        return weight;
    }

    /** The weight of a list element, {@code element} being all of it ("gzip;q=0.5", "application/json"). */
    public static double ofElement(String element) {
        int semicolon = element.indexOf(';');
        return semicolon < 0 ? 1 : of(element, semicolon + 1, element.length());
    }

    /** The first index from {@code from} (up to {@code to}) that is not whitespace. */
    static int skipSpaces(String text, int from, int to) {
        while (from < to && text.charAt(from) <= ' ') {
            from++;
        }
        return from;
    }

    /** {@code to} moved back over trailing whitespace, not before {@code from}. */
    static int trimSpaces(String text, int from, int to) {
        while (to > from && text.charAt(to - 1) <= ' ') {
            to--;
        }
        return to;
    }

    /** {@code value} as a qvalue ("0", "0.5", "1.000"); 0 when it is not one. */
    static double parse(String value) {
        return parse(value, 0, value.length());
    }

    private static double parse(String text, int from, int to) {
        int length = to - from;
        if (length == 0 || length > 5 || (text.charAt(from) != '0' && text.charAt(from) != '1')) {
            return 0;
        }
        if (length > 1 && text.charAt(from + 1) != '.') {
            return 0;
        }
        boolean one = text.charAt(from) == '1';
        int thousandths = 0;
        for (int i = 2; i < 5; i++) {
            int digit = 0;
            if (i < length) {
                char c = text.charAt(from + i);
                if (c < '0' || c > '9' || one && c != '0') {
                    return 0;
                }
                digit = c - '0';
            }
            thousandths = thousandths * 10 + digit;
        }
        return one ? 1 : thousandths / 1000.0;
    }
}
