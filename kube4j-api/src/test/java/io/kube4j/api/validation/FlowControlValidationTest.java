package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.kube4j.api.defaults.Defaults;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** flowcontrol.apiserver.k8s.io/v1 FlowSchema and PriorityLevelConfiguration defaults and validation. */
class FlowControlValidationTest {

    private static final String GROUP = "flowcontrol.apiserver.k8s.io";
    private static final String FLOW_SCHEMA = "FlowSchema";
    private static final String PRIORITY_LEVEL = "PriorityLevelConfiguration";

    private static ObjectNode parse(String text) {
        return json(text);
    }

    private static List<String> schemaErrors(String text) {
        return messages(Validators.forKind(GROUP, FLOW_SCHEMA).validateCreate(defaulted(GROUP, FLOW_SCHEMA, text)));
    }

    private static List<String> levelErrors(String text) {
        return messages(Validators.forKind(GROUP, PRIORITY_LEVEL)
                .validateCreate(defaulted(GROUP, PRIORITY_LEVEL, text)));
    }

    private static final String RULES = "'rules':[{'subjects':[{'kind':'User','user':{'name':'jane'}}],"
            + "'resourceRules':[{'verbs':['get'],'apiGroups':[''],'resources':['pods'],'namespaces':['*']}]}]";

