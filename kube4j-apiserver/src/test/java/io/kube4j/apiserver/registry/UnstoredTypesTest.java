package io.kube4j.apiserver.registry;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.admission.policy.RegistryParamSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The types the API server answers itself (reviews, bindings, metrics.k8s.io, componentstatuses) are served and listed
 * but get no storage registry: PodMetrics' storage prefix would be {@code /registry/pods/}, so a registry for it read
 * Pods.
 */
class UnstoredTypesTest {

    @TempDir
    Path dir;
    RegistryFixture fixture;

    @BeforeEach
    void start() {
        fixture = new RegistryFixture(dir);
        fixture.core("pods").create("ns", RegistryFixture.parse("{\"metadata\":{\"name\":\"web\"},\"spec\":"
                + "{\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"), false, "test");
    }

    @AfterEach
    void stop() {
        fixture.close();
    }

    @Test
    void theTypesAnsweredInProcessHaveNoRegistry() {
        ResourceRegistry builtin = ResourceRegistry.builtin();
        assertThat(builtin.all().stream().filter(t -> !t.stored()).map(ResourceType::qualifiedName))
                .containsExactlyInAnyOrder("bindings", "componentstatuses", "selfsubjectaccessreviews.authorization.k8s.io",
                        "subjectaccessreviews.authorization.k8s.io", "localsubjectaccessreviews.authorization.k8s.io",
                        "selfsubjectrulesreviews.authorization.k8s.io", "tokenreviews.authentication.k8s.io",
                        "selfsubjectreviews.authentication.k8s.io", "nodes.metrics.k8s.io", "pods.metrics.k8s.io");

        for (ResourceType type : builtin.all()) {
            assertThat(fixture.resources.find(type.group(), type.version(), type.plural())).as(type.qualifiedName())
                    .matches(found -> found.isPresent() == type.stored());
        }
        assertThat(fixture.resources.all()).allMatch(r -> r.type().stored());
    }

    @Test
    void aParamKindOfPodMetricsReadsNoPods() {
        RegistryParamSource params = new RegistryParamSource(fixture.resources);

        assertThat(params.resource("metrics.k8s.io/v1beta1", "PodMetrics")).isEmpty();
        assertThat(params.resource("metrics.k8s.io/v1beta1", "NodeMetrics")).isEmpty();
        assertThat(params.resource("v1", "ComponentStatus")).isEmpty();
        assertThat(params.resource("v1", "Pod")).hasValueSatisfying(pods ->
                assertThat(pods.get("ns", "web")).isPresent());
    }
}
