package io.kube4j.scheduler.util;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A compiled metav1.LabelSelector. A null selector matches nothing; an empty one matches everything. */
public final class Selector {
    public static final Selector NOTHING = new Selector(false, List.of());
    public static final Selector EVERYTHING = new Selector(true, List.of());

    private final boolean matchesAny;
    private final List<Req> reqs;

    private Selector(boolean matchesAny, List<Req> reqs) {
        this.matchesAny = matchesAny;
        this.reqs = reqs;
    }

    private record Req(String key, String op, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String v = labels == null ? null : labels.get(key);
            return switch (op) {
                case "In" -> v != null && values.contains(v);
                case "NotIn" -> v == null || !values.contains(v);
                case "Exists" -> v != null;
                case "DoesNotExist" -> v == null;
                default -> false;
            };
        }
    }

    public static Selector of(LabelSelector ls) {
        return of(ls, null, null);
    }

    /**
     * Compiles a selector; {@code matchLabelKeys} (topology spread, pod affinity) add
     * {@code key In (podLabels[key])} for keys present on the incoming pod.
     */
    public static Selector of(LabelSelector ls, List<String> matchLabelKeys, Map<String, String> podLabels) {
        if (ls == null) return NOTHING;
        List<Req> reqs = new ArrayList<>();
        if (ls.getMatchLabels() != null) {
            ls.getMatchLabels().forEach((k, v) -> reqs.add(new Req(k, "In", Set.of(v == null ? "" : v))));
        }
        if (ls.getMatchExpressions() != null) {
            for (LabelSelectorRequirement r : ls.getMatchExpressions()) {
                reqs.add(new Req(r.getKey(), r.getOperator(), r.getValues() == null ? Set.of() : new HashSet<>(r.getValues())));
            }
        }
        if (matchLabelKeys != null && podLabels != null) {
            for (String k : matchLabelKeys) {
                String v = podLabels.get(k);
                if (v != null) reqs.add(new Req(k, "In", Set.of(v)));
            }
        }
        return new Selector(true, List.copyOf(reqs));
    }

    public static Selector ofMap(Map<String, String> matchLabels) {
        if (matchLabels == null || matchLabels.isEmpty()) return NOTHING;
        List<Req> reqs = new ArrayList<>();
        matchLabels.forEach((k, v) -> reqs.add(new Req(k, "In", Set.of(v))));
        return new Selector(true, List.copyOf(reqs));
    }

    public boolean matches(Map<String, String> labels) {
        if (!matchesAny) return false;
        for (int i = 0; i < reqs.size(); i++) {
            if (!reqs.get(i).matches(labels)) return false;
        }
        return true;
    }

    public boolean isEmpty() { return matchesAny && reqs.isEmpty(); }
    public boolean isNothing() { return !matchesAny; }
}
