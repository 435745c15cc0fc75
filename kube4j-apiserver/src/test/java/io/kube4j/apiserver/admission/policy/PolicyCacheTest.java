package io.kube4j.apiserver.admission.policy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCacheTest {

    private static ObjectNode policy(String uid, String resourceVersion, String expression) {
        return ValidatingPolicyAdmissionTest.yaml("metadata: {name: p, uid: " + uid + ", resourceVersion: '"
                + resourceVersion + "'}\nspec:\n  validations:\n  - expression: '" + expression + "'\n");
    }

    @Test
    void aPolicyIsCompiledOncePerUidAndResourceVersion() {
        PolicyCache cache = new PolicyCache();
        CompiledPolicy first = cache.get(policy("u1", "1", "true"));

        assertThat(cache.get(policy("u1", "1", "true"))).isSameAs(first);
        CompiledPolicy changed = cache.get(policy("u1", "2", "false"));
        assertThat(changed).isNotSameAs(first);
        assertThat(changed.validations().get(0).expression().expression()).isEqualTo("false");
        // a policy deleted and created again under the same name has another uid
        assertThat(cache.get(policy("u2", "2", "false"))).isNotSameAs(changed);

        cache.retain(Set.of("u2"));
        assertThat(cache.size()).isEqualTo(1);
    }

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