    @Test
    void matchingPrecedenceIsDefaultedAndBounded() {
        ObjectNode obj = parse("{'metadata':{'name':'a'},'spec':{'priorityLevelConfiguration':{'name':'x'},"
                + RULES + "}}");
        Defaults.apply(GROUP, FLOW_SCHEMA, obj);
        assertThat(obj.path("spec").path("matchingPrecedence").asInt()).isEqualTo(1000);

        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'matchingPrecedence':10001,"
                + "'priorityLevelConfiguration':{'name':'x'}," + RULES + "}}"))
                .containsExactly("spec.matchingPrecedence: Invalid value: 10001: must not be greater than 10000");
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'matchingPrecedence':1,"
                + "'priorityLevelConfiguration':{'name':'x'}," + RULES + "}}"))
                .containsExactly("spec.matchingPrecedence: Invalid value: 1: only the schema named 'exempt' may have "
                        + "matchingPrecedence 1");
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'matchingPrecedence':'high',"
                + "'priorityLevelConfiguration':{'name':'x'}," + RULES + "}}")).hasSize(1);
    }

    @Test
    void distinguisherSubjectsAndRulesAreChecked() {
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'distinguisherMethod':{'type':'ByGroup'},"
                + "'priorityLevelConfiguration':{'name':'x'}," + RULES + "}}"))
                .singleElement().asString().startsWith("spec.distinguisherMethod.type: Unsupported value: \"ByGroup\"");
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'priorityLevelConfiguration':{'name':'x'},"
                + "'rules':[{'subjects':[{'kind':'Robot'}],'nonResourceRules':[{'verbs':['get'],"
                + "'nonResourceURLs':['/a/*/b']}]}]}}"))
                .anySatisfy(m -> assertThat(m).startsWith("spec.rules[0].subjects[0].kind: Unsupported value"))
                .anySatisfy(m -> assertThat(m).isEqualTo("spec.rules[0].nonResourceRules[0].nonResourceURLs[0]: "
                        + "Invalid value: \"/a/*/b\": wildcard can only do suffix matching"));
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'priorityLevelConfiguration':{'name':'x'},"
                + "'rules':[{'subjects':[{'kind':'ServiceAccount','serviceAccount':{'name':'*'}}],"
                + "'resourceRules':[{'verbs':['get','*'],'apiGroups':[''],'resources':['pods']}]}]}}"))
                .contains("spec.rules[0].subjects[0].serviceAccount.namespace: Required value: must specify "
                                + "namespace for service account",
                        "spec.rules[0].resourceRules[0].verbs: Invalid value: []string{\"get\", \"*\"}: if '*' is "
                                + "present, "
                                + "must not specify other verbs",
                        "spec.rules[0].resourceRules[0].namespaces: Required value: resource rules that are not "
                                + "cluster scoped must supply at least one namespace");
        assertThat(schemaErrors("{'metadata':{'name':'a'},'spec':{'priorityLevelConfiguration':{'name':''}}}"))
                .containsExactly("spec.priorityLevelConfiguration.name: Required value: must reference a priority "
                        + "level");
    }

    @Test
    void limitedAndExemptShapes() {
        assertThat(levelErrors("{'metadata':{'name':'exempt'},'spec':{'type':'Limited','limited':"
                + "{'limitResponse':{'type':'Reject'}}}}"))
                .containsExactly("spec.type: Invalid value: \"Limited\": type must be 'Exempt' if and only if name "
                        + "is 'exempt'");
        assertThat(levelErrors("{'metadata':{'name':'x'},'spec':{'type':'Limited','exempt':{},'limited':"
                + "{'nominalConcurrencyShares':-1,'lendablePercent':101,'borrowingLimitPercent':-2,"
                + "'limitResponse':{'type':'Reject','queuing':{'queues':1}}}}}"))
                .containsExactlyInAnyOrder("spec.exempt: Forbidden: must be nil if the type is Limited",
                        "spec.limited.nominalConcurrencyShares: Invalid value: -1: must be a non-negative integer",
                        "spec.limited.lendablePercent: Invalid value: 101: must be between 0 and 100, inclusive",
                        "spec.limited.borrowingLimitPercent: Invalid value: -2: if specified, must be a non-negative "
                                + "integer",
                        "spec.limited.limitResponse.queuing: Forbidden: must be nil if limited.limitResponse.type is "
                                + "not Limited");
        assertThat(levelErrors("{'metadata':{'name':'x'},'spec':{'type':'Limited'}}"))
                .containsExactly("spec.limited: Required value: must not be empty when type is Limited");
    }

    @Test
    void queuingRulesIncludeTheEntropyLimit() {
        assertThat(levelErrors("{'metadata':{'name':'x'},'spec':{'type':'Limited','limited':{'limitResponse':"
                + "{'type':'Queue','queuing':{'queues':4,'handSize':5,'queueLengthLimit':1}}}}}"))
                .containsExactly("spec.limited.limitResponse.queuing.handSize: Invalid value: 5: should not be "
                        + "greater than queues (4)");
        // 2^20 queues need 20 bits per card: 4 cards are 80 bits, more than the hash has
        assertThat(levelErrors("{'metadata':{'name':'x'},'spec':{'type':'Limited','limited':{'limitResponse':"
                + "{'type':'Queue','queuing':{'queues':1048576,'handSize':4,'queueLengthLimit':1}}}}}"))
                .containsExactly("spec.limited.limitResponse.queuing.handSize: Invalid value: 4: required entropy "
                        + "bits of deckSize 1048576 and handSize 4 should not be greater than 60");
        ObjectNode defaulted = parse("{'metadata':{'name':'x'},'spec':{'type':'Limited','limited':{'limitResponse':"
                + "{'type':'Queue','queuing':{}}}}}");
        Defaults.apply(GROUP, PRIORITY_LEVEL, defaulted);
        assertThat(defaulted.path("spec").path("limited").toString()).isEqualTo("{\"limitResponse\":{\"type\":"
                + "\"Queue\",\"queuing\":{\"handSize\":8,\"queues\":64,\"queueLengthLimit\":50}},"
                + "\"nominalConcurrencyShares\":30,\"lendablePercent\":0}");
    }

    @Test
    void metadataAndUpdatesAreCheckedToo() {
        assertThat(schemaErrors("{'metadata':{'name':'Not_A_Name'},'spec':{'priorityLevelConfiguration':"
                + "{'name':'x'}," + RULES + "}}")).singleElement().asString()
                .startsWith("metadata.name: Invalid value");
        ObjectNode old = defaulted(GROUP, PRIORITY_LEVEL, "{'metadata':{'name':'x'},'spec':{'type':'Limited',"
                + "'limited':{'limitResponse':{'type':'Reject'}}}}");
        ObjectNode changed = old.deepCopy();
        changed.withObject("/spec/limited").put("lendablePercent", 200);
        assertThat(messages(Validators.forKind(GROUP, PRIORITY_LEVEL).validateUpdate(changed, old)))
                .containsExactly("spec.limited.lendablePercent: Invalid value: 200: must be between 0 and 100, "
                        + "inclusive");
        assertThat(messages(Validators.forKind(GROUP, PRIORITY_LEVEL).validateUpdate(changed, old, "status")))
                .hasSize(1);
    }
}
