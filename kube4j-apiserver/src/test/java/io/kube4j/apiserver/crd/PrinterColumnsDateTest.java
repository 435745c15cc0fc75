package io.kube4j.apiserver.crd;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Printer columns of type date print as an age, as upstream's CR table convertor (cellForJSONValue) does. */
class PrinterColumnsDateTest {

    private static ObjectNode json(String text) {
        return (ObjectNode) Json.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dateColumnsAreAges() {
        PrinterColumns columns = new PrinterColumns(Json.parse("""
                [{"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"},
                 {"name":"Started","type":"date","jsonPath":".status.started"},
                 {"name":"Size","type":"integer","jsonPath":".spec.size"}]""".getBytes(StandardCharsets.UTF_8)));
        ObjectNode obj = json("""
                {"metadata":{"name":"w","creationTimestamp":"2024-01-01T00:00:00Z"},
                 "spec":{"size":3},"status":{"started":"yesterday"}}""");
        assertThat(columns.cells(obj, Instant.parse("2024-01-01T00:05:30Z")))
                .containsExactly("w", "5m30s", "<invalid>", 3L);
    }

    @Test
    void withoutColumnsAgeIsAnAgeToo() {
        PrinterColumns columns = new PrinterColumns(null);
        ObjectNode obj = json("{\"metadata\":{\"name\":\"w\",\"creationTimestamp\":\"2024-01-01T00:00:00Z\"}}");
        assertThat(columns.cells(obj, Instant.parse("2024-01-03T00:00:00Z"))).containsExactly("w", "2d");
    }
}
