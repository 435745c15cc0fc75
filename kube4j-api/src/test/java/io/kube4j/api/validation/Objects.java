package io.kube4j.api.validation;

import io.kube4j.api.defaults.Defaults;
import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Test objects written as relaxed JSON (single quotes allowed). */
final class Objects {
    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Objects() {
    }

    static ObjectNode json(String text) {
        return (ObjectNode) MAPPER.readTree(text.replace('\'', '"'));
    }

    /** Parsed, defaulted as the API server does before validation. */
    static ObjectNode defaulted(String group, String kind, String text) {
        ObjectNode o = json(text);
        Defaults.apply(group, kind, o);
        return o;
    }

    static List<String> messages(List<FieldError> errs) {
        return errs.stream().map(FieldError::message).toList();
    }
}
