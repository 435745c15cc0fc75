package io.kube4j.scheduler.util;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;

import java.util.List;

/** Upstream's Toleration.ToleratesTaint semantics. */
public final class Tolerations {
    private Tolerations() {}

    public static boolean tolerates(Toleration t, Taint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) return false;
        if (t.getKey() != null && !t.getKey().isEmpty() && !t.getKey().equals(taint.getKey())) return false;
        String op = t.getOperator();
        if (op == null || op.isEmpty() || "Equal".equals(op)) {
            return nz(t.getValue()).equals(nz(taint.getValue()));
        }
        return "Exists".equals(op);
    }

    public static boolean anyTolerates(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) return false;
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) return true;
        }
        return false;
    }

    private static String nz(String s) { return s == null ? "" : s; }
}
