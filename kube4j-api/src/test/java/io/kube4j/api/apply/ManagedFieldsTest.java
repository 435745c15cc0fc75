package io.kube4j.api.apply;

import static io.kube4j.api.apply.Json.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kube4j.api.status.StatusCause;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ManagedFieldsTest {

    @Test
    void fieldsV1RoundTripsExactlyAsUpstreamEncodesIt() {
        String text = "{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":"
                + "{\"k:{\\\"name\\\":\\\"c\\\"}\":{\".\":{},\"f:image\":{}}}}}";
        FieldSet set = FieldSet.fromFieldsV1(node(text.replace('\'', '"')));
        assertThat(set.toFieldsV1().toString()).isEqualTo(text);
    }

    @Test
    void itemsAreOrderedAsUpstreamOrdersThem() {
        FieldSet set = new FieldSet()
                .insert(new PathElement.Field("p"), PathElement.decode("k:{\"port\":10}"))
                .insert(new PathElement.Field("p"), PathElement.decode("k:{\"port\":9}"))
                .insert(new PathElement.Field("p"), PathElement.decode("v:\"b\""))
                .insert(new PathElement.Field("p"), PathElement.decode("i:0"))
                .insert(new PathElement.Field("p"), new PathElement.Field("z"));
        assertThat(set.toFieldsV1().toString()).isEqualTo("{\"f:p\":{\"f:z\":{},\"k:{\\\"port\\\":9}\":{},"
                + "\"k:{\\\"port\\\":10}\":{},\"v:\\\"b\\\"\":{},\"i:0\":{}}}");
    }

    @Test
    void entriesParseAndSerializeInUpstreamOrder() {
        JsonNode array = node("[{'manager':'z','operation':'Update','apiVersion':'v1','time':'2024-01-01T00:00:01Z',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:a':{}}},"
                + "{'manager':'b','operation':'Update','apiVersion':'v1','time':'2024-01-01T00:00:00+00:00',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:b':{}},'subresource':'status'},"
                + "{'manager':'y','operation':'Apply','apiVersion':'v1','time':'2025-01-01T00:00:00Z',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:c':{}}}]");
        List<ManagedFieldsEntry> entries = ManagedFields.parse(array);
        assertThat(entries.get(1).time()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(ManagedFields.toJson(entries)).isEqualTo(node("[{'manager':'y','operation':'Apply',"
                + "'apiVersion':'v1','time':'2025-01-01T00:00:00Z','fieldsType':'FieldsV1','fieldsV1':{'f:c':{}}},"
                + "{'manager':'b','operation':'Update','apiVersion':'v1','time':'2024-01-01T00:00:00Z',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:b':{}},'subresource':'status'},"
                + "{'manager':'z','operation':'Update','apiVersion':'v1','time':'2024-01-01T00:00:01Z',"
                + "'fieldsType':'FieldsV1','fieldsV1':{'f:a':{}}}]"));
        assertThatThrownBy(() -> ManagedFields.parse(node("[{'time':'yesterday'}]")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void decodingRefusesWhatUpstreamRefuses() {
        assertThatThrownBy(() -> ManagedFields.decode(ManagedFields.parse(node("[{'manager':'m','operation':'Get',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1'}]")))).hasMessage("operation must be `Apply` or `Update`");
        assertThatThrownBy(() -> ManagedFields.decode(ManagedFields.parse(node("[{'manager':'m','operation':'Apply',"
                + "'apiVersion':'v1'}]")))).hasMessage("missing fieldsType in managed fields entry 0");
        assertThatThrownBy(() -> ManagedFields.decode(ManagedFields.parse(node("[{'manager':'m','operation':'Apply',"
                + "'fieldsType':'FieldsV1'}]")))).hasMessage("apiVersion must not be empty");
        assertThatThrownBy(() -> ManagedFields.decode(ManagedFields.parse(node("[{'manager':'m','operation':'Apply',"
                + "'apiVersion':'v1','fieldsType':'FieldsV1','fieldsV1':{'x:a':{}}}]"))))
                .isInstanceOf(ApplyException.class);
    }

    @Test
    void validationReportsFieldErrors() {
        List<StatusCause> causes = ManagedFields.validate(ManagedFields.parse(node("[{'manager':'m',"
                + "'operation':'Apply','fieldsType':'FieldsV1'},{'manager':'m','operation':'Patch',"
                + "'fieldsType':'FieldsV2'}]")));
        assertThat(causes).containsExactly(
                new StatusCause("FieldValueInvalid", "Invalid value: \"Patch\": must be `Apply` or `Update`",
                        "metadata.managedFields[1].operation"),
                new StatusCause("FieldValueInvalid", "Invalid value: \"FieldsV2\": must be `FieldsV1`",
                        "metadata.managedFields[1].fieldsType"));
        assertThat(ManagedFields.validateFieldManager("x".repeat(129), "fieldManager")).hasSize(1);
        assertThat(ManagedFields.validateFieldManager("bad\u0001", "fieldManager")).hasSize(1);
    }

    @Test
    void resetForms() {
        assertThat(ManagedFields.isReset(node("[]"))).isTrue();
        assertThat(ManagedFields.isReset(node("[{}]"))).isTrue();
        assertThat(ManagedFields.isReset(null)).isFalse();
        assertThat(ManagedFields.isReset(node("[{'manager':'m'}]"))).isFalse();
    }
}
