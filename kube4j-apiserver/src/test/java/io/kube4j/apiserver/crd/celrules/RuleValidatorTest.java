package io.kube4j.apiserver.crd.celrules;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rules run over custom resources: self typed from the schema, transition rules, messages, paths, reasons, cost. */
class RuleValidatorTest {

    private static final JsonNode SCHEMA = Json.YAML.readTree("""
            type: object
            x-kubernetes-validations:
            - rule: "self.metadata.name.startsWith('w')"
              message: "name must start with w"
            properties:
              spec:
                type: object
                x-kubernetes-validations:
                - rule: "self.replicas <= self.maxReplicas"
                  messageExpression: "'replicas ' + string(self.replicas) + ' above ' + string(self.maxReplicas)"
                - rule: "!has(self.ratio) || self.ratio > 0.5"
                  fieldPath: ".ratio"
                  reason: FieldValueForbidden
                - rule: "!has(self.ports) || self.ports.isSorted()"
                  message: "ports must be sorted"
                  fieldPath: ".ports"
                - rule: "!has(self.size) || quantity(self.size).isLessThan(quantity('1Gi'))"
                - rule: "!has(self.anything) || self.anything > 5"
                properties:
                  mode:
                    type: string
                    x-kubernetes-validations:
                    - rule: "self == oldSelf"
                      message: "mode is immutable"
                  first:
                    type: string
                    x-kubernetes-validations:
                    - rule: "oldSelf.hasValue() || self != 'forbidden'"
                      optionalOldSelf: true
                  replicas: {type: integer}
                  maxReplicas: {type: integer}
                  ratio: {type: number}
                  ports: {type: array, items: {type: integer}}
                  size: {type: string}
                  anything: {x-kubernetes-int-or-string: true}
                  labels:
                    type: object
                    additionalProperties:
                      type: string
                      x-kubernetes-validations:
                      - rule: "self.size() <= 3"
                  items:
                    type: array
                    x-kubernetes-list-type: map
                    x-kubernetes-list-map-keys: [name]
                    items:
                      type: object
                      x-kubernetes-validations:
                      - rule: "self.value >= oldSelf.value"
                        message: "value may only grow"
                      properties:
                        name: {type: string}
                        value: {type: integer}
            """);

    private static final SchemaRules RULES = SchemaRules.compile(SCHEMA);
    private final RuleValidator validator = new RuleValidator();

    private static JsonNode widget(String spec) {
        return Json.YAML.readTree("""
                apiVersion: example.kube4j.io/v1
                kind: Widget
                metadata: {name: w1}
                spec: %s
                """.formatted(spec));
    }

    private List<String> create(String spec) {
        return validator.validate(RULES, widget(spec), null).stream().map(FieldError::message).toList();
    }

    private List<String> update(String spec, String oldSpec) {
        return validator.validate(RULES, widget(spec), widget(oldSpec)).stream().map(FieldError::message).toList();
    }

    @Test
    void aValidObjectPasses() {
        assertThat(create("{replicas: 2, maxReplicas: 3, ratio: 1, ports: [1, 2], size: 10Mi, anything: 7, "
                + "labels: {a: abc}, items: [{name: x, value: 1}]}")).isEmpty();
    }

    @Test
    void aFalseRuleIsReportedAtItsNodeWithTheMessageOrTheMessageExpression() {
        assertThat(create("{replicas: 4, maxReplicas: 3, ports: [2, 1], labels: {a: abcd}}")).containsExactly(
                "spec: Invalid value: \"object\": replicas 4 above 3",
                "spec.ports: Invalid value: \"object\": ports must be sorted",
                "spec.labels[a]: Invalid value: \"string\": failed rule: self.size() <= 3");
    }

    @Test
    void fieldPathAndReasonShapeTheCause() {
        // an integer written for a number field is a double to CEL
        assertThat(create("{replicas: 1, maxReplicas: 1, ratio: 0}")).containsExactly(
                "spec.ratio: Forbidden: failed rule: !has(self.ratio) || self.ratio > 0.5");
    }

    @Test
    void rootRulesSeeTheNameAndReportAtTheNilPath() {
        JsonNode object = Json.YAML.readTree("""
                metadata: {name: gadget}
                spec: {replicas: 1, maxReplicas: 1}
                """);
        assertThat(validator.validate(RULES, object, null)).extracting(FieldError::message)
                .containsExactly("<nil>: Invalid value: \"object\": name must start with w");
    }

    @Test
    void librariesRunQuantityComparesAndIntOrStringIsCheckedAtRunTime() {
        assertThat(create("{replicas: 1, maxReplicas: 1, size: 2Gi}")).containsExactly(
                "spec: Invalid value: \"object\": failed rule: !has(self.size) || "
                        + "quantity(self.size).isLessThan(quantity('1Gi'))");
        assertThat(create("{replicas: 1, maxReplicas: 1, anything: '9'}")).containsExactly(
                "spec: Invalid value: \"object\": 'no such overload': call arguments did not match a supported "
                        + "operator, function or macro signature for rule: !has(self.anything) || self.anything > 5");
    }

