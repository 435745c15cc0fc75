package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RuntimeClassValidationTest {

    private static List<String> create(String text) {
        return messages(Validators.forKind("node.k8s.io", "RuntimeClass").validateCreate(
                defaulted("node.k8s.io", "RuntimeClass", text)));
    }

    @Test
    void aHandlerIsADnsLabel() {
        assertThat(create("{'metadata':{'name':'gvisor'},'handler':'runsc'}")).isEmpty();
        assertThat(create("{'metadata':{'name':'gvisor'},'handler':'Run_SC'}"))
                .containsExactly("handler: Invalid value: \"Run_SC\": a lowercase RFC 1123 label must consist of lower case "
                        + "alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. "
                        + "'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
        assertThat(create("{'metadata':{'name':'gvisor'}}")).singleElement().asString().startsWith("handler: Invalid value: \"\"");
        assertThat(create("{'metadata':{'name':'Bad'},'handler':'runc'}")).singleElement().asString()
                .startsWith("metadata.name: Invalid value: \"Bad\"");
    }

    @Test
    void overheadIsCheckedAsContainerLimits() {
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','overhead':{'podFixed':{'cpu':'250m','memory':'64Mi'}}}"))
                .isEmpty();
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','overhead':{'podFixed':{'cpu':'-1'}}}"))
                .containsExactly("overhead.limits[cpu]: Invalid value: \"-1\": must be greater than or equal to 0");
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','overhead':{'podFixed':{'disks':'1'}}}"))
                .containsExactly("overhead.limits[disks]: Invalid value: disks: must be a standard resource for containers");
    }

    @Test
    void schedulingSelectorIsLabelsAndTolerationsAreAPodsOnceEach() {
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','scheduling':{'nodeSelector':{'kata':'yes'},"
                + "'tolerations':[{'key':'kata','operator':'Exists','effect':'NoSchedule'}]}}")).isEmpty();
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','scheduling':{'nodeSelector':{'bad key':'v'}}}"))
                .singleElement().asString().startsWith("scheduling.nodeSelector: Invalid value: \"bad key\"");
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','scheduling':{'tolerations':[{'operator':'Equal','value':'x'}]}}"))
                .containsExactly("scheduling.tolerations.tolerations[0].operator: Invalid value: \"Equal\": operator must be "
                        + "Exists when `key` is empty, which means \"match all values and all keys\"");
        assertThat(create("{'metadata':{'name':'k'},'handler':'kata','scheduling':{'tolerations':["
                + "{'key':'a','operator':'Exists'},{'key':'a','operator':'Exists','effect':''}]}}"))
                .singleElement().asString().startsWith("scheduling.tolerations[1]: Duplicate value");
    }

    @Test
    void theHandlerCannotChangeButTheRestMay() {
        Validator v = Validators.forKind("node.k8s.io", "RuntimeClass");
        assertThat(messages(v.validateUpdate(json("{'metadata':{'name':'k','resourceVersion':'2'},'handler':'kata2'}"),
                json("{'metadata':{'name':'k','resourceVersion':'1'},'handler':'kata'}"))))
                .containsExactly("handler: Invalid value: \"kata2\": field is immutable");
        assertThat(messages(v.validateUpdate(json("{'metadata':{'name':'k','resourceVersion':'2'},'handler':'kata',"
                        + "'overhead':{'podFixed':{'cpu':'1'}}}"),
                json("{'metadata':{'name':'k','resourceVersion':'1'},'handler':'kata'}")))).isEmpty();
    }
}
