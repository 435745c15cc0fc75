package io.kube4j.api.patch;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Test helper: JSON written with single quotes for readability. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Json() {
    }

    static JsonNode j(String singleQuoted) {
        return MAPPER.readTree(singleQuoted.replace('\'', '"'));
    }
}
