package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** ValidatingAdmissionPolicy(Binding) validation and defaults, with upstream's messages. */
class AdmissionPolicyValidationTest {

    private static final String GROUP = "admissionregistration.k8s.io";
    private static final String RULES = "'matchConstraints':{'resourceRules':[{'operations':['CREATE'],"
            + "'apiGroups':['apps'],'apiVersions':['v1'],'resources':['deployments']}]}";

    private static List<String> policy(String spec) {
        return messages(Validators.forKind(GROUP, "ValidatingAdmissionPolicy")
                .validateCreate(defaulted(GROUP, "ValidatingAdmissionPolicy", "{'metadata':{'name':'p'},'spec':{"
                        + spec + "}}")));
    }

    private static List<String> binding(String spec) {
        return messages(Validators.forKind(GROUP, "ValidatingAdmissionPolicyBinding")
                .validateCreate(defaulted(GROUP, "ValidatingAdmissionPolicyBinding", "{'metadata':{'name':'b'},"
                        + "'spec':{" + spec + "}}")));
    }

    @Test
    void aValidPolicyGetsUpstreamsDefaults() {
        ObjectNode policy = defaulted(GROUP, "ValidatingAdmissionPolicy", "{'metadata':{'name':'p'},'spec':{" + RULES
                + ",'validations':[{'expression':'true'}]}}");
        assertThat(messages(Validators.forKind(GROUP, "ValidatingAdmissionPolicy").validateCreate(policy))).isEmpty();
        assertThat(policy.at("/spec/failurePolicy").asString()).isEqualTo("Fail");
        assertThat(policy.at("/spec/matchConstraints/matchPolicy").asString()).isEqualTo("Equivalent");
        assertThat(policy.at("/spec/matchConstraints/namespaceSelector").isObject()).isTrue();
        assertThat(policy.at("/spec/matchConstraints/objectSelector").isObject()).isTrue();
        assertThat(policy.at("/spec/matchConstraints/resourceRules/0/scope").asString()).isEqualTo("*");
    }

    @Test
    void aPolicyNeedsConstraintsAndSomethingToCheck() {
        assertThat(policy("")).containsExactlyInAnyOrder(
                "spec.matchConstraints: Required value",
                "spec.validations: Required value: validations or auditAnnotations must contain at least one item",
                "spec.auditAnnotations: Required value: validations or auditAnnotations must contain at least one item");
        assertThat(policy("'matchConstraints':{},'validations':[{'expression':'true'}]")).containsExactly(
                "spec.matchConstraints.resourceRules: Required value");
    }

    @Test
    void fieldsOfAPolicyAreCheckedAsUpstreamDoes() {
        assertThat(policy(RULES + ",'failurePolicy':'Sometimes','paramKind':{'apiVersion':'a/b/c'},"
                + "'matchConditions':[{'name':'x','expression':'true'},{'name':'x','expression':' '}],"
                + "'variables':[{'name':'in','expression':'1'}],"
                + "'validations':[{'expression':'true','message':'two\\nlines','reason':'Teapot'}]"))
                .containsExactlyInAnyOrder(
                        "spec.failurePolicy: Unsupported value: \"Sometimes\": supported values: \"Fail\", \"Ignore\"",
                        "spec.paramKind.apiVersion: Invalid value: \"a/b/c\": unexpected GroupVersion string: a/b/c",
                        "spec.paramKind.kind: Required value",
                        "spec.matchConditions[1].expression: Required value",
                        "spec.matchConditions[1].name: Duplicate value: \"x\"",
                        "spec.variables[0].name: Invalid value: \"in\": name is not a valid CEL identifier",
                        "spec.validations[0].message: Invalid value: \"two\\nlines\": message must not contain line "
                                + "breaks",
                        "spec.validations[0].reason: Unsupported value: \"Teapot\": supported values: \"Forbidden\", "
                                + "\"Invalid\", \"RequestEntityTooLarge\", \"Unauthorized\"");
    }

    @Test
    void aBindingNeedsAPolicyAndOneKindOfAction() {
        assertThat(binding("'policyName':'p','validationActions':['Deny']")).isEmpty();
        assertThat(binding("")).containsExactlyInAnyOrder("spec.policyName: Required value",
                "spec.validationActions: Required value: at least one validation action is required");
        assertThat(binding("'policyName':'p','validationActions':['Deny','Warn','Deny','Log']"))
                .containsExactlyInAnyOrder(
                        "spec.validationActions[2]: Duplicate value: \"Deny\"",
                        "spec.validationActions[3]: Unsupported value: \"Log\": supported values: \"Audit\", \"Deny\", "
                                + "\"Warn\"",
                        "spec.validationActions: Invalid value: []string{\"Deny\", \"Warn\", \"Deny\", \"Log\"}: must "
                                + "not contain both Deny and Warn (repeating the same validation failure information "
                                + "in the API response and headers serves no purpose)");
    }

    @Test
    void aParamRefNamesOrSelectsAndDefaultsToDenyWhenMissing() {
        ObjectNode binding = defaulted(GROUP, "ValidatingAdmissionPolicyBinding", "{'metadata':{'name':'b'},"
                + "'spec':{'policyName':'p','validationActions':['Deny'],'paramRef':{'name':'x'}}}");
        assertThat(binding.at("/spec/paramRef/parameterNotFoundAction").asString()).isEqualTo("Deny");
        assertThat(binding("'policyName':'p','validationActions':['Deny'],'paramRef':{'name':'a','selector':{},"
                + "'parameterNotFoundAction':'Maybe'}")).containsExactlyInAnyOrder(
                "spec.paramRef.name: Forbidden: name and selector are mutually exclusive",
                "spec.paramRef.selector: Forbidden: name and selector are mutually exclusive",
                "spec.paramRef.parameterNotFoundAction: Unsupported value: \"Maybe\": supported values: \"Deny\", "
                        + "\"Allow\"");
        assertThat(binding("'policyName':'p','validationActions':['Audit'],'paramRef':{}")).containsExactly(
                "spec.paramRef: Required value: one of name or selector must be specified");
    }
}
