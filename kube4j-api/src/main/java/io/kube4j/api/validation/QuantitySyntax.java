package io.kube4j.api.validation;

import java.math.BigDecimal;
import io.kube4j.api.quantity.Quantity;
import io.kube4j.api.quantity.QuantityFormatException;
import tools.jackson.databind.JsonNode;

/**
 * Reads resource quantities ({@code 100m}, {@code 1Gi}, {@code 1e3}) as exact decimals, enough to validate and
 * compare them, through the quantity package's {@link Quantity}.
 */
public final class QuantitySyntax {
    private QuantitySyntax() {
    }

    /** Upstream's message when a quantity string does not parse. */
    public static final String FORMAT_ERROR = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

    /** The value, or null when {@code s} is not a valid quantity. */
    public static BigDecimal parse(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Quantity.parse(s).toBigDecimal();
        } catch (QuantityFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** The canonical text of a quantity (as upstream's Quantity.String() prints it), or the raw text when it does not parse. */
    public static String canonical(JsonNode n) {
        if (n == null || n.isNull()) {
            return "";
        }
        try {
            Quantity q = Quantity.fromJson(n);
            return q == null ? "" : q.toString();
        } catch (QuantityFormatException | ArithmeticException e) {
            return n.isString() ? n.asString() : n.toString();
        }
    }

    /** A quantity given as JSON: a string or a number. Null when invalid. */
    public static BigDecimal parse(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isNumber()) {
            return n.decimalValue();
        }
        return n.isString() ? parse(n.asString()) : null;
    }
}
