package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.json;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Validating/MutatingWebhookConfiguration validation and defaults, with upstream's messages. */
class WebhookConfigurationValidationTest {

    private static final String GROUP = "admissionregistration.k8s.io";
    private static final String RULES = "'rules':[{'operations':['CREATE'],'apiGroups':[''],'apiVersions':['v1'],"
            + "'resources':['pods']}]";

    private static String hook(String name, String fields) {
        return "{'name':'" + name + "'," + RULES + ",'sideEffects':'None','admissionReviewVersions':['v1'],"
                + "'clientConfig':{'url':'https://hooks.example.com/check'}" + (fields.isEmpty() ? "" : "," + fields)
                + "}";
    }

    private static String config(String... hooks) {
        return "{'metadata':{'name':'cfg'},'webhooks':[" + String.join(",", hooks) + "]}";
    }

    private static List<String> validating(String text) {
        return messages(Validators.forKind(GROUP, "ValidatingWebhookConfiguration")
                .validateCreate(defaulted(GROUP, "ValidatingWebhookConfiguration", text)));
    }

    private static List<String> mutating(String text) {
        return messages(Validators.forKind(GROUP, "MutatingWebhookConfiguration")
                .validateCreate(defaulted(GROUP, "MutatingWebhookConfiguration", text)));
    }

    @Test
    void aValidConfigurationPassesAndGetsUpstreamsDefaults() {
        ObjectNode obj = defaulted(GROUP, "MutatingWebhookConfiguration", config(hook("a.example.com",
                "'clientConfig':{'service':{'namespace':'ns','name':'svc'}}")));
        assertThat(messages(Validators.forKind(GROUP, "MutatingWebhookConfiguration").validateCreate(obj))).isEmpty();
        ObjectNode hook = (ObjectNode) obj.get("webhooks").get(0);
        assertThat(hook.get("failurePolicy").asString()).isEqualTo("Fail");
        assertThat(hook.get("matchPolicy").asString()).isEqualTo("Equivalent");
        assertThat(hook.get("timeoutSeconds").asInt()).isEqualTo(10);
        assertThat(hook.get("reinvocationPolicy").asString()).isEqualTo("Never");
        assertThat(hook.get("namespaceSelector").isEmpty()).isTrue();
        assertThat(hook.get("objectSelector").isEmpty()).isTrue();
        assertThat(hook.get("rules").get(0).get("scope").asString()).isEqualTo("*");
        assertThat(hook.get("clientConfig").get("service").get("port").asInt()).isEqualTo(443);
        assertThat(validating(config(hook("a.example.com", "")))).isEmpty();
    }

