package io.kube4j.api.openapi;

import io.fabric8.kubernetes.api.model.Pod;
import io.kube4j.api.patch.BuiltinPatchSchema;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The documents carry upstream's descriptions, built into the jar from upstream's published API documentation
 * (see {@code DescriptionsBuild}); these tests need that build step to have run with the package fetched.
 */
class UpstreamDescriptionsTest {

    private static final String CORE = "io.k8s.api.core.v1.";
    private static final String META = "io.k8s.apimachinery.pkg.apis.meta.v1.";

    @Test
    void theBuildPutUpstreamsDescriptionsOnTheClassPath() {
        UpstreamDescriptions descriptions = UpstreamDescriptions.load();

        assertThat(descriptions.definitionCount()).as("definitions described").isGreaterThan(300);
        assertThat(descriptions.field(CORE + "PodSpec", "restartPolicy"))
                .startsWith("Restart policy for all containers within the pod. One of Always, OnFailure, Never.");
    }

    @Test
    void podSchemaHasUpstreamsDescriptions() {
        JsonNode definitions = OpenApi.v2().get("definitions");

        assertThat(definitions.at("/" + CORE + "PodSpec/properties/restartPolicy/description").asString())
                .startsWith("Restart policy for all containers within the pod. One of Always, OnFailure, Never."
                        + " In some contexts, only a subset of those values may be permitted. Default to Always.");
        assertThat(definitions.at("/" + CORE + "PodSpec/properties/restartPolicy/type").asString())
                .isEqualTo("string");
        assertThat(definitions.at("/" + CORE + "Pod/description").asString())
                .startsWith("Pod is a collection of containers that can run on a host.");
        // upstream's v2 form: the description beside the reference
        assertThat(definitions.at("/" + CORE + "Pod/properties/metadata/$ref").asString())
                .endsWith(META + "ObjectMeta");
        assertThat(definitions.at("/" + CORE + "Pod/properties/metadata/description").asString())
                .startsWith("Standard object's metadata.");
        assertThat(definitions.at("/io.k8s.api.apps.v1.DeploymentSpec/properties/replicas/description").asString())
                .startsWith("Number of desired pods.");
        assertThat(definitions.at("/io.k8s.apimachinery.pkg.api.resource.Quantity/description").asString())
                .startsWith("Quantity is a fixed-point representation of a number.");
    }

    @Test
    void v3WrapsDescribedReferencesInAllOf() {
        JsonNode schemas = OpenApi.v3("", "v1").get("components").get("schemas");

        JsonNode metadata = schemas.at("/" + CORE + "Pod/properties/metadata");
        assertThat(metadata.at("/allOf/0/$ref").asString()).isEqualTo("#/components/schemas/" + META + "ObjectMeta");
        assertThat(metadata.has("$ref")).isFalse();
        assertThat(metadata.get("description").asString()).startsWith("Standard object's metadata.");
        assertThat(schemas.at("/" + CORE + "PodSpec/properties/restartPolicy/description").asString())
                .startsWith("Restart policy for all containers within the pod.");
    }

    @Test
    void upstreamsKindDescriptionWinsOverTheShortFallback() {
        JsonNode definitions = OpenApi.v2().get("definitions");

        assertThat(definitions.at("/io.k8s.api.apps.v1.Deployment/description").asString())
                .isEqualTo("Deployment enables declarative updates for Pods and ReplicaSets.")
                .isNotEqualTo(KindDescriptions.of("Deployment"));
    }

    @Test
    void withoutTheResourceOnlyTheKindsKeepTheirShortDescriptions() {
        SchemaGenerator generator = new SchemaGenerator(new PatchExtensions(BuiltinPatchSchema.instance()),
                UpstreamDescriptions.none());
        String pod = generator.define(Pod.class);
        generator.addKind(pod, "", "v1", "Pod");
        Map<String, tools.jackson.databind.node.ObjectNode> definitions = generator.definitions();

        assertThat(definitions.get(CORE + "PodSpec").at("/properties/restartPolicy").has("description")).isFalse();
        assertThat(definitions.get(CORE + "PodSpec").has("description")).isFalse();
        assertThat(definitions.get(CORE + "Pod").get("description").asString()).isEqualTo(KindDescriptions.of("Pod"));
    }

    @Test
    void descriptionsAreLookedUpByDefinitionAndField() {
        UpstreamDescriptions descriptions = new UpstreamDescriptions(
                Map.of("io.k8s.api.core.v1.Widget", Map.of("", "Widget is a test.", "size", "How big.")));

        assertThat(descriptions.definition("io.k8s.api.core.v1.Widget")).isEqualTo("Widget is a test.");
        assertThat(descriptions.field("io.k8s.api.core.v1.Widget", "size")).isEqualTo("How big.");
        assertThat(descriptions.field("io.k8s.api.core.v1.Widget", "color")).isNull();
        assertThat(descriptions.definition("io.k8s.api.core.v1.Gadget")).isNull();
    }
}
