package io.kube4j.apiserver.admission.policy;

import io.kube4j.api.defaults.Defaults;
import io.kube4j.api.selector.LabelSelector;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.admission.AdmissionRequest;
import io.kube4j.apiserver.admission.Operation;
import io.kube4j.apiserver.authn.FakeLookup;
import io.kube4j.apiserver.authn.UserInfo;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ValidatingPolicyAdmissionTest {

    private static final String GROUP = "admissionregistration.k8s.io";
    private static final UserInfo JANE = new UserInfo("jane", "uid-jane", List.of("developers"), Map.of());

    FakeLookup lookup;
    List<ObjectNode> configMaps;
    ValidatingPolicyAdmission plugin;

    @BeforeEach
    void setUp() {
        lookup = new FakeLookup();
        configMaps = new ArrayList<>();
        plugin = new ValidatingPolicyAdmission(lookup, (apiVersion, kind) ->
                apiVersion.equals("v1") && kind.equals("ConfigMap") ? Optional.of(new ConfigMaps()) : Optional.empty());
        lookup.put("namespaces", yaml("""
                metadata: {name: prod, labels: {env: prod}}
                """));
        lookup.put("namespaces", yaml("""
                metadata: {name: dev, labels: {env: dev}}
                """));
    }

    /** The ConfigMaps of {@link #configMaps} as a param kind. */
    private final class ConfigMaps implements ParamSource.Params {
        @Override
        public boolean namespaced() {
            return true;
        }

        @Override
        public Optional<ObjectNode> get(String namespace, String name) {
            return configMaps.stream().filter(c -> namespace.equals(Json.text(c, "metadata", "namespace"))
                    && name.equals(Json.text(c, "metadata", "name"))).findFirst();
        }

        @Override
        public List<ObjectNode> list(String namespace, LabelSelector selector) {
            return configMaps.stream().filter(c -> namespace.equals(Json.text(c, "metadata", "namespace"))
                    && selector.matches(Json.stringMap(Json.obj(c, "metadata", "labels")))).toList();
        }
    }

    static ObjectNode yaml(String text) {
        return (ObjectNode) Json.YAML.readTree(text);
    }

    private void policy(String name, String specYaml) {
        ObjectNode policy = yaml("metadata: {name: " + name + ", uid: uid-" + name + ", resourceVersion: '1'}\n"
                + "spec:\n" + specYaml.indent(2));
        Defaults.apply(GROUP, "ValidatingAdmissionPolicy", policy);
        lookup.put(ValidatingPolicyAdmission.POLICIES, policy);
    }

    private void binding(String name, String policy, String actions, String moreSpecYaml) {
        ObjectNode binding = yaml("metadata: {name: " + name + "}\nspec:\n  policyName: " + policy
                + "\n  validationActions: " + actions + "\n" + moreSpecYaml.indent(2));
        Defaults.apply(GROUP, "ValidatingAdmissionPolicyBinding", binding);
        lookup.put(ValidatingPolicyAdmission.BINDINGS, binding);
    }

    private static final String DEPLOYMENTS = """
            matchConstraints:
              resourceRules:
              - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE, UPDATE], resources: [deployments]}
            """;

    private static void maxReplicasPolicyIn(ValidatingPolicyAdmissionTest test, String extraSpec) {
        test.policy("max-replicas", DEPLOYMENTS + "validations:\n- expression: object.spec.replicas <= 5\n"
                + extraSpec);
    }

    static ObjectNode deployment(String namespace, String name, int replicas) {
        return yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + ", namespace: " + namespace
                + ", labels: {app: " + name + "}}\nspec: {replicas: " + replicas + "}\n");
    }

    static AdmissionRequest create(ObjectNode deployment) {
        return new AdmissionRequest(Operation.CREATE, "apps", "deployments", "",
                Json.text(deployment, "metadata", "namespace"), Json.text(deployment, "metadata", "name"), deployment,
                null, JANE, false);
    }

    private StatusException denied(AdmissionRequest request) {
        return catchThrowableOfType(StatusException.class, () -> plugin.validate(request));
    }

    @Test
    void aDenyBindingRefusesWithUpstreamsMessageReasonAndCode() {
        maxReplicasPolicyIn(this, "");
        binding("max-replicas-binding", "max-replicas", "[Deny]", "");

        StatusException e = denied(create(deployment("prod", "web", 6)));

        String why = "ValidatingAdmissionPolicy 'max-replicas' with binding 'max-replicas-binding' denied request: "
                + "failed expression: object.spec.replicas <= 5";
        assertThat(e.code()).isEqualTo(422);
        assertThat(e.toStatus().path("reason").asString()).isEqualTo("Invalid");
        assertThat(e.getMessage()).isEqualTo("deployments.apps \"web\" is forbidden: " + why);
        assertThat(e.toStatus().path("details").path("causes").get(0).path("message").asString()).isEqualTo(why);
        assertThat(e.toStatus().path("details").path("kind").asString()).isEqualTo("deployments");

        plugin.validate(create(deployment("prod", "small", 5)));
    }

    @Test
    void aWarnBindingAdmitsWithUpstreamsWarning() {
        maxReplicasPolicyIn(this, "  message: at most five\n");
        binding("warn-only", "max-replicas", "[Warn]", "");

        AdmissionRequest request = create(deployment("prod", "web", 6));
        plugin.validate(request);

        assertThat(request.warnings()).containsExactly(
                "Validation failed for ValidatingAdmissionPolicy 'max-replicas' with binding 'warn-only': "
                        + "at most five");
    }

    @Test
    void anAuditOnlyBindingNeitherRefusesNorWarns() {
        maxReplicasPolicyIn(this, "");
        binding("audit-only", "max-replicas", "[Audit]", "");

        AdmissionRequest request = create(deployment("prod", "web", 6));
        plugin.validate(request);

        assertThat(request.warnings()).isEmpty();
    }

    @Test
    void messageExpressionAndReasonShapeTheRefusal() {
        maxReplicasPolicyIn(this, """
                  messageExpression: "'replicas ' + string(object.spec.replicas) + ' > 5 for ' + request.userInfo.username"
                  message: unused
                  reason: Forbidden
                """);
        binding("b", "max-replicas", "[Deny]", "");

        StatusException e = denied(create(deployment("prod", "web", 7)));

        assertThat(e.code()).isEqualTo(403);
        assertThat(e.getMessage()).endsWith("denied request: replicas 7 > 5 for jane");
    }

    @Test
    void aBindingWithoutItsPolicyDoesNothing() {
        binding("orphan", "missing", "[Deny]", "");

        plugin.validate(create(deployment("prod", "web", 60)));
    }

    @Test
    void resourceRulesOperationsAndSubresourcesLimitWhatIsMatched() {
        policy("create-only", """
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [apps], apiVersions: ['*'], operations: [CREATE], resources: ['*']}
                validations:
                - expression: "false"
                """);
        binding("b", "create-only", "[Deny]", "");

        assertThat(denied(create(deployment("prod", "web", 1)))).isNotNull();
        ObjectNode d = deployment("prod", "web", 1);
        plugin.validate(new AdmissionRequest(Operation.UPDATE, "apps", "deployments", "", "prod", "web", d, d, JANE,
                false));
        // "*" is every main resource of the group, never a subresource
        plugin.validate(new AdmissionRequest(Operation.CREATE, "apps", "deployments", "scale", "prod", "web", d, null,
                JANE, false));
        // another group
        plugin.validate(new AdmissionRequest(Operation.CREATE, "", "configmaps", "", "prod", "c",
                yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: prod}\n"), null, JANE, false));
    }

    @Test
    void excludedResourcesAndResourceNamesAreLeftAlone() {
        policy("p", """
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: ['*'], resources: [deployments]}
                  excludeResourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: ['*'], resources: [deployments], resourceNames: [exempt]}
                validations:
                - expression: object.spec.replicas <= 5
                """);
        binding("b", "p", "[Deny]", "");

        plugin.validate(create(deployment("prod", "exempt", 9)));
        assertThat(denied(create(deployment("prod", "other", 9)))).isNotNull();
    }

    @Test
    void namespaceAndObjectSelectorsOfThePolicyAndTheBinding() {
        policy("p", """
                matchConstraints:
                  namespaceSelector: {matchLabels: {env: prod}}
                  resourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: ['*'], resources: [deployments]}
                validations:
                - expression: object.spec.replicas <= 5
                """);
        binding("b", "p", "[Deny]", """
                matchResources:
                  objectSelector: {matchExpressions: [{key: app, operator: NotIn, values: [batch]}]}
                """);

        assertThat(denied(create(deployment("prod", "web", 9)))).isNotNull();
        plugin.validate(create(deployment("dev", "web", 9)));
        plugin.validate(create(deployment("prod", "batch", 9)));
    }

    @Test
    void matchConditionsThenVariablesThenValidations() {
        policy("p", DEPLOYMENTS + """
                matchConditions:
                - name: not-system
                  expression: "!request.userInfo.username.startsWith('system:')"
                variables:
                - name: limit
                  expression: "namespaceObject.metadata.labels.env == 'prod' ? 5 : 2"
                - name: over
                  expression: object.spec.replicas > variables.limit
                validations:
                - expression: "!variables.over"
                  messageExpression: "'more than ' + string(variables.limit) + ' replicas'"
                """);
        binding("b", "p", "[Deny]", "");

        assertThat(denied(create(deployment("dev", "web", 3))).getMessage()).endsWith("more than 2 replicas");
        plugin.validate(create(deployment("prod", "web", 3)));
        ObjectNode d = deployment("dev", "web", 3);
        UserInfo system = new UserInfo("system:serviceaccount:kube-system:x", "", List.of(), Map.of());
        plugin.validate(new AdmissionRequest(Operation.CREATE, "apps", "deployments", "", "dev", "web", d, null,
                system, false));
    }

    @Test
    void paramsFromAConfigMapByNameOrSelector() {
        policy("p", DEPLOYMENTS + """
                paramKind: {apiVersion: v1, kind: ConfigMap}
                validations:
                - expression: object.spec.replicas <= int(params.data.max)
                  messageExpression: "'at most ' + params.data.max"
                """);
        binding("by-name", "p", "[Deny]", """
                paramRef: {name: limits, namespace: prod}
                """);
        configMaps.add(yaml("metadata: {name: limits, namespace: prod, labels: {kind: limit}}\ndata: {max: '4'}\n"));

        assertThat(denied(create(deployment("prod", "web", 5))).getMessage()).endsWith("at most 4");
        plugin.validate(create(deployment("prod", "web", 4)));

        lookup.remove(ValidatingPolicyAdmission.BINDINGS, null, "by-name");
        binding("by-selector", "p", "[Deny]", """
                paramRef: {selector: {matchLabels: {kind: limit}}}
                """);
        configMaps.add(yaml("metadata: {name: stricter, namespace: prod, labels: {kind: limit}}\ndata: {max: '2'}\n"));
        // every selected param is evaluated: the stricter one refuses
        assertThat(denied(create(deployment("prod", "web", 3))).getMessage()).endsWith("at most 2");
    }

    @Test
    void missingParamsFollowParameterNotFoundAction() {
        policy("p", DEPLOYMENTS + """
                paramKind: {apiVersion: v1, kind: ConfigMap}
                validations:
                - expression: "false"
                """);
        binding("deny-missing", "p", "[Deny]", """
                paramRef: {name: absent}
                """);

        assertThat(denied(create(deployment("prod", "web", 1))).getMessage()).endsWith(
                "ValidatingAdmissionPolicy 'p' with binding 'deny-missing' denied request: failed to configure "
                        + "binding: no params found for policy binding with `Deny` parameterNotFoundAction");

        lookup.remove(ValidatingPolicyAdmission.BINDINGS, null, "deny-missing");
        binding("allow-missing", "p", "[Deny]", """
                paramRef: {name: absent, parameterNotFoundAction: Allow}
                """);
        plugin.validate(create(deployment("prod", "web", 1)));
    }

    @Test
    void evaluationErrorsFollowTheFailurePolicy() {
        policy("p", DEPLOYMENTS + """
                validations:
                - expression: object.spec.paused == true
                """);
        binding("b", "p", "[Deny]", "");

        assertThat(denied(create(deployment("prod", "web", 1))).getMessage())
                .contains("denied request: expression 'object.spec.paused == true' resulted in error: ");

        policy("p", DEPLOYMENTS + """
                failurePolicy: Ignore
                validations:
                - expression: object.spec.paused == true
                """);
        plugin.validate(create(deployment("prod", "web", 1)));
    }

    /** An expression that runs past upstream's per-call cost limit. */
    private static final String RUNAWAY = "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
            + "[1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, "
            + "[1,2,3,4,5,6,7,8,9,10].all(f, a > 0))))))";

    @Test
    void aRunawayExpressionIsStoppedByTheCostLimit() {
        policy("p", DEPLOYMENTS + """
                validations:
                - expression: "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10].all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, [1,2,3,4,5,6,7,8,9,10].all(f, a > 0))))))"
                """);
        binding("b", "p", "[Deny]", "");

        assertThat(denied(create(deployment("prod", "web", 1))).getMessage())
                .endsWith("resulted in error: operation cancelled: actual cost limit exceeded");
    }

    @Test
    void thePolicyResourcesThemselvesAreNeverChecked() {
        policy("p", """
                matchConstraints:
                  resourceRules:
                  - {apiGroups: ['*'], apiVersions: ['*'], operations: ['*'], resources: ['*']}
                validations:
                - expression: "false"
                """);
        binding("b", "p", "[Deny]", "");
        ObjectNode policy = yaml("metadata: {name: q}\n");

        plugin.validate(new AdmissionRequest(Operation.CREATE, GROUP, "validatingadmissionpolicies", "", "", "q",
                policy, null, JANE, false));
        assertThatThrownBy(() -> plugin.validate(create(deployment("prod", "web", 1))))
                .isInstanceOf(StatusException.class);
    }

    @Test
    void anAuditBindingRecordsTheFailureAsUpstreamsAuditAnnotation() {
        maxReplicasPolicyIn(this, "- expression: object.spec.replicas <= 3\n  message: at most <three> & no more\n");
        binding("audit-only", "max-replicas", "[Audit]", "");

        AdmissionRequest request = create(deployment("prod", "web", 4));
        plugin.validate(request);

        // the second validation failed: its index, the binding's actions, Go's HTML-safe escaping
        assertThat(request.auditAnnotations()).containsExactly(Map.entry(ValidatingPolicyAdmission.VALIDATION_FAILURE,
                "[{\"message\":\"at most \\u003cthree\\u003e \\u0026 no more\",\"policy\":\"max-replicas\","
                        + "\"binding\":\"audit-only\",\"expressionIndex\":1,\"validationActions\":[\"Audit\"]}]"));
        assertThat(request.warnings()).isEmpty();

        lookup.remove(ValidatingPolicyAdmission.BINDINGS, null, "audit-only");
        binding("deny-and-audit", "max-replicas", "[Deny, Audit]", "");
        AdmissionRequest denied = create(deployment("prod", "web", 6));
        assertThat(denied(denied)).isNotNull();
        assertThat(denied.auditAnnotations().get(ValidatingPolicyAdmission.VALIDATION_FAILURE))
                .contains("\"binding\":\"deny-and-audit\",\"expressionIndex\":0,\"validationActions\":[\"Deny\",\"Audit\"]");

        AdmissionRequest passing = create(deployment("prod", "web", 1));
        plugin.validate(passing);
        assertThat(passing.auditAnnotations()).isEmpty();
    }

    @Test
    void auditAnnotationsArePublishedUnderThePolicysName() {
        policy("p", DEPLOYMENTS + """
                paramKind: {apiVersion: v1, kind: ConfigMap}
                auditAnnotations:
                - key: replicas
                  valueExpression: "'  ' + string(object.spec.replicas) + ' of ' + params.data.max + ' '"
                - key: same
                  valueExpression: "'always'"
                - key: nothing
                  valueExpression: "null"
                - key: blank
                  valueExpression: "'  '"
                """);
        binding("a", "p", "[Deny]", "paramRef: {name: four, namespace: prod}\n");
        binding("b", "p", "[Deny]", "paramRef: {name: five, namespace: prod}\n");
        configMaps.add(yaml("metadata: {name: four, namespace: prod}\ndata: {max: '4'}\n"));
        configMaps.add(yaml("metadata: {name: five, namespace: prod}\ndata: {max: '5'}\n"));

        AdmissionRequest request = create(deployment("prod", "web", 3));
        plugin.validate(request);

        // trimmed; the distinct values of the two bindings joined; null and blank values leave no annotation
        assertThat(request.auditAnnotations()).containsExactly(Map.entry("p/replicas", "3 of 4, 3 of 5"),
                Map.entry("p/same", "always"));
    }

    @Test
    void aLongAuditAnnotationValueIsCutToTenKibibytes() {
        policy("p", DEPLOYMENTS + """
                auditAnnotations:
                - key: long
                  valueExpression: "'a' + %s"
                """.formatted(String.join(" + ", java.util.Collections.nCopies(6, "'" + "é".repeat(1000) + "'"))));
        binding("b", "p", "[Deny]", "");

        AdmissionRequest request = create(deployment("prod", "web", 3));
        plugin.validate(request);

        // 1 + 6000 two-byte characters: cut at 10240 bytes, never inside a character
        assertThat(request.auditAnnotations().get("p/long")).startsWith("aé").hasSize(1 + 5119);
    }

    @Test
    void auditAnnotationsThatCannotBeEvaluatedRefuseUnderFailurePolicyFail() {
        policy("p", DEPLOYMENTS + """
                auditAnnotations:
                - key: missing
                  valueExpression: "object.spec.missing"
                """);
        // an Audit-only binding still refuses: upstream denies on an audit annotation error whatever the actions
        binding("b", "p", "[Audit]", "");

        assertThat(denied(create(deployment("prod", "web", 1))).getMessage()).endsWith("ValidatingAdmissionPolicy "
                + "'p' with binding 'b' denied request: expression 'object.spec.missing' resulted in error: "
                + "no such key: missing");

        policy("q", DEPLOYMENTS + """
                failurePolicy: Ignore
                auditAnnotations:
                - key: missing
                  valueExpression: "object.spec.missing"
                - key: number
                  valueExpression: "object.spec.replicas"
                """);
        lookup.remove(ValidatingPolicyAdmission.POLICIES, null, "p");
        binding("c", "q", "[Audit]", "");
        // the error is ignored; a value that is neither string nor null refuses whatever the failurePolicy
        assertThat(denied(create(deployment("prod", "web", 1))).getMessage()).endsWith("denied request: "
                + "valueExpression 'object.spec.replicas' resulted in unsupported return type: int. Return type must "
                + "be either string or null.");
    }

    @Test
    void variablesRunOnlyWhenRead() {
        // eleven runaway variables would spend the request's whole budget, each stopped at the per-call limit
        StringBuilder variables = new StringBuilder("variables:\n");
        for (int i = 0; i < 11; i++) {
            variables.append("- name: runaway").append(i).append("\n  expression: \"").append(RUNAWAY).append("\"\n");
        }
        policy("p", DEPLOYMENTS + variables + """
                - name: broken
                  expression: object.spec.missing.field
                - name: replicas
                  expression: object.spec.replicas
                validations:
                - expression: variables.replicas <= 5
                """);
        binding("b", "p", "[Deny]", "");

        // never read: neither their errors nor their cost count
        plugin.validate(create(deployment("prod", "web", 1)));

        policy("q", DEPLOYMENTS + """
                variables:
                - name: broken
                  expression: object.spec.missing.field
                validations:
                - expression: variables.broken == 1
                """);
        lookup.remove(ValidatingPolicyAdmission.POLICIES, null, "p");
        binding("c", "q", "[Deny]", "");
        assertThat(denied(create(deployment("prod", "web", 1))).getMessage()).endsWith("denied request: "
                + "expression 'variables.broken == 1' resulted in error: composited variable \"broken\" fails to "
                + "evaluate: no such key: missing");
    }

    @Test
    void aVariableReadByManyExpressionsCostsOnce() {
        // about a tenth of the request's budget: read by twenty validations it would spend it twice over
        String costly = "[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, [1,2,3,4,5,6,7,8,9,10]"
                + ".all(c, [1,2,3,4,5,6,7,8,9,10].all(d, [1,2,3,4,5,6,7,8,9,10].all(e, a > 0)))))";
        StringBuilder validations = new StringBuilder("validations:\n");
        for (int i = 0; i < 20; i++) {
            validations.append("- expression: variables.costly\n");
        }
        policy("p", DEPLOYMENTS + "variables:\n- name: costly\n  expression: \"" + costly + "\"\n" + validations);
        binding("b", "p", "[Deny]", "");

        plugin.validate(create(deployment("prod", "web", 1)));
    }

    @Test
    void theRequestVariableCarriesTheOperationsOptions() {
        policy("p", DEPLOYMENTS + """
                validations:
                - expression: >-
                    request.options.kind == 'CreateOptions' && request.options.apiVersion == 'meta.k8s.io/v1'
                    && request.options.fieldManager == 'kubectl-client-side-apply'
                - expression: dyn(request).uid == '' && !has(request.name)
                """);
        binding("b", "p", "[Deny]", "");
        ObjectNode options = yaml("{kind: CreateOptions, apiVersion: meta.k8s.io/v1, "
                + "fieldManager: kubectl-client-side-apply, fieldValidation: Strict}");
        ObjectNode generated = deployment("prod", "web", 1);

        plugin.validate(new AdmissionRequest(Operation.CREATE, "apps", "deployments", "", "prod", "", generated,
                null, JANE, false).withOptions(options));
        assertThat(denied(new AdmissionRequest(Operation.CREATE, "apps", "deployments", "", "prod", "", generated,
                null, JANE, false).withOptions(options.put("fieldManager", "other")))).isNotNull();
    }
}
