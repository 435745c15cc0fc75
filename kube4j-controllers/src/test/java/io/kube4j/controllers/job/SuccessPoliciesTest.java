package io.kube4j.controllers.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicy;
import io.fabric8.kubernetes.api.model.batch.v1.SuccessPolicyBuilder;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Upstream's matchSuccessPolicy cases: the first rule met decides, an index list naming no valid index never. */
class SuccessPoliciesTest {
    private static TreeSet<Integer> set(Integer... indexes) {
        return new TreeSet<>(List.of(indexes));
    }

    @Test
    void anIndexesRuleNeedsAllItsIndexesUnlessACountSaysFewer() {
        SuccessPolicy policy = new SuccessPolicyBuilder().addNewRule().withSucceededIndexes("0,2-4").endRule().build();
        assertThat(SuccessPolicies.match(policy, 10, set(0, 2, 3))).isNull();
        assertThat(SuccessPolicies.match(policy, 10, set(0, 1, 2, 3, 4))).isEqualTo("Matched rules at index 0");
        SuccessPolicy some = new SuccessPolicyBuilder().addNewRule().withSucceededIndexes("0,2-4").withSucceededCount(2)
                .endRule().build();
        assertThat(SuccessPolicies.match(some, 10, set(1, 4))).isNull();
        assertThat(SuccessPolicies.match(some, 10, set(3, 4))).isEqualTo("Matched rules at index 0");
    }

    @Test
    void aCountRuleCountsAnyIndexAndTheFirstRuleMetIsReported() {
        SuccessPolicy policy = new SuccessPolicyBuilder()
                .addNewRule().withSucceededIndexes("7").endRule()
                .addNewRule().withSucceededCount(2).endRule().build();
        assertThat(SuccessPolicies.match(policy, 10, set(5))).isNull();
        assertThat(SuccessPolicies.match(policy, 10, set(5, 6))).isEqualTo("Matched rules at index 1");
        assertThat(SuccessPolicies.match(policy, 10, set(5, 7))).isEqualTo("Matched rules at index 0");
    }

    @Test
    void nothingMatchesWithoutSuccessesOrWithAnIndexListBeyondCompletions() {
        SuccessPolicy policy = new SuccessPolicyBuilder().addNewRule().withSucceededIndexes("5-6").endRule().build();
        assertThat(SuccessPolicies.match(policy, 5, set(0, 1, 2, 3, 4))).isNull();
        assertThat(SuccessPolicies.match(new SuccessPolicyBuilder().addNewRule().withSucceededCount(0).endRule().build(),
                5, set())).isNull();
        assertThat(SuccessPolicies.match(null, 5, set(0))).isNull();
    }
}
