package io.kube4j.apiserver.admission;

import tools.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Upstream's {@code pkg/util/tolerations.MergeTolerations}: the union of two toleration lists in which a toleration
 * another one already covers (a superset: any key, any effect, a longer or unbounded NoExecute time) is left out.
 */
final class TolerationMerge {

    private TolerationMerge() {
    }

    /** {@code first} then {@code second}, without the redundant ones; of two equal tolerations the first stays. */
    static List<JsonNode> merge(List<JsonNode> first, List<JsonNode> second) {
        List<JsonNode> all = new ArrayList<>(first);
        all.addAll(second);
        List<JsonNode> merged = new ArrayList<>();
        next:
        for (int i = 0; i < all.size(); i++) {
            JsonNode t = all.get(i);
            for (JsonNode kept : merged) {
                if (isSuperset(kept, t)) {
                    continue next;
                }
            }
            for (int j = i + 1; j < all.size(); j++) {
                JsonNode later = all.get(j);
                if (!same(t, later) && isSuperset(later, t)) {
                    continue next;
                }
            }
            merged.add(t);
        }
        return merged;
    }

    /** Whether {@code ss} tolerates everything {@code t} tolerates. */
    static boolean isSuperset(JsonNode ss, JsonNode t) {
        if (same(ss, t)) {
            return true;
        }
        // an empty key with Exists matches every key
        if (!text(t, "key").equals(text(ss, "key"))
                && (!text(ss, "key").isEmpty() || !text(ss, "operator").equals("Exists"))) {
            return false;
        }
        // an empty effect matches every effect
        if (!text(t, "effect").equals(text(ss, "effect")) && !text(ss, "effect").isEmpty()) {
            return false;
        }
        if (text(ss, "effect").equals("NoExecute") && seconds(ss) != null) {
            if (seconds(t) == null || seconds(t) > seconds(ss)) {
                return false;
            }
        }
        return switch (text(ss, "operator")) {
            case "Equal", "" -> text(t, "operator").equals("Equal") && text(t, "value").equals(text(ss, "value"));
            case "Exists" -> true;
            default -> false;
        };
    }

    /** Go's semantic equality of two Toleration structs: unset and empty are the same. */
    private static boolean same(JsonNode a, JsonNode b) {
        return text(a, "key").equals(text(b, "key")) && text(a, "operator").equals(text(b, "operator"))
                && text(a, "value").equals(text(b, "value")) && text(a, "effect").equals(text(b, "effect"))
                && Objects.equals(seconds(a), seconds(b));
    }

    private static String text(JsonNode t, String field) {
        JsonNode v = t.get(field);
        return v == null || v.isNull() ? "" : v.asString("");
    }

    private static Long seconds(JsonNode t) {
        JsonNode v = t.get("tolerationSeconds");
        return v == null || v.isNull() ? null : v.asLong();
    }
}
