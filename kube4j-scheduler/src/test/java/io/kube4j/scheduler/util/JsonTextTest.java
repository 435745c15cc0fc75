package io.kube4j.scheduler.util;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonTextTest {
    private final KubernetesSerialization json = new KubernetesSerialization();

    private String roundTrip(String s) {
        String doc = JsonText.string(new StringBuilder("{\"v\":"), s).append('}').toString();
        Map<?, ?> m = json.unmarshal(doc, Map.class);
        return (String) m.get("v");
    }

    @Test
    void plainAndEscapedCharactersSurviveAJsonParser() {
        assertThat(roundTrip("node-1")).isEqualTo("node-1");
        String nasty = "q\"b\\s/n\nr\rt\tb\bf\fnul\u0000esc\u001bend";
        assertThat(roundTrip(nasty)).isEqualTo(nasty);
        assertThat(roundTrip("π and 😀")).isEqualTo("π and 😀");
    }

    @Test
    void nullIsTheLiteralAndLoneSurrogatesAreEscaped() {
        assertThat(JsonText.string(new StringBuilder(), null).toString()).isEqualTo("null");
        assertThat(JsonText.string(new StringBuilder(), "a\ud800b").toString()).isEqualTo("\"a\\ud800b\"");
        assertThat(JsonText.string(new StringBuilder(), "end\ud83d").toString()).isEqualTo("\"end\\ud83d\"");
    }
}
