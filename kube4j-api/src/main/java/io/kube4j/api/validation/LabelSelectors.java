package io.kube4j.api.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** metav1.LabelSelector: validation, matching against labels, and Go's {@code %#v} rendering for messages. */
final class LabelSelectors {
    private LabelSelectors() {
    }

    static void validate(ObjectNode selector, String path, List<FieldError> errs) {
        if (selector == null) {
            return;
        }
        errs.addAll(ObjectMetaValidation.validateLabels(Json.obj(selector, "matchLabels"), Paths.child(path, "matchLabels")));
        List<ObjectNode> exprs = Json.objs(selector, "matchExpressions");
        for (int i = 0; i < exprs.size(); i++) {
            ObjectNode e = exprs.get(i);
            String p = Paths.index(Paths.child(path, "matchExpressions"), i);
            String op = Json.strOr(e, "operator", "");
            List<String> values = Json.strs(e, "values");
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(Paths.child(p, "values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.forbidden(Paths.child(p, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errs.add(FieldError.invalid(Paths.child(p, "operator"), op, "not a valid selector operator"));
            }
            Checks.qualifiedName(Json.strOr(e, "key", ""), Paths.child(p, "key"), errs);
            for (int j = 0; j < values.size(); j++) {
                for (String m : NameValidation.isValidLabelValue(values.get(j))) {
                    errs.add(FieldError.invalid(Paths.index(Paths.child(p, "values"), j), values.get(j), m));
                }
            }
        }
    }

    static boolean isEmpty(ObjectNode selector) {
        return selector == null || (Json.obj(selector, "matchLabels") == null || Json.obj(selector, "matchLabels").isEmpty())
                && Json.arr(selector, "matchExpressions").isEmpty();
    }

    /** Whether the selector matches the labels; an empty selector matches everything. */
    static boolean matches(ObjectNode selector, ObjectNode labels) {
        Map<String, String> l = Checks.stringMap(labels);
        ObjectNode ml = Json.obj(selector, "matchLabels");
        if (ml != null) {
            for (Map.Entry<String, JsonNode> e : ml.properties()) {
                String want = e.getValue().isString() ? e.getValue().asString() : e.getValue().toString();
                if (!want.equals(l.get(e.getKey()))) {
                    return false;
                }
            }
        }
        for (ObjectNode e : Json.objs(selector, "matchExpressions")) {
            String key = Json.strOr(e, "key", "");
            List<String> values = Json.strs(e, "values");
            boolean has = l.containsKey(key);
            boolean ok = switch (Json.strOr(e, "operator", "")) {
                case "In" -> has && values.contains(l.get(key));
                case "NotIn" -> !has || !values.contains(l.get(key));
                case "Exists" -> has;
                case "DoesNotExist" -> !has;
                default -> false;
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** How Go's {@code %#v} prints a *v1.LabelSelector in error messages. */
    static GoFormat.Raw goValue(ObjectNode selector) {
        if (selector == null) {
            return new GoFormat.Raw("null");
        }
        StringBuilder b = new StringBuilder("v1.LabelSelector{MatchLabels:");
        ObjectNode ml = Json.obj(selector, "matchLabels");
        if (ml == null) {
            b.append("map[string]string(nil)");
        } else {
            b.append(GoFormat.value(new TreeMap<>(Checks.stringMap(ml))));
        }
        b.append(", MatchExpressions:");
        List<ObjectNode> exprs = Json.objs(selector, "matchExpressions");
        if (exprs.isEmpty()) {
            b.append("[]v1.LabelSelectorRequirement(nil)");
        } else {
            List<String> parts = new ArrayList<>();
            for (ObjectNode e : exprs) {
                List<String> quoted = new ArrayList<>();
                for (String v : Json.strs(e, "values")) {
                    quoted.add(GoFormat.quote(v));
                }
                parts.add("v1.LabelSelectorRequirement{Key:" + GoFormat.quote(Json.strOr(e, "key", ""))
                        + ", Operator:" + GoFormat.quote(Json.strOr(e, "operator", ""))
                        + ", Values:" + (quoted.isEmpty() ? "[]string(nil)" : "[]string{" + String.join(", ", quoted) + "}") + "}");
            }
            b.append("[]v1.LabelSelectorRequirement{").append(String.join(", ", parts)).append('}');
        }
        return new GoFormat.Raw(b.append('}').toString());
    }
}
