package io.kube4j.controllers.podautoscaler;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.RoundingMode;

/** Quantities as milli-units, the unit the autoscaler computes in (as upstream's MilliValue). */
final class Quantities {
    private Quantities() {
    }

    static long milli(Quantity q) {
        return q.getNumericalAmount().multiply(BigDecimal.valueOf(1000)).setScale(0, RoundingMode.UP).longValueExact();
    }

    static Quantity ofMilli(long milli) {
        if (milli % 1000 == 0) {
            return new Quantity(Long.toString(milli / 1000));
        }
        return new Quantity(milli + "m");
    }
}
