package io.kube4j.apiserver.metrics;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Numbers as upstream's {@code /metrics} prints them (prometheus client_golang's text format): a sample value and a
 * bucket's {@code le} are float64s written by Go's {@code strconv.FormatFloat(f, 'g', -1, 64)} - the fewest digits
 * that read back as the same double, in exponent form from 1e+06 up and below 1e-04 ({@code 1}, {@code 0.005},
 * {@code 123456}, {@code 1.234567e+06}, {@code 1e-05}) - with {@code +Inf}, {@code -Inf} and {@code NaN}. Java's
 * {@code Double.toString} prints {@code 1.0} and {@code 1.0E-5}, which scrapers parse but which differ from
 * upstream's text byte for byte.
 */
public final class PrometheusNumbers {

    /** Go's 'g' with the shortest precision switches to an exponent from this decimal exponent on. */
    private static final int EXPONENT_FROM = 6;
    private static final int EXPONENT_BELOW = -4;
    /** Integers below this print as themselves without a detour through the double formatting. */
    private static final long PLAIN_LIMIT = 1_000_000L;

    private PrometheusNumbers() {
    }

    /** A counter's or gauge's value kept as a long: upstream's float64 sample of it. */
    public static StringBuilder append(StringBuilder out, long value) {
        if (value > -PLAIN_LIMIT && value < PLAIN_LIMIT) {
            return out.append(value);
        }
        return out.append(format(value));
    }

    public static StringBuilder append(StringBuilder out, double value) {
        return out.append(format(value));
    }

    public static String format(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal shortest = shortest(value);
        String digits = shortest.unscaledValue().abs().toString();
        // the decimal point's place counted from the first digit, as Go's decimal "dp"
        int point = digits.length() - shortest.scale();
        int exponent = point - 1;
        StringBuilder out = new StringBuilder(24);
        if (value < 0) {
            out.append('-');
        }
        if (exponent < EXPONENT_BELOW || exponent >= EXPONENT_FROM) {
            out.append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            out.append('e').append(exponent < 0 ? '-' : '+');
            int magnitude = Math.abs(exponent);
            if (magnitude < 10) {
                out.append('0');
            }
            return out.append(magnitude).toString();
        }
        if (point <= 0) {
            out.append("0.");
            out.append("0".repeat(-point)).append(digits);
        } else if (point >= digits.length()) {
            out.append(digits).append("0".repeat(point - digits.length()));
        } else {
            out.append(digits, 0, point).append('.').append(digits, point, digits.length());
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that parses back to {@code value}, the nearest one of them -
     * what Go's shortest formatting picks. JDK 17's {@code Double.toString} is not always the shortest, so each
     * precision is tried on the exact value.
     */
    private static BigDecimal shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int precision = 1; precision < 17; precision++) {
            BigDecimal rounded = exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
            if (rounded.doubleValue() == value) {
                return rounded.stripTrailingZeros();
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)).stripTrailingZeros();
    }
}
