package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Upstream 1.32's Job validation of successPolicy, backoffLimitPerIndex/maxFailedIndexes and podReplacementPolicy. */
class JobPolicyValidationTest {
    private static final String TEMPLATE = "'template':{'spec':{'restartPolicy':'Never','containers':[{'name':'c','image':'busybox'}]}}";

    private static List<String> create(String spec) {
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1234'},'spec':{" + spec + "," + TEMPLATE + "}}");
        return messages(Validators.forKind("batch", "Job").validateCreate(job));
    }

    @Test
    void indexedJobWithThePoliciesIsValid() {
        assertThat(create("'completionMode':'Indexed','completions':5,'backoffLimitPerIndex':1,'maxFailedIndexes':2,"
                + "'successPolicy':{'rules':[{'succeededIndexes':'0,2-4','succeededCount':2}]},'podReplacementPolicy':'Failed'")).isEmpty();
    }

    @Test
    void perIndexFieldsRequireIndexedMode() {
        assertThat(create("'completions':5,'backoffLimitPerIndex':1,'maxFailedIndexes':2")).containsExactly(
                "spec.backoffLimitPerIndex: Invalid value: 1: requires indexed completion mode",
                "spec.maxFailedIndexes: Invalid value: 2: requires indexed completion mode");
    }

    @Test
    void maxFailedIndexesNeedsBackoffLimitPerIndexAndAtMostCompletions() {
        assertThat(create("'completionMode':'Indexed','completions':3,'maxFailedIndexes':4")).containsExactly(
                "spec.backoffLimitPerIndex: Required value: when maxFailedIndexes is specified",
                "spec.maxFailedIndexes: Invalid value: 4: must be less than or equal to completions");
        assertThat(create("'completionMode':'Indexed','completions':3,'backoffLimitPerIndex':-1")).containsExactly(
                "spec.backoffLimitPerIndex: Invalid value: -1: must be greater than or equal to 0");
    }

    @Test
    void successPolicyRequiresIndexedModeAndWellFormedRules() {
        assertThat(create("'completions':3,'successPolicy':{'rules':[{'succeededCount':1}]}")).singleElement()
                .asString().startsWith("spec.successPolicy: Invalid value: ").endsWith(": requires indexed completion mode");
        assertThat(create("'completionMode':'Indexed','completions':3,'successPolicy':{'rules':[]}")).containsExactly(
                "spec.successPolicy.rules: Required value: at least one rules must be specified when the successPolicy is specified");
        assertThat(create("'completionMode':'Indexed','completions':3,'successPolicy':{'rules':[{}]}")).containsExactly(
                "spec.successPolicy.rules[0]: Required value: at least one of succeededCount or succeededIndexes must be specified");
        assertThat(create("'completionMode':'Indexed','completions':3,'successPolicy':{'rules':[{'succeededIndexes':'2,1'},"
                + "{'succeededIndexes':'0-5'},{'succeededIndexes':'a'},{'succeededIndexes':'0-1-2'}]}")).containsExactly(
                "spec.successPolicy.rules[0].succeededIndexes: Invalid value: \"2,1\": error parsing succeededIndexes: non-increasing order, previous: 2, current: 1",
                "spec.successPolicy.rules[1].succeededIndexes: Invalid value: \"0-5\": error parsing succeededIndexes: too large index: \"5\"",
                "spec.successPolicy.rules[2].succeededIndexes: Invalid value: \"a\": error parsing succeededIndexes: cannot convert string to integer for index: \"a\"",
                "spec.successPolicy.rules[3].succeededIndexes: Invalid value: \"0-1-2\": error parsing succeededIndexes: the fragment \"0-1-2\" "
                        + "violates the requirement that an index interval can have at most two parts separated by '-'");
        assertThat(create("'completionMode':'Indexed','completions':3,'successPolicy':{'rules':[{'succeededCount':4},"
                + "{'succeededIndexes':'0,2','succeededCount':3}]}")).containsExactly(
                "spec.successPolicy.rules[0].succeededCount: Invalid value: 4: must be less than or equal to 3 (the number of specified completions)",
                "spec.successPolicy.rules[1].succeededCount: Invalid value: 3: must be less than or equal to 2 (the number of indexes in the specified succeededIndexes field)");
    }

    @Test
    void podReplacementPolicyIsDefaultedAndOnlyFailedGoesWithAPodFailurePolicy() {
        ObjectNode plain = defaulted("batch", "Job", "{'metadata':{'name':'j'},'spec':{" + TEMPLATE + "}}");
        assertThat(plain.at("/spec/podReplacementPolicy").asString()).isEqualTo("TerminatingOrFailed");
        ObjectNode withPolicy = defaulted("batch", "Job", "{'metadata':{'name':'j'},'spec':{'podFailurePolicy':{'rules':[]}," + TEMPLATE + "}}");
        assertThat(withPolicy.at("/spec/podReplacementPolicy").asString()).isEqualTo("Failed");
        String policy = "'podFailurePolicy':{'rules':[{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget'}]}]}";
        assertThat(create(policy + ",'podReplacementPolicy':'TerminatingOrFailed'")).containsExactly(
                "spec.podReplacementPolicy: Unsupported value: \"TerminatingOrFailed\": supported values: \"Failed\"");
        assertThat(create("'podReplacementPolicy':'Sometimes'")).containsExactly(
                "spec.podReplacementPolicy: Unsupported value: \"Sometimes\": supported values: \"Failed\", \"TerminatingOrFailed\"");
    }

    @Test
    void failIndexActionRequiresBackoffLimitPerIndex() {
        String rule = "'podFailurePolicy':{'rules':[{'action':'FailIndex','onExitCodes':{'operator':'In','values':[42]}}]}";
        assertThat(create("'completionMode':'Indexed','completions':2," + rule)).containsExactly(
                "spec.podFailurePolicy.rules[0].action: Invalid value: \"FailIndex\": requires the backoffLimitPerIndex to be set");
        assertThat(create("'completionMode':'Indexed','completions':2,'backoffLimitPerIndex':0," + rule)).isEmpty();
        assertThat(create("'podFailurePolicy':{'rules':[{'action':'Retry','onExitCodes':{'operator':'In','values':[42]}}]}")).containsExactly(
                "spec.podFailurePolicy.rules[0].action: Unsupported value: \"Retry\": supported values: \"Count\", \"FailIndex\", \"FailJob\", \"Ignore\"");
    }
}
