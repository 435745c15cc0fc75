package io.kube4j.scheduler.util;

import io.fabric8.kubernetes.api.model.Quantity;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Converts API quantities to the integer units the scheduler computes with. */
public final class Quantities {
    private static final BigDecimal THOUSAND = BigDecimal.valueOf(1000);

    private Quantities() {}

    /** CPU in millicores, rounded up as upstream's MilliValue. */
    public static long milli(Quantity q) {
        if (q == null) return 0;
        return Quantity.getAmountInBytes(q).multiply(THOUSAND).setScale(0, RoundingMode.CEILING).longValue();
    }

    /** Whole units (bytes, counts), rounded up as upstream's Value. */
    public static long value(Quantity q) {
        if (q == null) return 0;
        return Quantity.getAmountInBytes(q).setScale(0, RoundingMode.CEILING).longValue();
    }
}
