package io.kube4j.apiserver.crd.celrules;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules checked as a CRD is written: typed from the schema, with upstream's messages at upstream's paths. */
class SchemaRulesTest {

    private static final String ROOT = "spec.versions[0].schema.openAPIV3Schema";

    static JsonNode schema(String yaml) {
        return Json.YAML.readTree(yaml);
    }

    private static List<FieldError> check(String yaml) {
        return SchemaRules.check(schema(yaml), ROOT);
    }

    @Test
    void rulesThatFitTheSchemaTypesCompile() {
        assertThat(check("""
                type: object
                x-kubernetes-validations:
                - rule: "self.metadata.name.startsWith('a') && self.kind == 'Widget'"
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.replicas <= self.maxReplicas"
                      messageExpression: "'replicas ' + string(self.replicas) + ' above ' + string(self.maxReplicas)"
                    - rule: "self.ratio > 0.5 && self.labels.all(k, self.labels[k].size() < 10)"
                    - rule: "!has(self.x__dash__y) || self.x__dash__y.lowerAscii() == 'a'"
                    - rule: "self.ports.isSorted() && self.ports.sum() < 100 && self.ports.max() > self.ports.min()"
                    - rule: "quantity(self.size).isLessThan(quantity('1Gi')) && isQuantity(self.size)"
                    - rule: "url(self.endpoint).getHost() == 'example.com' && isURL(self.endpoint)"
                    - rule: "self.anything == 1 || self.anything == 'one'"
                    properties:
                      replicas: {type: integer}
                      maxReplicas: {type: integer}
                      ratio: {type: number}
                      labels: {type: object, additionalProperties: {type: string}}
                      x-y: {type: string}
                      ports: {type: array, items: {type: integer}}
                      size: {type: string}
                      endpoint: {type: string}
                      anything: {x-kubernetes-int-or-string: true}
                """)).isEmpty();
    }

    @Test
    void anUndefinedFieldFailsToCompileWithCelsMessage() {
        List<FieldError> errors = check("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.foo > 0"
                    properties:
                      replicas: {type: integer}
                """);
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(FieldError.Type.INVALID);
            assertThat(e.field()).isEqualTo(ROOT + ".properties[spec].x-kubernetes-validations[0].rule");
            assertThat(e.detail()).isEqualTo("compilation failed: ERROR: <input>:1:5: undefined field 'foo'\n"
                    + " | self.foo > 0\n | ....^");
        });
    }

    @Test
    void unknownFunctionsWrongTypesAndNonBooleanRulesAreRefused() {
        List<FieldError> errors = check("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "frobnicate(self.name)"
                    - rule: "self.replicas + 'a' == 1"
                    - rule: "self.replicas"
                    - rule: "self.name.isSorted()"
                    properties:
                      replicas: {type: integer}
                      name: {type: string}
                """);
        assertThat(errors).extracting(FieldError::detail).satisfiesExactly(
                d -> assertThat(d).startsWith("compilation failed: ").contains("undeclared reference to 'frobnicate'"),
                d -> assertThat(d).startsWith("compilation failed: ").contains("found no matching overload for '_+_'"),
                d -> assertThat(d).isEqualTo("cel expression must evaluate to a bool"),
                d -> assertThat(d).startsWith("compilation failed: ").contains("isSorted"));
    }

    @Test
    void messageExpressionReasonAndFieldPathAreChecked() {
        List<FieldError> errors = check("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.replicas > 0"
                      messageExpression: "self.replicas"
                    - rule: "self.replicas > 0"
                      reason: FieldValueWrong
                    - rule: "self.replicas > 0"
                      fieldPath: ".nope"
                    - rule: "self.replicas > 0"
                      fieldPath: ".labels['a.b']"
                      reason: FieldValueForbidden
                    - rule: "self.replicas > 0"
                      messageExpression: "'x' + "
                    properties:
                      replicas: {type: integer}
                      labels: {type: object, additionalProperties: {type: string}}
                """);
        String at = ROOT + ".properties[spec].x-kubernetes-validations";
        assertThat(errors).extracting(FieldError::message).satisfiesExactly(
                m -> assertThat(m).isEqualTo(at + "[0].messageExpression: Invalid value: \"self.replicas\": "
                        + "messageExpression must evaluate to a string"),
                m -> assertThat(m).isEqualTo(at + "[1].reason: Unsupported value: \"FieldValueWrong\": supported "
                        + "values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", "
                        + "\"FieldValueRequired\""),
                m -> assertThat(m).isEqualTo(at + "[2].fieldPath: Invalid value: \".nope\": fieldPath must be a valid "
                        + "path: does not refer to a valid field"),
                m -> assertThat(m).startsWith(at + "[4].messageExpression: Invalid value: \"'x' + \": "
                        + "messageExpression compilation failed: ERROR: <input>:1:"));
    }

    @Test
    void oldSelfIsRefusedWhereOldAndNewCannotBeCorrelated() {
        List<FieldError> errors = check("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.name == oldSelf.name"
                    - rule: "self.replicas > 0"
                      optionalOldSelf: true
                    properties:
                      name: {type: string}
                      replicas: {type: integer}
                      atomic:
                        type: array
                        items:
                          type: object
                          x-kubernetes-validations:
                          - rule: "self.v == oldSelf.v"
                          properties:
                            v: {type: string}
                      keyed:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          x-kubernetes-validations:
                          - rule: "self.v == oldSelf.v"
                          properties:
                            name: {type: string}
                            v: {type: string}
                """);
        assertThat(errors).extracting(FieldError::message).containsExactlyInAnyOrder(
                ROOT + ".properties[spec].x-kubernetes-validations[1].optionalOldSelf: Invalid value: true: "
                        + "may not be set if rule does not use oldSelf",
                ROOT + ".properties[spec].properties[atomic].items.x-kubernetes-validations[0].rule: Invalid value: "
                        + "\"self.v == oldSelf.v\": oldSelf cannot be used on the uncorrelatable portion of the "
                        + "schema within " + ROOT + ".properties[spec].properties[atomic].items");
    }

    @Test
    void validationsThatAreNotAListOfRulesAreRefused() {
        assertThat(check("""
                type: object
                x-kubernetes-validations: {rule: "true"}
                properties:
                  a:
                    type: string
                    x-kubernetes-validations: ["self == 'a'", {rule: 5}]
                """)).extracting(FieldError::message).containsExactly(
                ROOT + ".properties[a].x-kubernetes-validations[0].rule: Required value: rule is not specified",
                ROOT + ".properties[a].x-kubernetes-validations[1].rule: Invalid value: \"5\": "
                        + "cel expression must evaluate to a bool",
                ROOT + ".x-kubernetes-validations: Invalid value: must be a list of validation rules");
    }

    @Test
    void emptyRulesAndMultiLineRulesWithoutMessageAreRequiredFields() {
        List<FieldError> errors = check("""
                type: object
                x-kubernetes-validations:
                - rule: "  "
                - rule: "true &&\\n true"
                """);
        assertThat(errors).extracting(FieldError::message).containsExactly(
                ROOT + ".x-kubernetes-validations[0].rule: Required value: rule is not specified",
                ROOT + ".x-kubernetes-validations[1].message: Required value: message must be specified if rule "
                        + "contains line breaks");
    }
}
