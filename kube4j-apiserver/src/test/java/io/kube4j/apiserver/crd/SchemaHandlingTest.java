package io.kube4j.apiserver.crd;

import io.kube4j.api.validation.FieldError;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaHandlingTest {

    private static final JsonNode SCHEMA = json("""
            {"type":"object","properties":{
              "spec":{"type":"object","required":["image"],"properties":{
                "image":{"type":"string","minLength":1,"pattern":"^[a-z]+$"},
                "replicas":{"type":"integer","minimum":1,"maximum":10,"default":1},
                "mode":{"type":"string","enum":["fast","slow"],"default":"fast"},
                "port":{"x-kubernetes-int-or-string":true},
                "tags":{"type":"array","maxItems":2,"items":{"type":"string"}},
                "extra":{"type":"object","x-kubernetes-preserve-unknown-fields":true},
                "labels":{"type":"object","additionalProperties":{"type":"string"}},
                "template":{"type":"object","x-kubernetes-embedded-resource":true,
                   "properties":{"spec":{"type":"object"}}}}},
              "status":{"type":"object","properties":{"ready":{"type":"integer"}}}}}
            """);

    @Test
    void wrongTypeIsReportedAsUpstream() {
        List<FieldError> errors = SchemaValidation.validate(SCHEMA, json(
                "{\"spec\":{\"image\":\"nginx\",\"replicas\":\"string\"}}"));
        assertThat(errors).extracting(FieldError::message).containsExactly(
                "spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    }

    @Test
    void boundsEnumPatternLengthItemsAndRequired() {
        List<String> messages = SchemaValidation.validate(SCHEMA, json("""
                {"spec":{"replicas":11,"mode":"medium","port":1.5,"tags":["a","b","c"]}}""")).stream()
                .map(FieldError::message).toList();
        assertThat(messages).contains("spec.image: Required value",
                "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
                "spec.mode: Unsupported value: \"medium\": supported values: \"fast\", \"slow\"",
                "spec.tags: Too many: 3: must have at most 2 items");
        assertThat(messages).anyMatch(m -> m.startsWith("spec.port: Invalid value"));
        assertThat(SchemaValidation.validate(SCHEMA, json("{\"spec\":{\"image\":\"NGINX\",\"port\":\"http\"}}"))
                .stream().map(FieldError::message).toList())
                .containsExactly("spec.image: Invalid value: \"NGINX\": spec.image in body should match '^[a-z]+$'");
    }

    @Test
    void defaultsFillMissingFieldsOnly() {
        ObjectNode obj = (ObjectNode) json("{\"spec\":{\"image\":\"x\",\"replicas\":3}}");
        SchemaDefaults.apply(SCHEMA, obj);
        assertThat(obj.path("spec").path("replicas").asInt()).isEqualTo(3);
        assertThat(obj.path("spec").path("mode").asString()).isEqualTo("fast");
    }

    @Test
    void pruningDropsUnknownFieldsButKeepsPreservedAndTypeMeta() {
        ObjectNode obj = (ObjectNode) json("""
                {"apiVersion":"x.io/v1","kind":"X","metadata":{"name":"a"},"junk":1,
                 "spec":{"image":"x","unknown":true,"extra":{"anything":{"goes":1}},"labels":{"a":"b"},
                   "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{},"bogus":2}},
                 "status":{"ready":1,"other":2}}""");
        SchemaPruning.pruneRoot(SCHEMA, obj);
        assertThat(obj.has("junk")).isFalse();
        assertThat(obj.path("spec").has("unknown")).isFalse();
        assertThat(obj.path("spec").path("extra").path("anything").path("goes").asInt()).isEqualTo(1);
        assertThat(obj.path("spec").path("labels").path("a").asString()).isEqualTo("b");
        assertThat(obj.path("spec").path("template").path("kind").asString()).isEqualTo("Pod");
        assertThat(obj.path("spec").path("template").has("bogus")).isFalse();
        assertThat(obj.path("status").has("other")).isFalse();
        assertThat(obj.path("metadata").path("name").asString()).isEqualTo("a");
    }

    @Test
    void structuralSchemaNeedsTypesAndKnownKeywords() {
        List<FieldError> errors = new ArrayList<>();
        StructuralSchemaCheck.check(json("""
                {"type":"object","properties":{"spec":{"properties":{"a":{"type":"string","bogus":1}}}}}"""),
                "spec.versions[0].schema.openAPIV3Schema", errors);
        assertThat(errors).extracting(FieldError::message).contains(
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].type: Required value: must not be empty "
                        + "for specified object fields",
                "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[a].bogus: Forbidden: unknown "
                        + "field \"bogus\"");
        errors.clear();
        StructuralSchemaCheck.check(SCHEMA, "s", errors);
        assertThat(errors).isEmpty();
    }

    @Test
    void crdNeedsExactlyOneStorageVersion() {
        ObjectNode crd = (ObjectNode) json("""
                {"metadata":{"name":"widgets.x.io"},"spec":{"group":"x.io","scope":"Namespaced",
                 "names":{"plural":"widgets","kind":"Widget","listKind":"WidgetList"},
                 "versions":[{"name":"v1","served":true,"storage":false,"schema":{"openAPIV3Schema":{"type":"object"}}}]}}
                """);
        assertThat(CrdStrategy.validate(crd)).extracting(FieldError::message)
                .containsExactly("spec.versions: Invalid value: must have exactly one version marked as storage version");
    }

    @Test
    void simpleJsonPaths() {
        JsonNode obj = json("{\"spec\":{\"a\":[{\"b\":2}]},\"metadata\":{\"labels\":{\"x.io/k\":\"v\"}}}");
        assertThat(SimpleJsonPath.get(obj, ".spec.a[0].b").asInt()).isEqualTo(2);
        assertThat(SimpleJsonPath.get(obj, ".metadata.labels['x.io/k']").asString()).isEqualTo("v");
        assertThat(SimpleJsonPath.isValid("spec.a")).isFalse();
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
