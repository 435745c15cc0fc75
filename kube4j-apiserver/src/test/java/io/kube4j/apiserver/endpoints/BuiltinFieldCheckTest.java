package io.kube4j.apiserver.endpoints;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One walk finds a built-in object's first value of the wrong type and all its unknown fields; finding changes
 * nothing, pruning removes exactly the fields found.
 */
class BuiltinFieldCheckTest {

    private static ObjectNode parse(String json) {
        return (ObjectNode) Json.parse(json.getBytes());
    }

    @Test
    void oneWalkFindsTheMismatchAndEveryUnknownFieldAndChangesNothingUntilPruned() {
        String json = """
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d","bogus":1},
                 "spec":{"replicas":"abc","extra":{"a":1},
                   "template":{"spec":{"containers":[{"name":"c","image":"i","wrong":true,"env":[{"name":"A","nope":"x"}]}]}}}}""";
        ObjectNode obj = parse(json);
        BuiltinFieldCheck check = BuiltinFieldCheck.of("apps", "v1", "Deployment", obj);

        assertThat(check.mismatch().goMessage())
                .isEqualTo("json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32");
        assertThat(check.mismatch().path()).isEqualTo("spec.replicas");
        assertThat(obj).isEqualTo(parse(json)); // a Strict patch refusal quotes the object as it was

        // the unknown fields after the mismatch are found too: an apply configuration's refusal lists them all
        assertThat(check.prune()).containsExactly("metadata.bogus", "spec.extra",
                "spec.template.spec.containers[0].wrong", "spec.template.spec.containers[0].env[0].nope");
        assertThat(obj).isEqualTo(parse("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
                 "spec":{"replicas":"abc","template":{"spec":{"containers":[{"name":"c","image":"i","env":[{"name":"A"}]}]}}}}"""));
    }

    @Test
    void anUnknownFieldIsRemovedByItsNameNotByItsPath() {
        ObjectNode obj = parse("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a.b":"1"},"x.data":2,"data.y":3}""");
        BuiltinFieldCheck check = BuiltinFieldCheck.of("", "v1", "ConfigMap", obj);
        assertThat(check.mismatch()).isNull();
        assertThat(check.prune()).containsExactly("x.data", "data.y");
        assertThat(obj).isEqualTo(parse("""
                {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c"},"data":{"a.b":"1"}}"""));
    }

    @Test
    void mapsPreservedFieldsAndRawValuesHoldAnything() {
        // labels are a map; a CRD's default is JSON kept as it is; an admission review's object a RawExtension
        ObjectNode crd = parse("""
                {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"ws.e.com",
                 "labels":{"any.key/x":"v"}},"spec":{"group":"e.com","names":{"plural":"ws","kind":"W"},"scope":"Namespaced",
                 "versions":[{"name":"v1","served":true,"storage":true,"schema":{"openAPIV3Schema":{"type":"object",
                 "default":{"whatever":{"deep":[1,{"x":true}]}}}}}]}}""");
        BuiltinFieldCheck check = BuiltinFieldCheck.of("apiextensions.k8s.io", "v1", "CustomResourceDefinition", crd);
        assertThat(check.mismatch()).isNull();
        assertThat(check.prune()).isEmpty();
    }

    @Test
    void aCustomResourcesMetadataAloneIsLookedAt() {
        ObjectNode widget = parse("""
                {"apiVersion":"e.com/v1","kind":"W","metadata":{"name":"w","labels":{"a":"b"},"nope":{"x":1}},
                 "spec":{"anything":1},"bogus":true}""");
        BuiltinFieldCheck check = BuiltinFieldCheck.ofMetadata(widget);
        assertThat(check.mismatch()).isNull();
        assertThat(check.prune()).containsExactly("metadata.nope");
        assertThat(widget.has("bogus")).isTrue();
        assertThat(widget.path("metadata").has("nope")).isFalse();
    }

    @Test
    void kindsWithoutABuiltinSchemaHaveNeither() {
        ObjectNode widget = parse("{\"spec\":{\"x\":\"1\"},\"bogus\":1}");
        BuiltinFieldCheck check = BuiltinFieldCheck.of("e.com", "v1", "W", widget);
        assertThat(check.mismatch()).isNull();
        assertThat(check.prune()).isEmpty();
        assertThat(widget.has("bogus")).isTrue();
    }
}
