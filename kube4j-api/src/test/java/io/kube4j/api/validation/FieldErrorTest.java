package io.kube4j.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FieldErrorTest {

    @Test
    void requiredPrintsNoValue() {
        FieldError e = FieldError.required("spec.containers[0].image", "");
        assertThat(e.message()).isEqualTo("spec.containers[0].image: Required value");
        assertThat(e.type().reason()).isEqualTo("FieldValueRequired");
    }

    @Test
    void invalidQuotesStringsAndPrintsNumbersPlain() {
        assertThat(FieldError.invalid("metadata.name", "Bad", "detail").message())
                .isEqualTo("metadata.name: Invalid value: \"Bad\": detail");
        assertThat(FieldError.invalid("spec.replicas", -1L, "must be greater than or equal to 0").message())
                .isEqualTo("spec.replicas: Invalid value: -1: must be greater than or equal to 0");
        assertThat(FieldError.invalid("x", "a\"b\n", "").body()).isEqualTo("Invalid value: \"a\\\"b\\n\"");
    }

    @Test
    void notSupportedListsQuotedValues() {
        FieldError e = FieldError.notSupported("spec.restartPolicy", "Sometimes", List.of("Always", "OnFailure", "Never"));
        assertThat(e.message()).isEqualTo(
                "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"");
        assertThat(e.type().reason()).isEqualTo("FieldValueNotSupported");
    }

    @Test
    void forbiddenAndTooLongOmitTheValue() {
        assertThat(FieldError.forbidden("spec", "nope").message()).isEqualTo("spec: Forbidden: nope");
        assertThat(FieldError.tooLong("metadata.annotations", "", 262144).message())
                .isEqualTo("metadata.annotations: Too long: may not be more than 262144 bytes");
    }

    @Test
    void duplicateAndNotFound() {
        assertThat(FieldError.duplicate("spec.containers[1].name", "web").message())
                .isEqualTo("spec.containers[1].name: Duplicate value: \"web\"");
        assertThat(FieldError.notFound("spec.containers[0].volumeMounts[0].name", "data").message())
                .isEqualTo("spec.containers[0].volumeMounts[0].name: Not found: \"data\"");
        assertThat(FieldError.Type.DUPLICATE.reason()).isEqualTo("FieldValueDuplicate");
        assertThat(FieldError.Type.TOO_MANY.reason()).isEqualTo("FieldValueTooMany");
    }

    @Test
    void tooManyPrintsTheCount() {
        assertThat(FieldError.tooMany("endpoints", 1001, 1000).message()).isEqualTo("endpoints: Too many: 1001: must have at most 1000 items");
    }

    @Test
    void mapsPrintAsGoMaps() {
        assertThat(FieldError.invalid("spec.template.metadata.labels", new java.util.LinkedHashMap<>(java.util.Map.of("b", "2", "a", "1")),
                "`selector` does not match template `labels`").message())
                .isEqualTo("spec.template.metadata.labels: Invalid value: map[string]string{\"a\":\"1\", \"b\":\"2\"}: "
                        + "`selector` does not match template `labels`");
    }
}
