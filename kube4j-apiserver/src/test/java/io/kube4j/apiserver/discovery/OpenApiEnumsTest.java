package io.kube4j.apiserver.discovery;

import io.kube4j.api.openapi.OpenApi;
import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The enum values of built-in fields in the served OpenAPI documents, as upstream's. */
class OpenApiEnumsTest {

    private static final OpenApiDocuments DOCUMENTS = new OpenApiDocuments(ResourceRegistry.builtin());

    private static JsonNode v3(String path) {
        String url = DOCUMENTS.index().path("paths").path(path).path("serverRelativeURL").asString();
        assertThat(url).startsWith("/openapi/v3/" + path + "?hash=");
        return Json.parse(DOCUMENTS.groupVersion(path));
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(v -> values.add(v.asString()));
        return values;
    }

    @Test
    void podSpecRestartPolicyHasUpstreamsEnumInV3AndV2() {
        String upstreamParagraph = "Possible enum values:\n - `\"Always\"`\n - `\"Never\"`\n - `\"OnFailure\"`";
        JsonNode v3 = v3("api/v1").path("components").path("schemas").path("io.k8s.api.core.v1.PodSpec")
                .path("properties").path("restartPolicy");
        assertThat(v3.path("type").asString()).isEqualTo("string");
        assertThat(strings(v3.path("enum"))).containsExactly("Always", "Never", "OnFailure");
        assertThat(v3.path("description").asString()).endsWith(upstreamParagraph);

        JsonNode v2 = Json.parse(DOCUMENTS.v2()).path("definitions").path("io.k8s.api.core.v1.PodSpec")
                .path("properties").path("restartPolicy");
        assertThat(strings(v2.path("enum"))).containsExactly("Always", "Never", "OnFailure");
        assertThat(v2.path("description").asString()).endsWith(upstreamParagraph);

        JsonNode accessModes = v3("api/v1").path("components").path("schemas")
                .path("io.k8s.api.core.v1.PersistentVolumeClaimSpec").path("properties").path("accessModes");
        assertThat(strings(accessModes.path("items").path("enum")))
                .containsExactly("ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod");
        assertThat(v3("apis/apps/v1").path("components").path("schemas")
                .path("io.k8s.api.apps.v1.DeploymentStrategy").path("properties").path("type").path("enum"))
                .hasSize(2);
        assertThat(v3("api/v1").path("components").path("schemas").path("io.k8s.api.core.v1.PodSpec")
                .path("properties").path("nodeName").has("enum")).isFalse();
    }

    @Test
    void everyFieldOfTheTableIsInTheServedDocuments() {
        ObjectNode v2 = (ObjectNode) Json.parse(DOCUMENTS.v2()).path("definitions");
        ObjectNode v3 = Json.object();
        DOCUMENTS.index().path("paths").propertyNames().forEach(path -> {
            JsonNode schemas = v3(path).path("components").path("schemas");
            schemas.propertyNames().forEach(name -> v3.set(name, schemas.get(name)));
        });
        List<OpenApiEnums.Field> fields = OpenApiEnums.builtin().fields();
        assertThat(fields).hasSizeGreaterThan(60);
        List<String> missing = new ArrayList<>();
        for (OpenApiEnums.Field field : fields) {
            for (JsonNode definitions : List.of(v2, v3)) {
                JsonNode property = definitions.path(field.definition()).path("properties").path(field.property());
                JsonNode schema = field.items() ? property.path("items") : property;
                if (!strings(schema.path("enum")).equals(field.values())) {
                    missing.add((definitions == v2 ? "v2 " : "v3 ") + field.definition() + " " + field.property());
                }
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void builtinDocumentsGetHashesOfTheirOwn() {
        Map.Entry<String, JsonNode> builtin = OpenApi.v3Index().path("paths").properties().iterator().next();
        String served = DOCUMENTS.index().path("paths").path(builtin.getKey()).path("serverRelativeURL").asString();
        String generated = builtin.getValue().path("serverRelativeURL").asString();
        // clients cache documents by hash: one without the enums must not be taken for one with them
        assertThat(served).isNotEqualTo(generated).startsWith(generated.substring(0, generated.indexOf("hash=")));
        assertThat(DOCUMENTS.index().path("paths").path(builtin.getKey()).path("serverRelativeURL").asString())
                .isEqualTo(served);
    }

    @Test
    void tableTextIsParsedStrictly() {
        OpenApiEnums enums = OpenApiEnums.parse("""
                # comment
                io.k8s.api.core.v1.HostPathVolumeSource type Socket "" File
                io.k8s.api.core.v1.PersistentVolumeSpec accessModes[] ReadWriteOnce
                """);
        assertThat(enums.fields()).containsExactlyInAnyOrder(
                new OpenApiEnums.Field("io.k8s.api.core.v1.HostPathVolumeSource", "type", false,
                        List.of("", "File", "Socket")),
                new OpenApiEnums.Field("io.k8s.api.core.v1.PersistentVolumeSpec", "accessModes", true,
                        List.of("ReadWriteOnce")));
        assertThatThrownBy(() -> OpenApiEnums.parse("io.k8s.api.core.v1.PodSpec restartPolicy"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("line 1");
        assertThat(OpenApiEnums.describe("", List.of("A"))).isEqualTo("Possible enum values:\n - `\"A\"`");
    }
}
