package io.kube4j.controllers.resourcequota;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Writes summed quantities the way the API prints them: whole numbers, millis for fractions, binary suffixes. */
final class QuantityFormat {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);
    private static final String[] BINARY = {"Ei", "Pi", "Ti", "Gi", "Mi", "Ki"};
    private static final int[] SHIFT = {60, 50, 40, 30, 20, 10};

    private QuantityFormat() {
    }

    static Quantity format(BigDecimal value, boolean binary) {
        BigDecimal v = value.stripTrailingZeros();
        if (v.signum() == 0) {
            return new Quantity("0");
        }
        if (v.scale() > 0) {
            BigDecimal millis = v.multiply(THOUSAND).setScale(0, RoundingMode.CEILING);
            return new Quantity(millis.toPlainString() + "m");
        }
        if (binary) {
            java.math.BigInteger i = v.toBigIntegerExact();
            for (int k = 0; k < BINARY.length; k++) {
                java.math.BigInteger unit = java.math.BigInteger.ONE.shiftLeft(SHIFT[k]);
                if (i.compareTo(unit) >= 0 && i.mod(unit).signum() == 0) {
                    return new Quantity(i.divide(unit) + BINARY[k]);
                }
            }
        }
        return new Quantity(v.toPlainString());
    }
}
