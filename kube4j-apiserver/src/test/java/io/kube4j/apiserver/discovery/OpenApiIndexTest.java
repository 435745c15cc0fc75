package io.kube4j.apiserver.discovery;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code /openapi/v3} index is made once per set of served group-versions: asked for again it is the same bytes
 * and tag without being serialised and hashed again, and a group-version that comes or goes (a CRD) makes a new one.
 */
class OpenApiIndexTest {

    private static final ResourceType WIDGETS = new ResourceType("widgets.example.com", "v1", "Widget", "widgets",
            "widget", true, List.of(), List.of(), ResourceType.ALL_VERBS, List.of());

    @Test
    void theIndexIsKeptUntilTheServedGroupVersionsChange() {
        ResourceRegistry registry = ResourceRegistry.builtin();
        OpenApiDocuments documents = new OpenApiDocuments(registry);

        OpenApiDocuments.Document first = documents.indexDocument();
        OpenApiDocuments.Document again = documents.indexDocument();
        assertThat(again).as("the cached index, not a new serialisation").isSameAs(first);
        assertThat(first.etag()).isEqualTo(OpenApiDocuments.sha512(first.bytes()));

        registry.add(WIDGETS);
        OpenApiDocuments.Document withWidgets = documents.indexDocument();
        assertThat(withWidgets.etag()).isNotEqualTo(first.etag());
        assertThat(withWidgets.etag()).isEqualTo(OpenApiDocuments.sha512(withWidgets.bytes()));
        JsonNode paths = Json.parse(withWidgets.bytes()).path("paths");
        String document = documents.groupVersionDocument("apis/widgets.example.com/v1").etag();
        assertThat(paths.path("apis/widgets.example.com/v1").path("serverRelativeURL").asString())
                .isEqualTo("/openapi/v3/apis/widgets.example.com/v1?hash=" + document);
        assertThat(documents.indexDocument()).isSameAs(withWidgets);

        registry.remove("widgets.example.com", "v1", "widgets");
        OpenApiDocuments.Document without = documents.indexDocument();
        assertThat(without.etag()).isEqualTo(first.etag());
        assertThat(Json.parse(without.bytes()).path("paths").has("apis/widgets.example.com/v1")).isFalse();
    }
}
