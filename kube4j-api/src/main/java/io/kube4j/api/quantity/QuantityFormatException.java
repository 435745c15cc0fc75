package io.kube4j.api.quantity;

/** A string that is not a valid resource quantity; the message is upstream's. */
public final class QuantityFormatException extends IllegalArgumentException {

    public static final String FORMAT_WRONG =
            "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
    public static final String NUMERIC = "unable to parse numeric part of quantity";
    public static final String SUFFIX = "unable to parse quantity's suffix";

    public QuantityFormatException(String message) {
        super(message);
    }
}
