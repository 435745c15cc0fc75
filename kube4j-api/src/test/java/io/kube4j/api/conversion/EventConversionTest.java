package io.kube4j.api.conversion;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

class EventConversionTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private static final String CORE = """
            {"apiVersion":"v1","kind":"Event",
             "metadata":{"name":"e1","namespace":"ns","uid":"u1","labels":{"a":"b"}},
             "involvedObject":{"kind":"Pod","namespace":"ns","name":"p","uid":"pu","apiVersion":"v1",
                               "resourceVersion":"7","fieldPath":"spec.containers{c}"},
             "reason":"Pulled","message":"pulled image","source":{"component":"kubelet","host":"node1"},
             "firstTimestamp":"2024-01-01T00:00:00Z","lastTimestamp":"2024-01-01T00:01:00Z","count":3,
             "type":"Normal","eventTime":"2024-01-01T00:00:00.000001Z",
             "series":{"count":2,"lastObservedTime":"2024-01-01T00:02:00.000000Z"},
             "action":"Pulling","related":{"kind":"Node","name":"node1"},
             "reportingComponent":"kubelet","reportingInstance":"node1"}""";

    private static ObjectNode parse(String json) {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void coreFieldsAreServedUnderTheirEventsApiNames() {
        ObjectNode core = parse(CORE);
        ObjectNode v1 = CoreEventToEventsV1.convert(core);

        assertThat(v1.get("apiVersion").asString()).isEqualTo("events.k8s.io/v1");
        assertThat(v1.get("kind").asString()).isEqualTo("Event");
        assertThat(v1.get("metadata")).isEqualTo(core.get("metadata"));
        assertThat(v1.get("regarding")).isEqualTo(core.get("involvedObject"));
        assertThat(v1.get("note").asString()).isEqualTo("pulled image");
        assertThat(v1.get("deprecatedSource")).isEqualTo(core.get("source"));
        assertThat(v1.get("deprecatedFirstTimestamp").asString()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(v1.get("deprecatedLastTimestamp").asString()).isEqualTo("2024-01-01T00:01:00Z");
        assertThat(v1.get("deprecatedCount").asInt()).isEqualTo(3);
        assertThat(v1.get("reportingController").asString()).isEqualTo("kubelet");
        assertThat(v1.get("reportingInstance").asString()).isEqualTo("node1");
        assertThat(v1.get("eventTime").asString()).isEqualTo("2024-01-01T00:00:00.000001Z");
        assertThat(v1.get("series")).isEqualTo(core.get("series"));
        assertThat(v1.get("action").asString()).isEqualTo("Pulling");
        assertThat(v1.get("related")).isEqualTo(core.get("related"));
        assertThat(v1.get("type").asString()).isEqualTo("Normal");
        assertThat(v1.get("reason").asString()).isEqualTo("Pulled");
        for (String coreOnly : new String[] {"involvedObject", "message", "source", "firstTimestamp",
                "lastTimestamp", "count", "reportingComponent"}) {
            assertThat(v1.has(coreOnly)).as(coreOnly).isFalse();
        }
        assertThat(core).isEqualTo(parse(CORE));
    }

    @Test
    void eventsApiFieldsAreHeldUnderTheirCoreNames() {
        ObjectNode v1 = parse("""
                {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e2","namespace":"ns"},
                 "regarding":{"kind":"Pod","name":"p"},"note":"n","deprecatedSource":{"component":"c","host":"h"},
                 "deprecatedFirstTimestamp":"2024-01-01T00:00:00Z","deprecatedLastTimestamp":"2024-01-01T00:01:00Z",
                 "deprecatedCount":4,"reportingController":"ctl","reportingInstance":"i","eventTime":"2024-01-01T00:00:00.000000Z",
                 "series":{"count":5,"lastObservedTime":"2024-01-01T00:03:00.000000Z"},"action":"A",
                 "related":{"kind":"Node","name":"n1"},"type":"Warning","reason":"R"}""");
        ObjectNode core = EventsV1ToCoreEvent.convert(v1);

        assertThat(core.get("apiVersion").asString()).isEqualTo("v1");
        assertThat(core.get("involvedObject")).isEqualTo(v1.get("regarding"));
        assertThat(core.get("message").asString()).isEqualTo("n");
        assertThat(core.get("source")).isEqualTo(v1.get("deprecatedSource"));
        assertThat(core.get("firstTimestamp").asString()).isEqualTo("2024-01-01T00:00:00Z");
        assertThat(core.get("lastTimestamp").asString()).isEqualTo("2024-01-01T00:01:00Z");
        assertThat(core.get("count").asInt()).isEqualTo(4);
        assertThat(core.get("reportingComponent").asString()).isEqualTo("ctl");
        assertThat(core.get("reportingInstance").asString()).isEqualTo("i");
        assertThat(core.get("eventTime")).isEqualTo(v1.get("eventTime"));
        assertThat(core.get("series")).isEqualTo(v1.get("series"));
        assertThat(core.get("action").asString()).isEqualTo("A");
        assertThat(core.get("related")).isEqualTo(v1.get("related"));
        assertThat(core.get("type").asString()).isEqualTo("Warning");
        assertThat(core.get("reason").asString()).isEqualTo("R");
        assertThat(core.has("regarding")).isFalse();
        assertThat(core.has("note")).isFalse();
    }

    @Test
    void aRoundTripThroughEitherApiChangesNothing() {
        ObjectNode core = parse(CORE);
        assertThat(EventsV1ToCoreEvent.convert(CoreEventToEventsV1.convert(core))).isEqualTo(core);

        ObjectNode v1 = CoreEventToEventsV1.convert(core);
        assertThat(CoreEventToEventsV1.convert(EventsV1ToCoreEvent.convert(v1))).isEqualTo(v1);
    }

    @Test
    void unsetAndNullFieldsStayUnsetAndUnknownFieldsAreDropped() {
        ObjectNode core = parse("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"e"},"involvedObject":{"kind":"Pod"},
                 "firstTimestamp":null,"eventTime":null,"bogus":1}""");
        ObjectNode v1 = CoreEventToEventsV1.convert(core);
        assertThat(v1.propertyNames()).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "regarding");
    }

    @Test
    void managedFieldsNameTheFieldsOfTheApiTheyAreReadThrough() {
        ObjectNode core = parse("""
                {"apiVersion":"v1","kind":"Event","metadata":{"name":"e","managedFields":[
                  {"manager":"m","operation":"Update","apiVersion":"v1","fieldsType":"FieldsV1",
                   "fieldsV1":{"f:message":{},"f:involvedObject":{"f:name":{}},"f:reason":{},"f:metadata":{}}}]},
                 "message":"x"}""");
        ObjectNode v1 = CoreEventToEventsV1.convert(core);
        ObjectNode fields = (ObjectNode) v1.get("metadata").get("managedFields").get(0).get("fieldsV1");
        assertThat(fields.propertyNames()).containsExactly("f:note", "f:regarding", "f:reason", "f:metadata");
        assertThat(fields.get("f:regarding").has("f:name")).isTrue();
        assertThat(v1.get("metadata").get("managedFields").get(0).get("apiVersion").asString()).isEqualTo("v1");
        assertThat(EventsV1ToCoreEvent.convert(v1)).isEqualTo(core);
        assertThat(core.get("metadata").get("managedFields").get(0).get("fieldsV1").has("f:message")).isTrue();
    }
}
