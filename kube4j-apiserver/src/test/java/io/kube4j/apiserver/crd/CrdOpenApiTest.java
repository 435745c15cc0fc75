package io.kube4j.apiserver.crd;

import io.kube4j.api.openapi.CustomResourceDocuments;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI definitions and documents of custom resources, named and shaped as upstream's. */
class CrdOpenApiTest {

    private static final Crd CRD = Crd.of(json("""
            {"metadata":{"name":"widgets.example.com"},"spec":{"group":"example.com","scope":"Namespaced",
             "names":{"plural":"widgets","kind":"Widget"},
             "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{},
               "scale":{"specReplicasPath":".spec.replicas","statusReplicasPath":".status.replicas"}},
               "schema":{"openAPIV3Schema":{"type":"object","description":"A widget.","properties":{
                 "spec":{"type":"object","description":"What the widget should be.","properties":{
                   "replicas":{"type":"integer"},
                   "note":{"type":"string","nullable":true},
                   "port":{"anyOf":[{"type":"integer"},{"type":"string"}],"x-kubernetes-int-or-string":true}}}}}}}]}}
            """));

    private static CustomResourceDocuments.Kind kind() {
        CrdVersion v1 = CRD.versions().get(0);
        return CrdOpenApi.kind(CRD.resourceType(v1), v1);
    }

    @Test
    void definitionsAreNamedAfterTheReversedGroup() {
        assertThat(CrdOpenApi.definitionName("example.com", "v1", "Widget")).isEqualTo("com.example.v1.Widget");
        assertThat(kind().definition()).isEqualTo("com.example.v1.Widget");
        assertThat(kind().listDefinition()).isEqualTo("com.example.v1.WidgetList");
    }

    @Test
    void kindSchemaCarriesTypeMetaObjectMetaAndItsKind() {
        ObjectNode v3 = kind().v3Schemas().get("com.example.v1.Widget");
        assertThat(v3.path("description").asString()).isEqualTo("A widget.");
        assertThat(v3.path("properties").path("apiVersion").path("type").asString()).isEqualTo("string");
        assertThat(v3.path("properties").path("metadata").path("allOf").get(0).path("$ref").asString())
                .isEqualTo("#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        assertThat(v3.path("properties").path("spec").path("properties").path("note").path("nullable").asBoolean())
                .isTrue();
        assertThat(v3.path("x-kubernetes-group-version-kind").get(0).toString())
                .isEqualTo("{\"group\":\"example.com\",\"kind\":\"Widget\",\"version\":\"v1\"}");

        ObjectNode v2 = kind().v2Definitions().get("com.example.v1.Widget");
        assertThat(v2.path("properties").path("metadata").path("$ref").asString())
                .isEqualTo("#/definitions/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta");
        JsonNode spec = v2.path("properties").path("spec").path("properties");
        assertThat(spec.path("note").has("nullable")).as("v2 has no nullable").isFalse();
        assertThat(spec.path("port").has("anyOf")).as("v2 has no anyOf").isFalse();
        assertThat(spec.path("port").path("x-kubernetes-int-or-string").asBoolean()).isTrue();
    }

    @Test
    void listSchemaReferencesTheKind() {
        ObjectNode list = kind().v3Schemas().get("com.example.v1.WidgetList");
        assertThat(list.path("required").toString()).isEqualTo("[\"items\"]");
        assertThat(list.path("properties").path("items").path("items").path("$ref").asString())
                .isEqualTo("#/components/schemas/com.example.v1.Widget");
        assertThat(list.path("x-kubernetes-group-version-kind").get(0).path("kind").asString())
                .isEqualTo("WidgetList");
    }

    @Test
    void v3DocumentHasPathsWithFieldValidationAndTheReachedBuiltinSchemas() {
        ObjectNode doc = CustomResourceDocuments.v3(List.of(kind()));
        JsonNode patch = doc.path("paths").path("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}")
                .path("patch");
        assertThat(patch.path("x-kubernetes-group-version-kind").path("kind").asString()).isEqualTo("Widget");
        assertThat(patch.path("parameters").findValuesAsString("name")).contains("fieldValidation", "fieldManager");
        assertThat(patch.path("requestBody").path("content").propertyNames()).as("no strategic merge patch")
                .containsExactlyInAnyOrder("application/apply-patch+yaml", "application/json-patch+json",
                        "application/merge-patch+json");
        assertThat(doc.path("paths").has("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}/scale"))
                .isTrue();
        assertThat(doc.path("paths").has("/apis/example.com/v1/widgets")).as("list across namespaces").isTrue();
        JsonNode schemas = doc.path("components").path("schemas");
        assertThat(schemas.has("com.example.v1.Widget")).isTrue();
        assertThat(schemas.has("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")).isTrue();
        assertThat(schemas.has("io.k8s.api.autoscaling.v1.Scale")).isTrue();
        assertThat(schemas.has("io.k8s.api.core.v1.Pod")).as("only what the paths reach").isFalse();
    }

    @Test
    void v2DocumentAddsCustomPathsAndDefinitionsToTheBuiltinOnes() {
        ObjectNode doc = CustomResourceDocuments.v2(List.of(kind()));
        assertThat(doc.path("definitions").has("com.example.v1.Widget")).isTrue();
        assertThat(doc.path("definitions").has("io.k8s.api.core.v1.Pod")).isTrue();
        assertThat(doc.path("paths").has("/apis/example.com/v1/namespaces/{namespace}/widgets")).isTrue();
        assertThat(doc.path("paths").has("/api/v1/namespaces/{namespace}/pods")).isTrue();
        assertThat(doc.path("paths").path("/apis/example.com/v1/namespaces/{namespace}/widgets/{name}").path("patch")
                .path("consumes").toString()).doesNotContain("strategic");
        assertThat(doc.path("paths").path("/api/v1/namespaces/{namespace}/pods/{name}").path("patch")
                .path("consumes").toString()).contains("strategic");
    }

    private static JsonNode json(String text) {
        return Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }
}
