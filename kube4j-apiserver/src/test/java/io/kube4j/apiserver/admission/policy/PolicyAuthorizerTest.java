package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.defaults.Defaults;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.authz.Decision;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.Optional;

import static io.kube4j.apiserver.admission.policy.ValidatingPolicyAdmissionTest.deployment;
import static io.kube4j.apiserver.admission.policy.ValidatingPolicyAdmissionTest.yaml;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A ValidatingAdmissionPolicy's {@code authorizer}: the same policy answers differently for two users. */
class PolicyAuthorizerTest {

    private static final String GROUP = "admissionregistration.k8s.io";

    @Test
    void aValidationUsingTheAuthorizerDiffersByUser() {
        FakeLookup lookup = new FakeLookup();
        ObjectNode policy = yaml("""
                metadata: {name: listers-only, uid: uid-1, resourceVersion: '1'}
                spec:
                  matchConstraints:
                    resourceRules:
                    - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
                  matchConditions:
                  - {name: may-create, expression: "authorizer.requestResource.check('create').allowed()"}
                  variables:
                  - {name: listing, expression: "authorizer.group('').resource('pods').check('list')"}
                  validations:
                  - expression: "variables.listing.allowed()"
                    # upstream's messageExpressions have no authorizer, but may read a variable that used it
                    messageExpression: "'cannot list pods: ' + variables.listing.reason()"
                """);
        Defaults.apply(GROUP, "ValidatingAdmissionPolicy", policy);
        lookup.put(ValidatingPolicyAdmission.POLICIES, policy);
        ObjectNode binding = yaml("metadata: {name: listers-only}\nspec: {policyName: listers-only, "
                + "validationActions: [Deny]}\n");
        Defaults.apply(GROUP, "ValidatingAdmissionPolicyBinding", binding);
        lookup.put(ValidatingPolicyAdmission.BINDINGS, binding);
        ValidatingPolicyAdmission plugin = new ValidatingPolicyAdmission(lookup, (v, k) -> Optional.empty(),
                (user, attributes) -> {
                    if (attributes.resource().equals("deployments") && attributes.namespace().equals("prod")
                            && attributes.name().equals("web") && attributes.verb().equals("create")) {
                        return Decision.allow("");
                    }
                    return user.name().equals("jane") && attributes.resource().equals("pods")
                            ? Decision.allow("") : Decision.deny(user.name() + " is not a lister");
                });

        assertThatCode(() -> plugin.validate(create("jane"))).doesNotThrowAnyException();
        StatusException bob = catchThrowableOfType(StatusException.class, () -> plugin.validate(create("bob")));
        assertThat(bob).isNotNull();
        assertThat(bob.getMessage()).endsWith("ValidatingAdmissionPolicy 'listers-only' with binding 'listers-only' "
                + "denied request: cannot list pods: bob is not a lister");
    }

    private static AdmissionRequest create(String user) {
        ObjectNode deployment = deployment("prod", "web", 1);
        return new AdmissionRequest(Operation.CREATE, "apps", "deployments", "", "prod", "web", deployment, null,
                UserInfo.of(user), false);
    }
}
