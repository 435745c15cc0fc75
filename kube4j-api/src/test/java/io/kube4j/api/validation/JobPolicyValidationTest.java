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

    private static List<String> policy(String rules) {
        return create("'podFailurePolicy':{'rules':[" + rules + "]}");
    }

    @Test
    void aRuleNeedsExactlyOneRequirement() {
        assertThat(policy("{'action':'FailJob'}")).containsExactly(
                "spec.podFailurePolicy.rules[0]: Invalid value: specifying one of OnExitCodes and OnPodConditions is required");
        assertThat(policy("{'action':'FailJob','onExitCodes':{'operator':'In','values':[1]},"
                + "'onPodConditions':[{'type':'DisruptionTarget','status':'True'}]}")).containsExactly(
                "spec.podFailurePolicy.rules[0]: Invalid value: specifying both OnExitCodes and OnPodConditions is not supported");
        assertThat(policy("{'onExitCodes':{'operator':'In','values':[1]}}")).containsExactly(
                "spec.podFailurePolicy.rules[0].action: Required value: valid values: [\"Count\" \"FailIndex\" \"FailJob\" \"Ignore\"]");
    }

    @Test
    void exitCodeRequirementsAreCheckedAsUpstream() {
        assertThat(policy("{'action':'Count','onExitCodes':{'values':[1]}},"
                + "{'action':'Count','onExitCodes':{'operator':'Between','values':[1]}}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onExitCodes.operator: Required value: valid values: [\"In\" \"NotIn\"]",
                "spec.podFailurePolicy.rules[1].onExitCodes.operator: Unsupported value: \"Between\": supported values: \"In\", \"NotIn\"");
        assertThat(policy("{'action':'FailJob','onExitCodes':{'operator':'In','values':[0,3,3,2]}}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onExitCodes.values[0]: Invalid value: 0: must not be 0 for the In operator",
                "spec.podFailurePolicy.rules[0].onExitCodes.values[2]: Duplicate value: 3",
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{0, 3, 3, 2}: must be ordered");
        // 0 is allowed with NotIn: "any exit code but success"
        assertThat(policy("{'action':'FailJob','onExitCodes':{'operator':'NotIn','values':[0,1]}}")).isEmpty();
        assertThat(policy("{'action':'FailJob','onExitCodes':{'operator':'In','values':[]}},"
                + "{'action':'FailJob','onExitCodes':{'operator':'In'}}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Invalid value: []int32{}: at least one value is required",
                "spec.podFailurePolicy.rules[1].onExitCodes.values: Invalid value: []int32(nil): at least one value is required");
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 256; i++) {
            many.append(i > 1 ? "," : "").append(i);
        }
        assertThat(policy("{'action':'FailJob','onExitCodes':{'operator':'In','values':[" + many + "]}}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onExitCodes.values: Too many: 256: must have at most 255 items");
    }

    @Test
    void anExitCodeRuleNamesAContainerOfTheTemplate() {
        String template = "'template':{'spec':{'restartPolicy':'Never','initContainers':[{'name':'init','image':'busybox'}],"
                + "'containers':[{'name':'main','image':'busybox'}]}}";
        String rules = "'podFailurePolicy':{'rules':[{'action':'FailJob','onExitCodes':{'containerName':'init','operator':'In','values':[1]}},"
                + "{'action':'FailJob','onExitCodes':{'containerName':'main','operator':'In','values':[1]}},"
                + "{'action':'FailJob','onExitCodes':{'containerName':'sidecar','operator':'In','values':[1]}}]}";
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1234'},'spec':{" + rules + "," + template + "}}");
        assertThat(messages(Validators.forKind("batch", "Job").validateCreate(job))).containsExactly(
                "spec.podFailurePolicy.rules[2].onExitCodes.containerName: Invalid value: \"sidecar\": "
                        + "must be one of the container or initContainer names in the pod template");
    }

    @Test
    void podConditionPatternsAreCheckedAsUpstream() {
        assertThat(policy("{'action':'Ignore','onPodConditions':[{'type':'Bad Type','status':'True'},"
                + "{'type':'example.com/Ready','status':'Maybe'}]}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onPodConditions[0].type: Invalid value: \"Bad Type\": name part must consist of "
                        + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                        + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                        + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
                "spec.podFailurePolicy.rules[0].onPodConditions[1].status: Unsupported value: \"Maybe\": supported values: "
                        + "\"False\", \"True\", \"Unknown\"");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i > 0 ? "," : "").append("{'type':'C").append(i).append("','status':'True'}");
        }
        assertThat(policy("{'action':'Ignore','onPodConditions':[" + many + "]}")).containsExactly(
                "spec.podFailurePolicy.rules[0].onPodConditions: Too many: 21: must have at most 20 items");
    }

    @Test
    void atMostTwentyRulesAndOnlyWithRestartPolicyNever() {
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 21; i++) {
            many.append(i > 0 ? "," : "").append("{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget','status':'True'}]}");
        }
        assertThat(policy(many.toString())).containsExactly("spec.podFailurePolicy.rules: Too many: 21: must have at most 20 items");
        ObjectNode job = defaulted("batch", "Job", "{'metadata':{'name':'j','namespace':'d','uid':'1234'},'spec':{"
                + "'podFailurePolicy':{'rules':[{'action':'Ignore','onPodConditions':[{'type':'DisruptionTarget'}]}]},"
                + "'template':{'spec':{'restartPolicy':'OnFailure','containers':[{'name':'c','image':'busybox'}]}}}}");
        assertThat(messages(Validators.forKind("batch", "Job").validateCreate(job))).containsExactly(
                "spec.template.spec.restartPolicy: Invalid value: \"OnFailure\": only \"Never\" is supported when podFailurePolicy is specified");
    }
}
