package io.kube4j.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;

/** intstr.GetScaledValueFromIntOrPercent and upstream's ResolveFenceposts. */
public final class IntOrPercent {
    private IntOrPercent() {
    }

    public static int scaled(IntOrString v, int total, boolean roundUp, int defaultPercent) {
        if (v == null) {
            return percentOf(defaultPercent, total, roundUp);
        }
        if (v.getIntVal() != null) {
            return v.getIntVal();
        }
        String s = v.getStrVal();
        if (s == null) {
            Object value = v.getValue();
            if (value instanceof Number n) {
                return n.intValue();
            }
            s = String.valueOf(value);
        }
        s = s.trim();
        if (!s.endsWith("%")) {
            return Integer.parseInt(s);
        }
        return percentOf(Integer.parseInt(s.substring(0, s.length() - 1)), total, roundUp);
    }

    private static int percentOf(int percent, int total, boolean roundUp) {
        long product = (long) percent * total;
        return (int) (roundUp ? (product + 99) / 100 : product / 100);
    }

    /** maxSurge rounds up, maxUnavailable rounds down; both zero would block a rollout, so unavailable becomes 1. */
    public static int[] resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
        int surge = scaled(maxSurge, desired, true, 25);
        int unavailable = scaled(maxUnavailable, desired, false, 25);
        if (surge == 0 && unavailable == 0) {
            unavailable = 1;
        }
        return new int[] {surge, unavailable};
    }
}