    @Test
    void urlAndServiceAreExclusive() {
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{'url':'https://x.example.com',"
                + "'service':{'namespace':'ns','name':'svc'}}"))))
                .containsExactly("webhooks[0].clientConfig: Required value: exactly one of url or service is required");
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{}"))))
                .containsExactly("webhooks[0].clientConfig: Required value: exactly one of url or service is required");
    }

    @Test
    void urlsMustBeHttpsWithAHostAndNoQuery() {
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{'url':'http://x.example.com/p'}"))))
                .containsExactly("webhooks[0].clientConfig.url: Invalid value: \"http\": 'https' is the only allowed "
                        + "URL scheme; desired format: https://host[/path]");
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{'url':'https://x.example.com/p?a=b'}"))))
                .containsExactly("webhooks[0].clientConfig.url: Invalid value: \"a=b\": query parameters are not "
                        + "permitted in the URL");
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{'url':'https:///p'}"))))
                .containsExactly("webhooks[0].clientConfig.url: Invalid value: \"\": host must be specified; desired "
                        + "format: https://host[/path]");
    }

    @Test
    void servicePathsAndPortsAreChecked() {
        assertThat(validating(config(hook("a.example.com",
                "'clientConfig':{'service':{'namespace':'ns','name':'svc','path':'/a//B','port':70000}}"))))
                .containsExactly(
                        "webhooks[0].clientConfig.service.port: Invalid value: 70000: port is not valid: must be "
                                + "between 1 and 65535, inclusive",
                        "webhooks[0].clientConfig.service.path: Invalid value: \"/a//B\": segment[1] may not be empty",
                        "webhooks[0].clientConfig.service.path: Invalid value: \"/a//B\": segment[2]: a lowercase "
                                + "RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                                + "and must start and end with an alphanumeric character (e.g. 'example.com', regex "
                                + "used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*"
                                + "[a-z0-9])?)*')");
        assertThat(validating(config(hook("a.example.com", "'clientConfig':{'service':{'path':'x'}}"))))
                .containsExactly("webhooks[0].clientConfig.service.name: Required value: service name is required",
                        "webhooks[0].clientConfig.service.namespace: Required value: service namespace is required",
                        "webhooks[0].clientConfig.service.path: Invalid value: \"x\": must start with a '/'",
                        // upstream checks the segments after the first character, whatever it was
                        "webhooks[0].clientConfig.service.path: Invalid value: \"x\": segment[0] may not be empty");
    }

    @Test
    void timeoutsAreBetweenOneAndThirtySeconds() {
        assertThat(validating(config(hook("a.example.com", "'timeoutSeconds':31"))))
                .containsExactly("webhooks[0].timeoutSeconds: Invalid value: 31: the timeout value must be between 1 "
                        + "and 30 seconds");
        assertThat(validating(config(hook("a.example.com", "'timeoutSeconds':0")))).hasSize(1);
        assertThat(validating(config(hook("a.example.com", "'timeoutSeconds':30")))).isEmpty();
    }

    @Test
    void namesAreFullyQualifiedAndUnique() {
        assertThat(validating(config(hook("a.example.com", ""), hook("a.example.com", ""), hook("short", ""))))
                .containsExactly("webhooks[1].name: Duplicate value: \"a.example.com\"",
                        "webhooks[2].name: Invalid value: \"short\": should be a domain with at least three segments "
                                + "separated by dots");
    }

    @Test
    void sideEffectsAreRequiredAndMayNotHaveEffectsInV1() {
        assertThat(validating(config(hook("a.example.com", "").replace("'sideEffects':'None',", ""))))
                .containsExactly("webhooks[0].sideEffects: Required value: must specify one of None, NoneOnDryRun");
        assertThat(validating(config(hook("a.example.com", "").replace("'None'", "'Some'"))))
                .containsExactly("webhooks[0].sideEffects: Unsupported value: \"Some\": supported values: \"None\", "
                        + "\"NoneOnDryRun\"");
    }

    @Test
    void anUpdateKeepsSideEffectsStoredBeforeV1() {
        Validator validator = Validators.forKind(GROUP, "ValidatingWebhookConfiguration");
        ObjectNode old = defaulted(GROUP, "ValidatingWebhookConfiguration",
                config(hook("a.example.com", "").replace("'None'", "'Unknown'")));
        ((ObjectNode) old.get("metadata")).put("resourceVersion", "5");
        ObjectNode updated = old.deepCopy();
        ((ObjectNode) updated.get("webhooks").get(0)).put("timeoutSeconds", 5);
        assertThat(messages(validator.validateUpdate(updated, old))).isEmpty();
    }

    @Test
    void admissionReviewVersionsMustIncludeOneThisServerSpeaks() {
        assertThat(validating(config(hook("a.example.com", "").replace("'admissionReviewVersions':['v1'],", ""))))
                .containsExactly("webhooks[0].admissionReviewVersions: Required value: must specify one of v1");
        assertThat(validating(config(hook("a.example.com", "").replace("['v1']", "['v1beta1']"))))
                .containsExactly("webhooks[0].admissionReviewVersions: Invalid value: []string{\"v1beta1\"}: must "
                        + "include at least one of v1");
        assertThat(validating(config(hook("a.example.com", "").replace("['v1']", "['v1beta1','v1']")))).isEmpty();
    }

    @Test
    void rulesAreChecked() {
        assertThat(validating(config("{'name':'a.example.com','rules':[{'operations':['*','CREATE','PATCH'],"
                + "'apiGroups':[],'apiVersions':['v1'],'resources':['*/*','pods'],'scope':'Everywhere'}],"
                + "'sideEffects':'None','admissionReviewVersions':['v1'],'clientConfig':{'url':'https://x.example.com'}}")))
                .containsExactly(
                        "webhooks[0].rules[0].operations: Invalid value: []string{\"*\", \"CREATE\", \"PATCH\"}: if "
                                + "'*' is present, must not specify other operations",
                        "webhooks[0].rules[0].operations[2]: Unsupported value: \"PATCH\": supported values: \"*\", "
                                + "\"CONNECT\", \"CREATE\", \"DELETE\", \"UPDATE\"",
                        "webhooks[0].rules[0].apiGroups: Required value",
                        "webhooks[0].rules[0].resources: Invalid value: []string{\"*/*\", \"pods\"}: if '*/*' is "
                                + "present, must not specify other resources",
                        "webhooks[0].rules[0].scope: Unsupported value: \"Everywhere\": supported values: \"*\", "
                                + "\"Cluster\", \"Namespaced\"");
    }

    @Test
    void policiesAreEnums() {
        assertThat(mutating(config(hook("a.example.com", "'failurePolicy':'Sometimes','matchPolicy':'Loose',"
                + "'reinvocationPolicy':'Always'"))))
                .containsExactly("webhooks[0].failurePolicy: Unsupported value: \"Sometimes\": supported values: "
                                + "\"Fail\", \"Ignore\"",
                        "webhooks[0].matchPolicy: Unsupported value: \"Loose\": supported values: \"Equivalent\", "
                                + "\"Exact\"",
                        "webhooks[0].reinvocationPolicy: Unsupported value: \"Always\": supported values: "
                                + "\"IfNeeded\", \"Never\"");
    }

    @Test
    void matchConditionsAreCheckedAsUpstreamChecksThem() {
        assertThat(validating(config(hook("a.example.com",
                "'matchConditions':[{'name':'x','expression':'true'}]")))).isEmpty();
        assertThat(mutating(config(hook("a.example.com", "'matchConditions':[{'name':'x','expression':'true'},"
                + "{'name':'x','expression':'  '},{'expression':'true'},{'name':'no spaces','expression':'true'}]"))))
                .containsExactly("webhooks[0].matchConditions[1].expression: Required value",
                        "webhooks[0].matchConditions[1].name: Duplicate value: \"x\"",
                        "webhooks[0].matchConditions[2].name: Required value",
                        "webhooks[0].matchConditions[3].name: Invalid value: \"no spaces\": name part must consist "
                                + "of alphanumeric characters, '-', '_' or '.', and must start and end with an "
                                + "alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used "
                                + "for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 65; i++) {
            many.append(i == 0 ? "" : ",").append("{'name':'c").append(i).append("','expression':'true'}");
        }
        assertThat(validating(config(hook("a.example.com", "'matchConditions':[" + many + "]"))))
                .containsExactly("webhooks[0].matchConditions: Too many: 65: must have at most 64 items");
    }

    @Test
    void selectorsAreLabelSelectors() {
        assertThat(validating(config(hook("a.example.com",
                "'objectSelector':{'matchExpressions':[{'key':'a','operator':'Near'}]}"))))
                .containsExactly("webhooks[0].objectSelector.matchExpressions[0].operator: Invalid value: \"Near\": "
                        + "not a valid selector operator");
    }
}
