package io.kube4j.apiserver.crd.celrules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EvaluationErrorsTest {
    @Test
    void aMissingKeyReadsAsCelGosNoSuchKey() {
        assertThat(EvaluationErrors.normalise("evaluation error at <input>:12: key 'missing' is not present in map."))
                .isEqualTo("no such key: missing");
        assertThat(EvaluationErrors.normalise("key 'a.b' is not present in map.")).isEqualTo("no such key: a.b");
    }

    @Test
    void otherErrorsLoseOnlyThePosition() {
        assertThat(EvaluationErrors.normalise("evaluation error at <input>:3: division by zero")).isEqualTo("division by zero");
        assertThat(EvaluationErrors.normalise("min called on empty list")).isEqualTo("min called on empty list");
    }
}
