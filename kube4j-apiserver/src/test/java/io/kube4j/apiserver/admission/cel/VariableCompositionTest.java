package io.kube4j.apiserver.admission.cel;

import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VariableCompositionTest {

    @Test
    void aVariableIsDeclaredWithItsTypeWhenUpstreamKeepsItAndDynOtherwise() {
        AdmissionTypes types = new AdmissionTypes(Map.of());
        assertThat(VariableComposition.declared(SimpleType.INT)).isEqualTo(SimpleType.INT);
        assertThat(VariableComposition.declared(SimpleType.TIMESTAMP)).isEqualTo(SimpleType.TIMESTAMP);
        assertThat(VariableComposition.declared(MapType.create(SimpleType.STRING, ListType.create(SimpleType.INT))))
                .isEqualTo(MapType.create(SimpleType.STRING, ListType.create(SimpleType.INT)));
        assertThat(VariableComposition.declared(types.request())).isEqualTo(SimpleType.DYN);
        assertThat(VariableComposition.declared(ListType.create(types.namespace())))
                .isEqualTo(ListType.create(SimpleType.DYN));
        assertThat(VariableComposition.declared(OptionalType.create(SimpleType.STRING))).isEqualTo(SimpleType.DYN);
        // an expression that did not compile
        assertThat(VariableComposition.declared(null)).isEqualTo(SimpleType.DYN);
    }
}
