package io.kube4j.apiserver.admission.policy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** ValidatingAdmissionPolicy type checking: which kinds are checked, against what, and the warnings' form. */
class TypeCheckerTest {

    /** Served resources: group/version/resource to kind. */
    private static final Map<String, String> KINDS = Map.of("apps/v1/deployments", "Deployment",
            "apps/v1/replicasets", "ReplicaSet", "/v1/pods", "Pod", "/v1/configmaps", "ConfigMap",
            "example.com/v1/widgets", "Widget");

    private static final ObjectNode WORKLOAD = ValidatingPolicyAdmissionTest.yaml("""
            type: object
            properties:
              apiVersion: {type: string}
              kind: {type: string}
              metadata:
                type: object
                properties:
                  name: {type: string}
                  generateName: {type: string}
                  labels: {type: object, additionalProperties: {type: string}}
              spec:
                type: object
                properties:
                  replicas: {type: integer}
                  paused: {type: boolean}
                  minReadySeconds: {type: integer}
            """);
    private static final ObjectNode CONFIG_MAP = ValidatingPolicyAdmissionTest.yaml("""
            type: object
            properties:
              data: {type: object, additionalProperties: {type: string}}
            """);
    /** A schema with neither kind, apiVersion nor full metadata: it gets upstream's. */
    private static final ObjectNode WIDGET = ValidatingPolicyAdmissionTest.yaml("""
            type: object
            properties:
              spec: {type: object, properties: {size: {type: integer}}}
            """);

    private final TypeChecker checker = new TypeChecker(
            (group, version, resource) -> Optional.ofNullable(KINDS.get(group + "/" + version + "/" + resource)),
            (group, version, kind) -> Optional.ofNullable(switch (kind) {
                case "Deployment", "ReplicaSet" -> WORKLOAD;
                case "ConfigMap" -> CONFIG_MAP;
                case "Widget" -> WIDGET;
                default -> null;
            }));

    private static ObjectNode policy(String spec) {
        return ValidatingPolicyAdmissionTest.yaml("metadata: {name: p}\nspec:\n" + spec.indent(2));
    }

    private static final String DEPLOYMENTS = """
            matchConstraints:
              resourceRules:
              - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [deployments]}
            """;

