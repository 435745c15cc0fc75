package io.kube4j.apiserver.admission.policy;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCompilerTest {

    @Test
    void compileErrorsAreReportedAtTheExpressionsPath() {
        CompiledPolicy compiled = PolicyCompiler.compile(ValidatingPolicyAdmissionTest.yaml("""
                metadata: {name: p}
                spec:
                  variables:
                  - {name: v, expression: 'object.'}
                  validations:
                  - expression: params.max > 1
                  - expression: "'text'"
                  - expression: 'true'
                    messageExpression: '1'
                """));

        assertThat(compiled.errors()).extracting(e -> e.field()).containsExactly("spec.variables[0].expression",
                "spec.validations[0].expression", "spec.validations[1].expression",
                "spec.validations[2].messageExpression");
        assertThat(compiled.errors().get(1).detail()).startsWith("compilation failed: ")
                .contains("undeclared reference to 'params'");
        assertThat(compiled.errors().get(2).detail()).isEqualTo("must evaluate to bool");
        assertThat(compiled.errors().get(3).detail()).isEqualTo("must evaluate to string");
    }

    private static List<String> errors(String policy) {
        return PolicyCompiler.compile(ValidatingPolicyAdmissionTest.yaml(policy)).errors().stream()
                .map(e -> e.field() + ": " + e.detail()).toList();
    }

    @Test
    void requestAndNamespaceObjectHaveUpstreamsTypes() {
        assertThat(errors("""
                spec:
                  validations:
                  - expression: request.foo == 'x'
                  - expression: namespaceObject.metadata.uid == ''
                  - expression: request.name + 1 == 2
                  - expression: >-
                      request.userInfo.username == 'jane' && request.kind.group == 'apps' && !request.dryRun
                      && namespaceObject.metadata.labels['team'] == 'a' && namespaceObject.status.phase == 'Active'
                      && request.options.fieldManager == 'kubectl'
                """)).containsExactly(
                "spec.validations[0].expression: compilation failed: ERROR: <input>:1:8: undefined field 'foo'\n"
                        + " | request.foo == 'x'\n | .......^",
                // upstream's NamespaceMetadata names it UID
                "spec.validations[1].expression: compilation failed: ERROR: <input>:1:25: undefined field 'uid'\n"
                        + " | namespaceObject.metadata.uid == ''\n | ........................^",
                "spec.validations[2].expression: compilation failed: ERROR: <input>:1:14: found no matching overload "
                        + "for '_+_' applied to '(string, int)'\n | request.name + 1 == 2\n | .............^");
    }

    @Test
    void variablesAreTypedAndSeeOnlyThoseBeforeThem() {
        assertThat(errors("""
                spec:
                  variables:
                  - {name: early, expression: variables.late}
                  - {name: text, expression: "'x'"}
                  - {name: kind, expression: request.kind}
                  - {name: names, expression: "[request.name]"}
                  - {name: late, expression: '1'}
                  validations:
                  - expression: variables.text + 1 == 2
                  - expression: variables.names[0].size() == variables.late
                  - expression: variables.kind.anything == variables.early
                  - expression: variables.missing
                """)).containsExactly(
                "spec.variables[0].expression: compilation failed: ERROR: <input>:1:10: undefined field 'late'\n"
                        + " | variables.late\n | .........^",
                "spec.validations[0].expression: compilation failed: ERROR: <input>:1:16: found no matching overload "
                        + "for '_+_' applied to '(string, int)'\n | variables.text + 1 == 2\n | ...............^",
                // a struct-typed variable is dyn, as upstream declares it
                "spec.validations[3].expression: compilation failed: ERROR: <input>:1:10: undefined field 'missing'\n"
                        + " | variables.missing\n | .........^");
    }

    @Test
    void onlyAPolicyWithVariablesHasThem() {
        assertThat(errors("""
                spec:
                  validations:
                  - expression: variables.x == 1
                """)).containsExactly("spec.validations[0].expression: compilation failed: ERROR: <input>:1:1: "
                + "undeclared reference to 'variables' (in container '')\n | variables.x == 1\n | ^");
    }

    @Test
    void matchConditionsHaveNoVariablesAndMessageExpressionsNoAuthorizer() {
        assertThat(errors("""
                spec:
                  matchConditions:
                  - {name: a, expression: variables.v == 1}
                  - {name: b, expression: "authorizer.requestResource.check('create').allowed()"}
                  variables:
                  - {name: v, expression: '1'}
                  validations:
                  - expression: "variables.v == 1 && authorizer.requestResource.check('get').allowed()"
                    messageExpression: "authorizer.requestResource.check('get').reason()"
                """)).extracting(e -> e.substring(0, e.indexOf('\n'))).containsExactly(
                "spec.matchConditions[0].expression: compilation failed: ERROR: <input>:1:1: undeclared reference to "
                        + "'variables' (in container '')",
                "spec.validations[0].messageExpression: compilation failed: ERROR: <input>:1:1: undeclared reference "
                        + "to 'authorizer' (in container '')");
    }
}
