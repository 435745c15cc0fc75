package io.kube4j.api.apply;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Upstream's ValidateFieldManager: printable ASCII passes at once, anything else is checked character by character. */
class FieldManagerNameTest {

    @Test
    void printableNamesPassAndOthersNameTheirCharacter() {
        assertThat(ManagedFields.validateFieldManager("kubectl-client-side-apply ~!@#$%^&*()_+{}|:<>?", "f"))
                .isEmpty();
        assertThat(ManagedFields.validateFieldManager("caf\u00e9", "f")).isEmpty();
        assertThat(ManagedFields.validateFieldManager("a\u0007b", "f")).singleElement()
                .satisfies(c -> assertThat(c.message()).endsWith("invalid character U+0007 (at position 1)"));
        assertThat(ManagedFields.validateFieldManager("x\u200by", "f")).singleElement()
                .satisfies(c -> assertThat(c.message()).endsWith("invalid character U+200B (at position 1)"));
        assertThat(ManagedFields.validateFieldManager("a\u007f", "f")).hasSize(1);
        assertThat(ManagedFields.validateFieldManager("m".repeat(129), "f")).singleElement()
                .satisfies(c -> assertThat(c.reason()).isEqualTo("FieldValueTooLong"));
    }
}