    @Test
    void aTypeErrorIsReportedAtItsFieldForEachKindAsUpstreamFormatsIt() {
        List<TypeChecker.Warning> warnings = checker.check(policy("""
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [apps], apiVersions: [v1], operations: [CREATE], resources: [replicasets, deployments]}
                validations:
                - expression: object.spec.replicas == 'x'
                """));

        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0).fieldRef()).isEqualTo("spec.validations[0].expression");
        String error = "ERROR: <input>:1:22: found no matching overload for '_==_' applied to '(int, string)'\n"
                + " | object.spec.replicas == 'x'\n"
                + " | .....................^";
        // one line per kind, in group/version/kind order, each ending in a newline, joined by newlines
        assertThat(warnings.get(0).warning()).isEqualTo("apps/v1, Kind=Deployment: " + error + "\n\n"
                + "apps/v1, Kind=ReplicaSet: " + error + "\n");
    }

    @Test
    void expressionsAndMessageExpressionsAreCheckedButNotForTheirResultType() {
        List<TypeChecker.Warning> warnings = checker.check(policy(DEPLOYMENTS + """
                validations:
                - expression: object.spec.foo == 'bar'
                  messageExpression: object.spec.replicas + 'x'
                - expression: object.spec.replicas
                  messageExpression: "'replicas: ' + string(object.spec.replicas)"
                - expression: has(object.metadata.labels) && object.metadata.labels['app'] == 'web'
                """));

        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[0].expression", "spec.validations[0].messageExpression");
        assertThat(warnings.get(0).warning()).startsWith("apps/v1, Kind=Deployment: ERROR: <input>:1:12: ")
                .contains("undefined field 'foo'");
    }

    @Test
    void aPolicyWithoutTypeErrorsHasNoWarnings() {
        assertThat(checker.check(policy(DEPLOYMENTS + """
                validations:
                - expression: object.spec.replicas <= 5 && !object.spec.paused
                - expression: oldObject == null || oldObject.spec.replicas >= 0
                - expression: request.userInfo.username != '' && request.operation == 'CREATE'
                - expression: namespaceObject.metadata.labels['env'] == 'prod'
                - expression: authorizer.group('').resource('pods').check('create').allowed()
                """))).isEmpty();
    }

    @Test
    void requestAndNamespaceObjectHaveUpstreamsTypes() {
        List<TypeChecker.Warning> warnings = checker.check(policy(DEPLOYMENTS + """
                validations:
                - expression: request.user == 'x'
                - expression: namespaceObject.spec.phase == 'Active'
                """));

        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[0].expression", "spec.validations[1].expression");
        assertThat(warnings.get(0).warning()).contains("undefined field 'user'");
        assertThat(warnings.get(1).warning()).contains("undefined field 'phase'");
    }

    @Test
    void variablesHaveTheTypesTheirExpressionsGive() {
        List<TypeChecker.Warning> warnings = checker.check(policy(DEPLOYMENTS + """
                variables:
                - {name: replicas, expression: object.spec.replicas}
                - {name: name, expression: "'web'"}
                - {name: twice, expression: variables.replicas * 2}
                validations:
                - expression: variables.twice > 1 && variables.name.startsWith('w')
                - expression: variables.name == object.spec.replicas
                - expression: variables.missing
                """));

        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[1].expression", "spec.validations[2].expression");
        assertThat(warnings.get(0).warning()).contains("found no matching overload for '_==_' applied to "
                + "'(string, int)'");
        assertThat(warnings.get(1).warning()).contains("undefined field 'missing'");
    }

    @Test
    void aVariableOfAnObjectTypeIsDynAndALaterOneIsNotSeen() {
        List<TypeChecker.Warning> warnings = checker.check(policy(DEPLOYMENTS + """
                variables:
                - {name: early, expression: variables.name}
                - {name: name, expression: "'web'"}
                - {name: spec, expression: object.spec}
                validations:
                - expression: variables.spec.anything == 1 && variables.early == 1
                - expression: variables.name == 1
                """));

        // upstream declares a variable of a struct type dyn, and one that read a later variable did not compile: dyn
        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[1].expression");
    }

    @Test
    void paramsHaveTheParamKindsType() {
        List<TypeChecker.Warning> warnings = checker.check(policy(DEPLOYMENTS + """
                paramKind: {apiVersion: v1, kind: ConfigMap}
                validations:
                - expression: object.spec.replicas <= int(params.data['max'])
                - expression: params.spec.max > 1
                """));

        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[1].expression");
        assertThat(warnings.get(0).warning()).contains("undefined field 'spec'");
    }

    @Test
    void aKindWithoutFullMetadataGetsUpstreamsResourceRoot() {
        List<TypeChecker.Warning> warnings = checker.check(policy("""
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [example.com], apiVersions: [v1], operations: [CREATE], resources: [widgets]}
                validations:
                - expression: object.metadata.name.startsWith('w') && object.kind == 'Widget' && object.spec.size > 1
                - expression: object.metadata.labels['a'] == 'b'
                """));

        assertThat(warnings).extracting(TypeChecker.Warning::fieldRef).containsExactly(
                "spec.validations[1].expression");
        assertThat(warnings.get(0).warning()).startsWith("example.com/v1, Kind=Widget: ")
                .contains("undefined field 'labels'");
    }

    @Test
    void onlyExactlyNamedServedResourcesAreChecked() {
        assertThat(checker.typesToCheck(policy("""
                matchConstraints:
                  resourceRules:
                  - {apiGroups: ['*'], apiVersions: [v1], resources: [pods]}
                  - {apiGroups: [apps], apiVersions: ['*'], resources: [deployments]}
                  - {apiGroups: [''], apiVersions: [v1], resources: ['*', pods/status, 'pods/*', nothings]}
                """).path("spec").get("matchConstraints"))).isEmpty();
        assertThat(checker.typesToCheck(policy("""
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [apps, ''], apiVersions: [v1], resources: [replicasets, pods, deployments, '*']}
                  - {apiGroups: [''], apiVersions: [v1], resources: [configmaps, pods]}
                """).path("spec").get("matchConstraints"))).extracting(Object::toString).containsExactly(
                "/v1, Kind=ConfigMap", "/v1, Kind=Pod", "apps/v1, Kind=Deployment", "apps/v1, Kind=ReplicaSet");
    }

    @Test
    void aKindWithoutSchemaOrAPolicyWithoutKindsIsNotChecked() {
        assertThat(checker.check(policy("""
                validations:
                - expression: object.spec.replicas == 'x'
                """))).isEmpty();
        assertThat(checker.check(policy("""
                matchConstraints:
                  resourceRules:
                  - {apiGroups: [''], apiVersions: [v1], operations: [CREATE], resources: [pods]}
                validations:
                - expression: object.spec.replicas == 'x'
                """))).isEmpty();
    }
}
