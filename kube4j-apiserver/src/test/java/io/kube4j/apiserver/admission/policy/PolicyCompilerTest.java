package io.kube4j.apiserver.admission.policy;

import org.junit.jupiter.api.Test;

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
}