    @Test
    void aTransitionRuleRunsOnlyOnUpdate() {
        assertThat(create("{replicas: 1, maxReplicas: 1, mode: fast}")).isEmpty();
        assertThat(update("{replicas: 1, maxReplicas: 1, mode: fast}", "{replicas: 1, maxReplicas: 1, mode: fast}"))
                .isEmpty();
        assertThat(update("{replicas: 1, maxReplicas: 1, mode: slow}", "{replicas: 1, maxReplicas: 1, mode: fast}"))
                .containsExactly("spec.mode: Invalid value: \"string\": mode is immutable");
        // no old value to compare with: not a transition
        assertThat(update("{replicas: 1, maxReplicas: 1, mode: slow}", "{replicas: 1, maxReplicas: 1}")).isEmpty();
    }

    @Test
    void optionalOldSelfRunsOnCreateWithAnEmptyOldSelf() {
        assertThat(create("{replicas: 1, maxReplicas: 1, first: forbidden}")).containsExactly(
                "spec.first: Invalid value: \"string\": failed rule: oldSelf.hasValue() || self != 'forbidden'");
        assertThat(update("{replicas: 1, maxReplicas: 1, first: forbidden}",
                "{replicas: 1, maxReplicas: 1, first: x}")).isEmpty();
    }

    @Test
    void listMapItemsAreCorrelatedByTheirKeys() {
        String old = "{replicas: 1, maxReplicas: 1, items: [{name: a, value: 5}, {name: b, value: 5}]}";
        // reordered and one new item: no item shrank
        assertThat(update("{replicas: 1, maxReplicas: 1, items: [{name: c, value: 0}, {name: b, value: 6}, "
                + "{name: a, value: 5}]}", old)).isEmpty();
        assertThat(update("{replicas: 1, maxReplicas: 1, items: [{name: b, value: 6}, {name: a, value: 4}]}", old))
                .containsExactly("spec.items[1]: Invalid value: \"object\": value may only grow");
    }

    @Test
    void anUnchangedValueDoesNotFailAgainOnUpdate() {
        String invalid = "{replicas: 4, maxReplicas: 3}";
        assertThat(update(invalid, invalid)).isEmpty();
        assertThat(update("{replicas: 5, maxReplicas: 3}", invalid))
                .containsExactly("spec: Invalid value: \"object\": replicas 5 above 3");
    }

    @Test
    void stringsOfByteDurationAndDateTimeFormatAreTypedAsCelValues() {
        JsonNode schema = Json.YAML.readTree("""
                type: object
                x-kubernetes-validations:
                - rule: "self.expires > timestamp('2020-01-01T00:00:00Z') && self.day < self.expires"
                - rule: "self.timeout <= duration('1h') && self.data.size() == 3"
                properties:
                  expires: {type: string, format: date-time}
                  day: {type: string, format: date}
                  timeout: {type: string, format: duration}
                  data: {type: string, format: byte}
                """);
        SchemaRules rules = SchemaRules.compile(schema);
        assertThat(validator.validate(rules, Json.YAML.readTree(
                "{expires: '2024-05-01T10:00:00+02:00', day: '2024-05-01', timeout: 1m30s, data: YWJj}"), null))
                .isEmpty();
        assertThat(validator.validate(rules, Json.YAML.readTree(
                "{expires: '2024-05-01T10:00:00Z', day: '2024-05-02', timeout: 2h, data: YWJj}"), null))
                .extracting(FieldError::detail).containsExactly(
                        "failed rule: self.expires > timestamp('2020-01-01T00:00:00Z') && self.day < self.expires",
                        "failed rule: self.timeout <= duration('1h') && self.data.size() == 3");
    }

    @Test
    void anEvaluationOverThePerCallLimitStopsTheRules() {
        JsonNode schema = Json.YAML.readTree("""
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.xs.all(a, self.xs.all(b, self.xs.all(c, a + b + c >= 0)))"
                    - rule: "false"
                    properties:
                      xs: {type: array, items: {type: integer}}
                """);
        JsonNode object = Json.YAML.readTree("spec: {xs: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]}");
        assertThat(new RuleValidator(10_000, 100_000).validate(SchemaRules.compile(schema), object, null))
                .extracting(FieldError::message).containsExactly("spec: Invalid value: \"object\": 'operation "
                        + "cancelled: actual cost limit exceeded': no further validation rules will be run due to call "
                        + "cost exceeds limit for rule: self.xs.all(a, self.xs.all(b, self.xs.all(c, a + b + c >= 0)))");
        // the same rule within its limit passes; the next one runs
        assertThat(new RuleValidator(1_000_000, 10_000_000).validate(SchemaRules.compile(schema), object, null))
                .extracting(FieldError::message).containsExactly("spec: Invalid value: \"object\": failed rule: false");
    }

    @Test
    void theObjectsBudgetIsSharedByAllItsRules() {
        JsonNode schema = Json.YAML.readTree("""
                type: object
                properties:
                  items:
                    type: array
                    items:
                      type: string
                      x-kubernetes-validations:
                      - rule: "self.size() < 100"
                """);
        JsonNode object = Json.YAML.readTree("items: [a, b, c, d, e, f, g, h, i, j]");
        assertThat(new RuleValidator(1_000, 20).validate(SchemaRules.compile(schema), object, null))
                .extracting(FieldError::message).singleElement().asString()
                .endsWith(": Invalid value: \"string\": validation failed due to running out of cost budget, no "
                        + "further validation rules will be run");
    }
}
