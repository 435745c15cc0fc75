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
        double weight = 1;
        if (parameters == null || parameters.isEmpty()) {
            return weight;
        }
        for (String parameter : parameters.split(";", -1)) {
            int equals = parameter.indexOf('=');
            if (equals >= 0 && parameter.substring(0, equals).trim().equalsIgnoreCase("q")) {
                weight = parse(parameter.substring(equals + 1).trim());
            }
        }
        return weight;
    }

    /** The weight of a list element, {@code element} being all of it ("gzip;q=0.5", "application/json"). */
    public static double ofElement(String element) {
        int semicolon = element.indexOf(';');
        return semicolon < 0 ? 1 : of(element.substring(semicolon + 1));
    }

    /** {@code value} as a qvalue ("0", "0.5", "1.000"); 0 when it is not one. */
    static double parse(String value) {
        int length = value.length();
        if (length == 0 || length > 5 || (value.charAt(0) != '0' && value.charAt(0) != '1')) {
            return 0;
        }
        if (length > 1 && value.charAt(1) != '.') {
            return 0;
        }
        boolean one = value.charAt(0) == '1';
        int thousandths = 0;
        for (int i = 2; i < 5; i++) {
            int digit = 0;
            if (i < length) {
                char c = value.charAt(i);
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
