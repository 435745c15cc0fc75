package io.kube4j.apiserver.endpoints;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.resource.ResourceRegistry;
import io.kube4j.api.resource.ResourceType;
import io.kube4j.api.status.StatusException;
import io.kube4j.apiserver.http.ApiRequest;
import io.kube4j.apiserver.registry.GenericRegistry;
import io.kube4j.apiserver.registry.Resources;
import io.kube4j.store.embedded.EmbeddedStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * A create or update body is parsed once when it has no duplicate keys; a body with duplicates, or one that is not
 * a JSON object, must still be answered as before (duplicates noted for the Warning header or a Strict refusal,
 * upstream's wording for a body whose kind cannot be read).
 */
class WriteBodyTest {

    @TempDir
    static Path dir;
    static EmbeddedStore store;
    static Resources resources;
    /** The built-in ConfigMap schema's registry, which declares every field these bodies carry. */
    static GenericRegistry configMaps;

    @BeforeAll
    static void open() {
        store = EmbeddedStore.open(dir.resolve("store"));
        resources = new Resources(ResourceRegistry.builtin(), store, Clock.systemUTC(), 10);
        configMaps = resources.find("", "v1", "configmaps").orElseThrow();
    }

    @AfterAll
    static void close() {
        resources.close();
        store.close();
    }

    private static final ResourceType CONFIG_MAP = new ResourceType("", "v1", "ConfigMap", "configmaps",
            "configmap", true, List.of(), List.of(), List.of("create", "update"), List.of());

    private static ApiRequest request(String body, String fieldValidation) {
        Map<String, List<String>> query = fieldValidation == null ? Map.of()
                : Map.of("fieldValidation", List.of(fieldValidation));
        return new ApiRequest("POST", "/api/v1/namespaces/ns/configmaps", query,
                Map.of("content-type", "application/json"), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bodyWithoutDuplicatesIsTheParsedObjectAndWarnsOfNothing() {
        ApiRequest request = request("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"k\":\"v\",\"n\":\"1\"}}", null);
        FieldValidation validation = FieldValidation.of(request);
        ObjectNode body = ResourceHandler.writeBody(request, CONFIG_MAP, validation);
        assertThat(body.path("data").path("n").asString()).isEqualTo("1");
        assertThat(body.path("metadata").path("name").asString()).isEqualTo("a");
        assertThat(validation.headers()).isEmpty();
    }

    @Test
    void duplicateKeysAreStillNotedAndTheLastValueWins() {
        String json = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"},"
                + "\"data\":{\"k\":\"first\",\"k\":\"second\"}}";
        ApiRequest warn = request(json, null);
        FieldValidation validation = FieldValidation.of(warn);
        ObjectNode body = ResourceHandler.writeBody(warn, CONFIG_MAP, validation);
        assertThat(body.path("data").path("k").asString()).isEqualTo("second");
        validation.check(configMaps, body);
        assertThat(validation.headers()).containsEntry("Warning", "299 - \"duplicate field \\\"k\\\"\"");

        ApiRequest strict = request(json, "Strict");
        FieldValidation strictValidation = FieldValidation.of(strict);
        ObjectNode strictBody = ResourceHandler.writeBody(strict, CONFIG_MAP, strictValidation);
        assertThatThrownBy(() -> strictValidation.check(configMaps, strictBody))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("strict decoding error: duplicate field \"k\"");
    }

    @Test
    void whatGoRefusesIsRefusedOnTheFastPathToo() {
        // Jackson reads a leading byte-order mark; Go's decoder does not, and says so
        ApiRequest bom = request("\uFEFF{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"a\"}}",
                null);
        assertThatThrownBy(() -> ResourceHandler.writeBody(bom, CONFIG_MAP, FieldValidation.of(bom)))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("invalid character");
        for (String json : List.of("{\"metadata\":{\"name\":\"a\"}} x", "{\"metadata\":{}}{}", "{\"a\":01}",
                "{\"a\":1,}", "{'a':1}", "{\"a\":NaN}")) {
            ApiRequest request = request(json, null);
            assertThatThrownBy(() -> ResourceHandler.writeBody(request, CONFIG_MAP, FieldValidation.of(request)))
                    .as(json)
                    .isInstanceOf(StatusException.class);
        }
    }

    @Test
    void bodyThatIsNotAnObjectIsRefusedInUpstreamsWords() {
        ApiRequest request = request("[1,2]", null);
        assertThatThrownBy(() -> ResourceHandler.writeBody(request, CONFIG_MAP, FieldValidation.of(request)))
                .isInstanceOf(StatusException.class)
                .hasMessageContaining("the object provided is unrecognized (must be of type ConfigMap)")
                .hasMessageContaining("cannot unmarshal array");
    }
}
