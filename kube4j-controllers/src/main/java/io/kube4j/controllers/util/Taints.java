package io.kube4j.controllers.util;

import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Objects;

/** Taint and toleration matching as upstream's v1helper. */
public final class Taints {
    private Taints() {
    }

    public static boolean tolerates(Toleration t, Taint taint) {
        if (t.getEffect() != null && !t.getEffect().isEmpty() && !t.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (t.getKey() == null || t.getKey().isEmpty()) {
            return "Exists".equals(t.getOperator());
        }
        if (!t.getKey().equals(taint.getKey())) {
            return false;
        }
        if ("Exists".equals(t.getOperator())) {
            return true;
        }
        return Objects.equals(t.getValue() == null ? "" : t.getValue(), taint.getValue() == null ? "" : taint.getValue());
    }

    /** The first toleration of the list that tolerates the taint, or null. */
    public static Toleration toleration(List<Toleration> tolerations, Taint taint) {
        if (tolerations == null) {
            return null;
        }
        for (Toleration t : tolerations) {
            if (tolerates(t, taint)) {
                return t;
            }
        }
        return null;
    }
}
