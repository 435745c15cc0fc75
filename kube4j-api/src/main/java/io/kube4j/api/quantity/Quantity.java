package io.kube4j.api.quantity;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import tools.jackson.databind.JsonNode;

/**
 * A resource quantity (upstream k8s.io/apimachinery/pkg/api/resource.Quantity): an exact decimal with at most nine
 * fractional digits and the format it was written in, printed in upstream's canonical form ({@code 1.5} prints as
 * {@code 1500m}, {@code 1.5Gi} as {@code 1536Mi}). Immutable; equality is by value.
 */
public final class Quantity implements Comparable<Quantity> {

    /** How a quantity is printed. */
    public enum Format {
        /** e.g. 12e6 */
        DECIMAL_EXPONENT,
        /** e.g. 12Mi (powers of 1024) */
        BINARY_SI,
        /** e.g. 12M, 12m (powers of 1000) */
        DECIMAL_SI
    }

    public static final Quantity ZERO = new Quantity(BigDecimal.ZERO, Format.DECIMAL_SI);

    private static final BigDecimal MAX_INT64 = BigDecimal.valueOf(Long.MAX_VALUE);
    private static final BigDecimal MIN_INT64 = BigDecimal.valueOf(Long.MIN_VALUE);
    private static final BigInteger B1024 = BigInteger.valueOf(1024);
    private static final int NANO_SCALE = 9;
    // Far beyond any real resource; keeps BigDecimal arithmetic bounded for absurd exponents like 1e999999999.
    private static final int MAX_EXPONENT = 1000;
    private static final String[] BINARY_SUFFIXES = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

    private final BigDecimal amount;
    private final Format format;

    private Quantity(BigDecimal amount, Format format) {
        this.amount = amount;
        this.format = format;
    }

