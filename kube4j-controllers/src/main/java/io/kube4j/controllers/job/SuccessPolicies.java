package io.kube4j.controllers.job;

import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyRule;
import java.util.List;
import java.util.TreeSet;

/**
 * Matches an Indexed Job's spec.successPolicy against its succeeded indexes, as upstream 1.32's matchSuccessPolicy:
 * the first rule met decides. A rule with succeededIndexes is met when all those indexes succeeded, or when at least
 * succeededCount of them did; a rule with only succeededCount when that many indexes succeeded, whichever.
 */
final class SuccessPolicies {
    static final String REASON = "SuccessPolicy";

    private SuccessPolicies() {
    }

    /** The condition message ("Matched rules at index N"), or null when no rule is met. */
    static String match(SuccessPolicy policy, int completions, TreeSet<Integer> succeeded) {
        if (policy == null || policy.getRules() == null || succeeded.isEmpty()) {
            return null;
        }
        List<SuccessPolicyRule> rules = policy.getRules();
        for (int i = 0; i < rules.size(); i++) {
            SuccessPolicyRule rule = rules.get(i);
            Integer count = rule.getSucceededCount();
            if (rule.getSucceededIndexes() != null) {
                TreeSet<Integer> required = CompletedIndexes.parse(rule.getSucceededIndexes(), completions);
                // a list that names no valid index (malformed, or beyond completions) can never be met
                if (required.isEmpty()) {
                    continue;
                }
                long contained = required.stream().filter(succeeded::contains).count();
                if (contained == required.size() || (count != null && contained >= count)) {
                    return "Matched rules at index " + i;
                }
            } else if (count != null && succeeded.size() >= count) {
                return "Matched rules at index " + i;
            }
        }
        return null;
    }
}
