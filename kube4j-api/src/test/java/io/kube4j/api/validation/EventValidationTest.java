package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class EventValidationTest {

    private static final String V1_EVENT = """
            {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e","namespace":"default"},
             "eventTime":"2024-05-01T10:00:00.000000Z","reportingController":"example.com/c","reportingInstance":"i",
             "action":"A","reason":"R","type":"Normal","note":"n","regarding":{"kind":"Pod","name":"p"}}""";

    private static List<String> fields(List<FieldError> errors) {
        return errors.stream().map(FieldError::field).toList();
    }

    @Test
    void eventsApiCreatesMayNotSetTheDeprecatedFieldsAndNeedAValidSeries() {
        ObjectNode event = json(V1_EVENT);
        List<FieldError> errs = new ArrayList<>();
        EventValidation.eventsV1(event, errs);
        assertThat(errs).isEmpty();

        event.put("deprecatedCount", 3);
        event.putObject("deprecatedSource").put("component", "kubelet");
        event.putObject("series").put("count", 1);
        EventValidation.eventsV1(event, errs);
        assertThat(fields(errs)).containsExactlyInAnyOrder("deprecatedCount", "deprecatedSource", "series.count",
                "series.lastObservedTime");
    }

    @Test
    void eventsApiUpdatesMayChangeOnlyTheSeries() {
        ObjectNode old = json(V1_EVENT);
        old.put("deprecatedCount", 3);
        ObjectNode updated = old.deepCopy();
        updated.putObject("series").put("count", 2).put("lastObservedTime", "2024-05-01T10:05:00.000000Z");
        List<FieldError> errs = new ArrayList<>();
        EventValidation.eventsV1Update(updated, old, errs);
        assertThat(errs).isEmpty();

        updated.put("note", "changed");
        updated.put("reason", "Other");
        ((ObjectNode) updated.get("series")).put("count", 1);
        EventValidation.eventsV1Update(updated, old, errs);
        assertThat(fields(errs)).containsExactlyInAnyOrder("note", "reason", "series.count");
    }
}
