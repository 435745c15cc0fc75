package io.kube4j.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x=a,y=b,z=c|x=a,y=b,z=c",
            "z=c,x=a|x=a,z=c",
            "x!=a,y=b|x!=a,y=b",
            "x=,z= |x=,z= ",
            "x==a|x=a",
            "spec.nodeName=node-1|spec.nodeName=node-1",
            "x=a\\,b|x=a\\,b",
            "x=a\\=b\\\\c|x=a\\=b\\\\c",
            "''|''",
            "',,'|''"})
    void parsesAndPrintsCanonicalForm(String in, String canonical) {
        assertThat(FieldSelector.parse(in).toString()).isEqualTo(canonical);
    }

    @Test
    void unescapesValues() {
        FieldSelector s = FieldSelector.parse("metadata.name=a\\,b\\=c\\\\d");
        assertThat(s.requirements()).containsExactly(new FieldRequirement("metadata.name", "a,b=c\\d", false));
        assertThat(s.matches(Map.of("metadata.name", "a,b=c\\d"))).isTrue();
    }

    @Test
    void rejectsMalformed() {
        assertThatThrownBy(() -> FieldSelector.parse("x"))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("invalid selector: 'x'; can't understand 'x'");
        assertThatThrownBy(() -> FieldSelector.parse("a=b,x"))
                .hasMessage("invalid selector: 'a=b,x'; can't understand 'x'");
        assertThatThrownBy(() -> FieldSelector.parse("x=a=b"))
                .hasMessage("invalid field selector: unescaped character in value: 61");
        assertThatThrownBy(() -> FieldSelector.parse("x=a\\b"))
                .hasMessage("invalid field selector: invalid escape sequence: \\b");
        assertThatThrownBy(() -> FieldSelector.parse("x=a\\"))
                .hasMessage("invalid field selector: invalid escape sequence: \\");
    }

    @Test
    void matchesWithGetter() {
        Map<String, String> pod = Map.of("spec.nodeName", "n1", "status.phase", "Running");
        assertThat(FieldSelector.parse("spec.nodeName=n1").matches(pod::get)).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName=n2").matches(pod::get)).isFalse();
        assertThat(FieldSelector.parse("spec.nodeName!=n2,status.phase==Running").matches(pod::get)).isTrue();
        // a missing field reads as "" as upstream: spec.nodeName= selects unscheduled pods
        assertThat(FieldSelector.parse("spec.nodeName=").matches(Map.of())).isTrue();
        assertThat(FieldSelector.parse("spec.nodeName!=").matches(Map.of())).isFalse();
        assertThat(FieldSelector.parse("").matches(Map.of())).isTrue();
        assertThat(FieldSelector.parse("").matchesEverything()).isTrue();
    }

    @Test
    void checksSupportedFields() {
        FieldSelector s = FieldSelector.parse("metadata.name=a,spec.foo=b");
        assertThatThrownBy(() -> s.checkSupported(List.of("metadata.name", "metadata.namespace")))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("field label not supported: spec.foo");
        s.checkSupported(List.of("metadata.name", "spec.foo"));
    }

    @Test
    void requiresExactMatch() {
        FieldSelector s = FieldSelector.parse("metadata.name=a,spec.nodeName!=b");
        assertThat(s.requiresExactMatch("metadata.name")).contains("a");
        assertThat(s.requiresExactMatch("spec.nodeName")).isEmpty();
    }

    @Test
    void fromMap() {
        assertThat(FieldSelector.fromMap(Map.of("b", "2", "a", "x,y")).toString()).isEqualTo("a=x\\,y,b=2");
    }
}
