package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** apiregistration.k8s.io/v1 APIService validation and defaults, with upstream's messages. */
class ApiServiceValidationTest {

    private static final String GROUP = "apiregistration.k8s.io";
    private static final String KIND = "APIService";

    private static ObjectNode apiService(String name, String spec) {
        return defaulted(GROUP, KIND, "{'metadata':{'name':'" + name + "'},'spec':{" + spec + "}}");
    }

    private static List<String> create(String name, String spec) {
        return messages(Validators.forKind(GROUP, KIND).validateCreate(apiService(name, spec)));
    }

    private static final String PRIORITIES = "'groupPriorityMinimum':1000,'versionPriority':15";

    @Test
    void localAndServiceApiServicesPass() {
        assertThat(create("v1.", "'version':'v1'," + PRIORITIES)).isEmpty();
        assertThat(create("v1.apps", "'group':'apps','version':'v1'," + PRIORITIES)).isEmpty();
        assertThat(create("v1beta1.metrics.k8s.io", "'group':'metrics.k8s.io','version':'v1beta1',"
                + "'groupPriorityMinimum':100,'versionPriority':100,'insecureSkipTLSVerify':true,"
                + "'service':{'namespace':'kube-system','name':'metrics-server'}")).isEmpty();
    }

    @Test
    void theServicePortDefaultsTo443() {
        ObjectNode obj = apiService("v1.x.example.com", "'group':'x.example.com','version':'v1'," + PRIORITIES
                + ",'service':{'namespace':'ns','name':'svc'}");
        assertThat(obj.at("/spec/service/port").asInt()).isEqualTo(443);
        assertThat(apiService("v1.", "'version':'v1'," + PRIORITIES).at("/spec/service").isMissingNode()).isTrue();
    }

    @Test
    void theNameMustBeVersionDotGroup() {
        assertThat(create("apps", "'group':'apps','version':'v1'," + PRIORITIES))
                .containsExactly("metadata.name: Invalid value: \"apps\": must be `spec.version+\".\"+spec.group`: "
                        + "\"v1.apps\"");
        // the name is a path segment first: only that failure is reported then
        assertThat(create("v1%apps", "'group':'apps','version':'v1'," + PRIORITIES))
                .containsExactly("metadata.name: Invalid value: \"v1%apps\": may not contain '%'");
    }

    @Test
    void groupVersionAndPriorities() {
        assertThat(create("v2.", "'version':'v2'," + PRIORITIES))
                .containsExactly("spec.group: Required value: only v1 may have an empty group and it better be "
                        + "legacy kube");
        assertThat(create("v1.Bad_Group", "'group':'Bad_Group','version':'v1'," + PRIORITIES))
                .singleElement().asString().startsWith("spec.group: Invalid value: \"Bad_Group\": a lowercase RFC 1123 "
                        + "subdomain must consist of");
        assertThat(create("1v.apps", "'group':'apps','version':'1v'," + PRIORITIES))
                .singleElement().asString().startsWith("spec.version: Invalid value: \"1v\": a DNS-1035 label must "
                        + "consist of");
        assertThat(create("v1.apps", "'group':'apps','version':'v1','groupPriorityMinimum':20001,'versionPriority':0"))
                .containsExactly(
                        "spec.groupPriorityMinimum: Invalid value: 20001: must be positive and less than 20000",
                        "spec.versionPriority: Invalid value: 0: must be positive and less than 1000");
        assertThat(create("v1.apps", "'group':'apps','version':'v1'"))
                .containsExactly("spec.groupPriorityMinimum: Invalid value: 0: must be positive and less than 20000",
                        "spec.versionPriority: Invalid value: 0: must be positive and less than 1000");
    }

    @Test
    void tlsSettingsFollowTheServiceRule() {
        String ca = "'caBundle':'" + java.util.Base64.getEncoder().encodeToString(new byte[12]) + "'";
        assertThat(create("v1.apps", "'group':'apps','version':'v1'," + PRIORITIES + "," + ca
                + ",'insecureSkipTLSVerify':true")).containsExactly(
                "spec.caBundle: Invalid value: \"12 bytes\": local APIServices may not have a caBundle",
                "spec.insecureSkipTLSVerify: Invalid value: true: local APIServices may not have insecureSkipTLSVerify");
        assertThat(create("v1.x.example.com", "'group':'x.example.com','version':'v1'," + PRIORITIES + "," + ca
                + ",'insecureSkipTLSVerify':true,'service':{'namespace':'','port':70000}")).containsExactly(
                "spec.service.namespace: Required value",
                "spec.service.name: Required value",
                "spec.service.port: Invalid value: 70000: port is not valid: must be between 1 and 65535, inclusive",
                "spec.insecureSkipTLSVerify: Invalid value: true: may not be true if caBundle is present");
    }

    @Test
    void aStatusWriteChecksTheConditionStatusesOnly() {
        ObjectNode old = apiService("v1.apps", "'group':'apps','version':'v1'," + PRIORITIES);
        ObjectNode updated = old.deepCopy();
        updated.putObject("status").putArray("conditions").addObject().put("type", "Available").put("status", "Yes");
        assertThat(messages(Validators.forKind(GROUP, KIND).validateUpdate(updated, old, "status")))
                .containsExactly("status.conditions[0].status: Unsupported value: \"Yes\": supported values: "
                        + "\"True\", \"False\", \"Unknown\"");
    }
}
