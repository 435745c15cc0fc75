package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.List;
import java.util.Map;

/** Matches metav1.LabelSelector objects against label sets; an empty selector matches everything. */
final class LabelSelectors {

    private LabelSelectors() {
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        Map<String, String> actual = labels == null ? Map.of() : labels;
        if (selector == null) {
            return true;
        }
        if (selector.getMatchLabels() != null) {
            for (var e : selector.getMatchLabels().entrySet()) {
                if (!e.getValue().equals(actual.get(e.getKey()))) {
                    return false;
                }
            }
        }
        if (selector.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : selector.getMatchExpressions()) {
                if (!matches(r, actual)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean matches(LabelSelectorRequirement r, Map<String, String> labels) {
        List<String> values = r.getValues() == null ? List.of() : r.getValues();
        String value = labels.get(r.getKey());
        return switch (r.getOperator()) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> labels.containsKey(r.getKey());
            case "DoesNotExist" -> !labels.containsKey(r.getKey());
            default -> false; // unknown operators select nothing, as upstream's validation would refuse them
        };
    }
}
