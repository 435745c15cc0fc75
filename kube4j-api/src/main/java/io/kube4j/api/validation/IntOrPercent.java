package io.kube4j.api.validation;

import java.util.List;
import tools.jackson.databind.JsonNode;

/** intstr.IntOrString rules of apps and policy: non-negative ints or percentages, at most 100%. */
final class IntOrPercent {
    private IntOrPercent() {
    }

    static GoFormat.Raw raw(JsonNode v) {
        if (v == null || v.isNull()) {
            return new GoFormat.Raw("0");
        }
        return new GoFormat.Raw(v.isString() ? v.asString() : v.toString());
    }

    static void positive(JsonNode v, String path, List<FieldError> errs) {
        if (v == null || v.isNull()) {
            return;
        }
        if (v.isString()) {
            for (String m : NameValidation.isValidPercent(v.asString())) {
                errs.add(FieldError.invalid(path, raw(v), m));
            }
        } else if (v.isIntegralNumber()) {
            if (v.asLong() < 0) {
                errs.add(FieldError.invalid(path, v.asLong(), "must be greater than or equal to 0"));
            }
        } else {
            errs.add(FieldError.invalid(path, raw(v), "must be an integer or percentage (e.g '5%')"));
        }
    }

    static void notMoreThan100Percent(JsonNode v, String path, List<FieldError> errs) {
        Integer pct = percent(v);
        if (pct != null && pct > 100) {
            errs.add(FieldError.invalid(path, raw(v), "must not be greater than 100%"));
        }
    }

    static Integer percent(JsonNode v) {
        if (v == null || !v.isString() || !v.asString().matches("[0-9]+%")) {
            return null;
        }
        String s = v.asString();
        try {
            return Integer.parseInt(s.substring(0, s.length() - 1));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** The int or percent number, 0 when absent or unreadable (upstream's getIntOrPercentValue). */
    static long value(JsonNode v) {
        if (v == null || v.isNull()) {
            return 0;
        }
        Integer p = percent(v);
        if (p != null) {
            return p;
        }
        return v.isNumber() ? v.asLong() : 0;
    }
}
