package io.kube4j.apiserver.registry;

import io.kube4j.apiserver.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Stored bytes with the resourceVersion inserted are byte for byte what decoding and encoding them gives. */
class StoredJsonTest {

    private static final byte[] V1 = StoredJson.quoted("v1");
    private static final byte[] DEFAULT = StoredJson.quoted("default");

    /** What the streamed list writes for one stored value: the bytes with the resourceVersion spliced in. */
    private static String spliced(byte[] value, int slot, long rv) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(value, 0, slot);
        if (value[slot - 1] != '{') {
            out.write(',');
        }
        out.writeBytes(("\"resourceVersion\":\"" + rv + "\"").getBytes(StandardCharsets.US_ASCII));
        out.write(value, slot, value.length - slot);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String decodedAndEncoded(byte[] value, long rv) {
        return new String(Json.bytes(ObjectCodec.decode(value, rv)), StandardCharsets.UTF_8);
    }

    private static void assertEquivalent(String objectJson, byte[] namespace) {
        byte[] stored = ObjectCodec.encode((ObjectNode) Json.parse(objectJson.getBytes(StandardCharsets.UTF_8)));
        int slot = StoredJson.resourceVersionSlot(stored, V1, namespace);
        assertThat(slot).as(new String(stored, StandardCharsets.UTF_8)).isPositive();
        assertThat(spliced(stored, slot, 4711)).isEqualTo(decodedAndEncoded(stored, 4711));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // a defaulted pod, with managedFields and status
        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"namespace\":\"default\",\"labels\":"
            + "{\"app\":\"x\"},\"uid\":\"u\",\"managedFields\":[{\"manager\":\"m\",\"fieldsV1\":{\"f:spec\":{\"k:{\\\""
            + "name\\\":\\\"main\\\"}\":{}}}}]},\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\","
            + "\"ports\":[{\"containerPort\":8080}]}],\"terminationGracePeriodSeconds\":30,\"priority\":-5,"
            + "\"enableServiceLinks\":true,\"nodeSelector\":null},\"status\":{\"phase\":\"Pending\"}}",
        // metadata last, apiVersion after it, resourceVersion sent by the client (the codec drops it)
        "{\"kind\":\"ConfigMap\",\"data\":{\"a\":\"b\"},\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\","
            + "\"name\":\"c\",\"resourceVersion\":\"12\"}}",
        // strings Jackson escapes and strings it does not: quotes, backslashes, control characters, non-ASCII
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\",\"name\":\"e\",\"annotations\":{\"q\":\"a\\\"b"
            + "\\\\c\\/d\\n\\t\\r\\b\\f\\u0001\\u001f\\u007f é 漢字 \\ud83d\\ude00 \\u2028\"}},\"data\":{\"k\":\"\"}}",
        // big and negative integers, nested empties, literals
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\",\"name\":\"n\"},\"spec\":{\"a\":123456789012"
            + "3456789012345,\"b\":-9223372036854775808,\"c\":0,\"d\":[],\"e\":{},\"f\":[[[]],{}],\"g\":false}}"})
    void splicedBytesEqualDecodedAndEncoded(String objectJson) {
        assertEquivalent(objectJson, DEFAULT);
        assertEquivalent(objectJson, null);
    }

    @ParameterizedTest
    @ValueSource(strings = {"v1", "apps/v1", "stable.example.com/v1beta1", "kube-system", "", "a\"b", "a\\b", "a/b",
        "tab\there", "\u007f", "é", "漢字", "\ud83d\ude00", "\u2028"})
    void quotedIsWhatJacksonWrites(String text) {
        assertThat(new String(StoredJson.quoted(text), StandardCharsets.UTF_8))
                .isEqualTo(new String(Json.MAPPER.writeValueAsBytes(text), StandardCharsets.UTF_8));
    }

    @Test
    void withResourceVersionSplicesTheFieldWhereDecodingPutsIt() {
        for (String json : new String[] {"{\"apiVersion\":\"v1\",\"metadata\":{},\"x\":1}",
            "{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"a\"},\"data\":{\"k\":\"v\"}}"}) {
            byte[] stored = json.getBytes(StandardCharsets.UTF_8);
            assertThat(new String(StoredJson.withResourceVersion(stored, 1234567890123L, V1), StandardCharsets.UTF_8))
                    .isEqualTo(decodedAndEncoded(stored, 1234567890123L));
        }
    }

    @Test
    void emptyMetadataTakesTheFieldWithoutAComma() {
        byte[] stored = "{\"apiVersion\":\"v1\",\"metadata\":{},\"x\":1}".getBytes(StandardCharsets.UTF_8);
        int slot = StoredJson.resourceVersionSlot(stored, V1, null);
        assertThat(slot).isPositive();
        assertThat(spliced(stored, slot, 9)).isEqualTo(decodedAndEncoded(stored, 9))
                .isEqualTo("{\"apiVersion\":\"v1\",\"metadata\":{\"resourceVersion\":\"9\"},\"x\":1}");
        assertThat(StoredJson.resourceVersionSlot(stored, V1, DEFAULT)).as("no namespace to match").isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"apiVersion\":\"v1\", \"metadata\":{\"namespace\":\"default\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"}}\n",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"f\":1.5}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"f\":1e3}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"f\":-0}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"f\":007}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"s\":\"\\/\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"s\":\"\\u0041\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"s\":\"\\u001b\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"s\":\"\\u000a\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\",\"resourceVersion\":\"3\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"other\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"no-namespace\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\",\"namespace\":\"default\"}}",
        "{\"apiVersion\":\"v2\",\"metadata\":{\"namespace\":\"default\"}}",
        "{\"metadata\":{\"namespace\":\"default\"}}",
        "{\"apiVersion\":\"v1\",\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"metadata\":{\"namespace\":\"default\"}}",
        "{\"apiVersion\":\"v1\",\"metadata\":[]}",
        "{\"apiVersion\":\"v1\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"},\"s\":\"unterminated}",
        "{\"apiVersion\":\"v1\",\"metadata\":{\"namespace\":\"default\"}}{}",
        "{}",
        "[]",
        ""})
    void anythingItCannotVouchForIsLeftToTheDecoder(String stored) {
        assertThat(StoredJson.resourceVersionSlot(stored.getBytes(StandardCharsets.UTF_8), V1, DEFAULT)).isEqualTo(-1);
    }
}