    /**
     * Parses a quantity as upstream ParseQuantity does, including its leniencies ({@code .5}, {@code 1.}).
     *
     * @throws QuantityFormatException with upstream's message for malformed input
     */
    public static Quantity parse(String str) {
        if (str == null || str.isEmpty()) {
            throw new QuantityFormatException(QuantityFormatException.FORMAT_WRONG);
        }
        int end = str.length();
        int pos = 0;
        boolean positive = true;
        char first = str.charAt(0);
        if (first == '-' || first == '+') {
            positive = first == '+';
            pos++;
        }
        while (pos < end && str.charAt(pos) == '0') {
            pos++;
        }
        if (pos >= end) {
            return ZERO;
        }
        int numStart = pos;
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        String num = str.substring(numStart, pos);
        if (num.isEmpty()) {
            num = "0";
        }
        String denom = "";
        if (pos < end && str.charAt(pos) == '.') {
            pos++;
            int denomStart = pos;
            while (pos < end && isDigit(str.charAt(pos))) {
                pos++;
            }
            denom = str.substring(denomStart, pos);
        }
        int suffixStart = pos;
        while (pos < end && "eEinumkKMGTP".indexOf(str.charAt(pos)) >= 0) {
            pos++;
        }
        if (pos < end && (str.charAt(pos) == '-' || str.charAt(pos) == '+')) {
            pos++;
        }
        while (pos < end && isDigit(str.charAt(pos))) {
            pos++;
        }
        if (pos < end) {
            throw new QuantityFormatException(QuantityFormatException.FORMAT_WRONG);
        }
        String suffix = str.substring(suffixStart);

        Format format;
        int base = 10;
        int exponent;
        int decimal = decimalSuffixExponent(suffix);
        int binary = binarySuffixExponent(suffix);
        if (decimal != Integer.MIN_VALUE) {
            format = Format.DECIMAL_SI;
            exponent = decimal;
        } else if (binary != Integer.MIN_VALUE) {
            format = Format.BINARY_SI;
            base = 2;
            exponent = binary;
        } else if (suffix.length() > 1 && (suffix.charAt(0) == 'e' || suffix.charAt(0) == 'E')) {
            format = Format.DECIMAL_EXPONENT;
            try {
                long e = Long.parseLong(suffix.substring(1));
                if (Math.abs(e) > MAX_EXPONENT) {
                    throw new QuantityFormatException(QuantityFormatException.NUMERIC);
                }
                exponent = (int) e;
            } catch (NumberFormatException e) {
                throw new QuantityFormatException(QuantityFormatException.SUFFIX);
            }
        } else {
            throw new QuantityFormatException(QuantityFormatException.SUFFIX);
        }

        BigDecimal amount = new BigDecimal(new BigInteger(num + denom), denom.length());
        amount = base == 10 ? amount.scaleByPowerOfTen(exponent) : amount.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(exponent)));
        // Non-zero values are rounded up to the nearest nano: asking for a tiny amount still gets some.
        if (amount.signum() != 0 && amount.scale() > NANO_SCALE) {
            amount = amount.setScale(NANO_SCALE, RoundingMode.UP);
        }
        if (format == Format.BINARY_SI && amount.compareTo(MAX_INT64) > 0) {
            amount = MAX_INT64;
        }
        if (format == Format.BINARY_SI && amount.compareTo(BigDecimal.ONE) < 0 && amount.signum() > 0) {
            format = Format.DECIMAL_SI;
        }
        return new Quantity(positive ? amount : amount.negate(), format);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int decimalSuffixExponent(String s) {
        return switch (s) {
            case "n" -> -9;
            case "u" -> -6;
            case "m" -> -3;
            case "" -> 0;
            case "k" -> 3;
            case "M" -> 6;
            case "G" -> 9;
            case "T" -> 12;
            case "P" -> 15;
            case "E" -> 18;
            default -> Integer.MIN_VALUE;
        };
    }

    private static int binarySuffixExponent(String s) {
        for (int i = 1; i < BINARY_SUFFIXES.length; i++) {
            if (BINARY_SUFFIXES[i].equals(s)) {
                return i * 10;
            }
        }
        return Integer.MIN_VALUE;
    }

    /**
     * A quantity from its JSON form: a string, or a number (which upstream also accepts); null for JSON null.
     *
     * @throws QuantityFormatException for anything else or a malformed string
     */
    public static Quantity fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isString()) {
            return parse(node.asString().trim());
        }
        if (node.isNumber()) {
            return parse(node.isIntegralNumber() ? node.bigIntegerValue().toString() : node.decimalValue().toPlainString());
        }
        throw new QuantityFormatException(QuantityFormatException.FORMAT_WRONG);
    }

    /** {@code value} in the given format (upstream NewQuantity). */
    public static Quantity of(long value, Format format) {
        return new Quantity(BigDecimal.valueOf(value), format);
    }

    /** {@code value / 1000}, printed in DecimalSI (upstream NewMilliQuantity). */
    public static Quantity ofMillis(long milliValue) {
        return new Quantity(BigDecimal.valueOf(milliValue, 3), Format.DECIMAL_SI);
    }

    /** {@code value × 10^scale} in the given format (upstream NewScaledQuantity with a format). */
    public static Quantity ofScaled(long value, int scale, Format format) {
        return new Quantity(BigDecimal.valueOf(value).scaleByPowerOfTen(scale), format);
    }

    public Format format() {
        return format;
    }

    /** The exact value. */
    public BigDecimal toBigDecimal() {
        return amount;
    }

    public boolean isZero() {
        return amount.signum() == 0;
    }

    public int signum() {
        return amount.signum();
    }

    /** The value rounded up (away from zero) to an integer, saturated to the long range (upstream Value()). */
    public long value() {
        return saturate(amount.setScale(0, RoundingMode.UP));
    }

    /** The value in thousandths rounded up (away from zero), saturated (upstream MilliValue()). */
    public long milliValue() {
        return saturate(amount.scaleByPowerOfTen(3).setScale(0, RoundingMode.UP));
    }

    /** The value in units of 10^scale rounded up (away from zero), saturated (upstream ScaledValue()). */
    public long scaledValue(int scale) {
        return saturate(amount.scaleByPowerOfTen(-scale).setScale(0, RoundingMode.UP));
    }

    private static long saturate(BigDecimal integral) {
        if (integral.compareTo(MAX_INT64) > 0) {
            return Long.MAX_VALUE;
        }
        if (integral.compareTo(MIN_INT64) < 0) {
            return Long.MIN_VALUE;
        }
        return integral.longValueExact();
    }

    /** The sum, in this quantity's format (or the other's when this one is zero), as upstream Add. */
    public Quantity add(Quantity other) {
        return new Quantity(amount.add(other.amount), isZero() ? other.format : format);
    }

    /** The difference, in this quantity's format (or the other's when this one is zero), as upstream Sub. */
    public Quantity subtract(Quantity other) {
        return new Quantity(amount.subtract(other.amount), isZero() ? other.format : format);
    }

    public Quantity negate() {
        return new Quantity(amount.negate(), format);
    }

    @Override
    public int compareTo(Quantity other) {
        return amount.compareTo(other.amount);
    }

    /** The canonical form upstream serialises: no precision lost, no fractional digits, the largest suffix. */
    @Override
    public String toString() {
        if (amount.signum() == 0) {
            return "0";
        }
        Format f = format;
        BigInteger integral = null;
        if (f == Format.BINARY_SI) {
            if (amount.compareTo(BigDecimal.valueOf(-1024)) > 0 && amount.compareTo(BigDecimal.valueOf(1024)) < 0) {
                f = Format.DECIMAL_SI;
            } else if (amount.stripTrailingZeros().scale() > 0) {
                f = Format.DECIMAL_SI;
            } else {
                integral = amount.toBigIntegerExact();
            }
        }
        if (f == Format.BINARY_SI) {
            int exponent = 0;
            while (exponent < BINARY_SUFFIXES.length - 1 && integral.mod(B1024).signum() == 0) {
                integral = integral.divide(B1024);
                exponent++;
            }
            return integral + BINARY_SUFFIXES[exponent];
        }
        BigDecimal stripped = amount.stripTrailingZeros();
        BigInteger mantissa = stripped.unscaledValue();
        int exponent = -stripped.scale();
        int rem = Math.floorMod(exponent, 3);
        if (rem != 0) {
            mantissa = mantissa.multiply(BigInteger.TEN.pow(rem));
            exponent -= rem;
        }
        return mantissa + decimalSuffix(exponent, f);
    }

    private static String decimalSuffix(int exponent, Format format) {
        if (format == Format.DECIMAL_EXPONENT) {
            return exponent == 0 ? "" : "e" + exponent;
        }
        return switch (exponent) {
            case -9 -> "n";
            case -6 -> "u";
            case -3 -> "m";
            case 0 -> "";
            case 3 -> "k";
            case 6 -> "M";
            case 9 -> "G";
            case 12 -> "T";
            case 15 -> "P";
            case 18 -> "E";
            default -> "e" + exponent;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Quantity q && amount.compareTo(q.amount) == 0;
    }

    @Override
    public int hashCode() {
        return amount.signum() == 0 ? 0 : amount.stripTrailingZeros().hashCode();
    }
}
