package io.kube4j.apiserver.crd.celrules;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The libraries rules may use beside CEL's standard one: each expression here must compile and hold. */
class KubernetesLibrariesTest {

    private static List<FieldError> run(String rule) {
        ObjectNode schema = (ObjectNode) Json.YAML.readTree("""
                type: object
                properties:
                  s: {type: string}
                """);
        schema.withObject("/properties/s").putArray("x-kubernetes-validations").addObject().put("rule", rule);
        List<FieldError> compileErrors = SchemaRules.check(schema, "schema");
        if (!compileErrors.isEmpty()) {
            return compileErrors;
        }
        JsonNode object = Json.YAML.readTree("s: a1b22");
        return new RuleValidator().validate(SchemaRules.compile(schema), object, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // strings extension beside the list library's indexOf
        "self.indexOf('b') == 2 && [1, 2, 3].indexOf(2) == 1 && [1, 2, 1].lastIndexOf(1) == 2",
        "self.upperAscii() == 'A1B22' && 'a,b'.split(',') == ['a', 'b'] && ' x '.trim() == 'x'",
        "self.matches('^a[0-9]') && self.find('[0-9]+') == '1' && self.findAll('[0-9]+') == ['1', '22']",
        "self.findAll('[0-9]', 2) == ['1', '2'] && self.find('z') == ''",
        "[1, 2, 3].isSorted() && ![2, 1].isSorted() && ['a', 'b'].isSorted()",
        "[3, 1, 2].min() == 1 && [3, 1, 2].max() == 3 && [1, 2, 3].sum() == 6 && [1.5, 2.5].sum() == 4.0",
        "sets.contains([1, 2, 3], [2]) && sets.intersects([1], [1, 5]) && sets.equivalent([1, 1], [1])",
        "isURL('https://example.com/a') && !isURL('not a url') && url('/p').getEscapedPath() == '/p'",
        "url('https://user@example.com:8443/p?q=1&q=2').getHost() == 'example.com:8443'",
        "url('https://example.com:8443/p').getHostname() == 'example.com' "
                + "&& url('https://example.com:8443/p').getPort() == '8443'",
        "url('https://example.com/p?q=1&q=2').getQuery()['q'] == ['1', '2'] "
                + "&& url('https://example.com').getScheme() == 'https'",
        "isQuantity('1Gi') && !isQuantity('1 Gi') && quantity('1.5').asApproximateFloat() == 1.5",
        "quantity('1k').add(1).compareTo(quantity('1001')) == 0 && quantity('2').sub(quantity('3')).sign() == -1",
        "quantity('1Mi').isGreaterThan(quantity('1M')) && quantity('500m').isLessThan(quantity('1'))",
        "quantity('10').isInteger() && quantity('10').asInteger() == 10 && !quantity('1.5').isInteger()",
        "[1, 2].all(x, x > 0) && [1, 2].exists_one(x, x == 2) && [1, 2].map(x, x * 2) == [2, 4] "
                + "&& [1, 2].filter(x, x > 1) == [2]",
        "optional.of(1).orValue(2) == 1 && optional.none().orValue(2) == 2",
    })
    void holds(String rule) {
        assertThat(run(rule)).isEmpty();
    }

    @Test
    void runtimeErrorsOfTheLibrariesAreReportedWithTheRule() {
        assertThat(run("[1].filter(x, x > 1).min() == 0")).extracting(FieldError::message).containsExactly(
                "s: Invalid value: \"string\": min called on empty list evaluating rule: "
                        + "[1].filter(x, x > 1).min() == 0");
        assertThat(run("quantity(self).sign() == 1")).singleElement().extracting(FieldError::detail).asString()
                .endsWith(" evaluating rule: quantity(self).sign() == 1");
        assertThat(run("url(self).getHost() == ''")).extracting(FieldError::detail).containsExactly(
                "URL parse error during conversion from string: a1b22 evaluating rule: url(self).getHost() == ''");
    }

    @Test
    void anUnknownFunctionDoesNotCompile() {
        assertThat(run("self.format([1]) == ''")).singleElement().extracting(FieldError::detail).asString()
                .startsWith("compilation failed: ").contains("undeclared reference to 'format'");
    }
}
