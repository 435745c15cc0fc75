package io.kube4j.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LabelSelectorTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @ParameterizedTest
    @ValueSource(strings = {"x=a,y=b,z=c", "", "x!=y", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5", "x>1,z<5,a",
            "x in (a)", "x notin (a,b)", "x in (in)", "x in (notin)", "  a  ", "example.com/x=y", "a in (x,,y)",
            "x in ()", "x==y", "a\tin\t(b)"})
    void parsesValidSelectors(String s) {
        LabelSelector.parse(s);
    }

    @ParameterizedTest
    @ValueSource(strings = {"x=a||y=b", "x==a==b", "!x=a", "x<a", "x in (", "x in a", "x=a,", ",x", "x notin",
            "x in (a b)", "(x)", "x=a b", "-x", "a/b/c", "x=-a", "x in (a", "x>1,y<z", "x gt 1"})
    void rejectsInvalidSelectors(String s) {
        assertThatThrownBy(() -> LabelSelector.parse(s)).isInstanceOf(SelectorParseException.class);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "x=a,y=b,z=c|x=a,y=b,z=c",
            "z=c,x=a|x=a,z=c",
            "x in (foo,,baz),y,z notin ()|x in (,baz,foo),y,z notin ()",
            "x in (b,a,a)|x in (a,b)",
            "!x , y|!x,y",
            "x==a|x==a",
            "x=|x=",
            "x>1|x>1",
            "x < 2|x<2",
            "x!=y|x!=y",
            "'  '|''"})
    void printsCanonicalForm(String in, String canonical) {
        assertThat(LabelSelector.parse(in).toString()).isEqualTo(canonical);
    }

    @Test
    void errorMessagesAreUpstreams() {
        assertMessage("x=a b", "found 'b', expected: ',' or 'end of string'");
        assertMessage("x==a==b", "found '==', expected: ',' or 'end of string'");
        assertMessage("!x=a", "found '=', expected: ',' or 'end of string'");
        assertMessage("x in a", "unable to parse requirement: found 'a' expected: '('");
        assertMessage("x notin", "unable to parse requirement: found '' expected: '('");
        assertMessage("x=a,", "found '', expected: identifier after ','");
        assertMessage(",x", "found ',', expected: !, identifier, or 'end of string'");
        assertMessage("x in (a b)", "unable to parse requirement: found 'b', expected: ',' or ')'");
        assertMessage("x gt 1", "unable to parse requirement: found 'gt', expected: in, notin, =, ==, !=, gt, lt");
        assertMessage("x<a", "unable to parse requirement: values[0]: Invalid value: \"a\": "
                + "for 'Gt', 'Lt' operators, the value must be an integer");
        assertMessage("x=-a", "unable to parse requirement: values[0][x]: Invalid value: \"-a\": a valid label must be "
                + "an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
                + "an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')");
        assertMessage("-x", "unable to parse requirement: <nil>: Invalid value: \"-x\": name part must consist of "
                + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character "
                + "(e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
                + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')");
        assertMessage("Example.com/x", "unable to parse requirement: <nil>: Invalid value: \"Example.com/x\": prefix "
                + "part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
                + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
                + "validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        assertMessage("=x", "found '=', expected: !, identifier, or 'end of string'");
    }

    private static void assertMessage(String selector, String message) {
        assertThatThrownBy(() -> LabelSelector.parse(selector))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage(message);
    }

    @Test
    void keyNamePartLongerThan63IsRejected() {
        String key = "a".repeat(64);
        assertThatThrownBy(() -> LabelSelector.parse(key))
                .hasMessageContaining("name part must be no more than 63 characters");
        LabelSelector.parse("a".repeat(63));
    }

    @Test
    void matchesAsUpstream() {
        Map<String, String> labels = Map.of("x", "y", "z", "w", "n", "5");
        assertMatches("", labels, true);
        assertMatches("x=y", labels, true);
        assertMatches("x==y", labels, true);
        assertMatches("x=z", labels, false);
        assertMatches("x!=z", labels, true);
        assertMatches("x!=y", labels, false);
        assertMatches("q!=y", labels, true);
        assertMatches("x=y,z=w", labels, true);
        assertMatches("x=y,z=x", labels, false);
        assertMatches("x", labels, true);
        assertMatches("q", labels, false);
        assertMatches("!x", labels, false);
        assertMatches("!q", labels, true);
        assertMatches("x in (y,z)", labels, true);
        assertMatches("x in (a,b)", labels, false);
        assertMatches("q in (a)", labels, false);
        assertMatches("x notin (y)", labels, false);
        assertMatches("x notin (a)", labels, true);
        assertMatches("q notin (a)", labels, true);
        assertMatches("n>4", labels, true);
        assertMatches("n>5", labels, false);
        assertMatches("n<6", labels, true);
        assertMatches("x>1", labels, false);
        assertMatches("q<1", labels, false);
        assertMatches("x in ()", Map.of("x", ""), true);
        assertMatches("x=", Map.of("x", ""), true);
        assertMatches("x=", Map.of(), false);
    }

    private static void assertMatches(String selector, Map<String, String> labels, boolean expected) {
        assertThat(LabelSelector.parse(selector).matches(labels)).as(selector).isEqualTo(expected);
    }

    @Test
    void everythingAndNothing() {
        assertThat(LabelSelector.parse("").matchesEverything()).isTrue();
        assertThat(LabelSelector.parse(null).matchesEverything()).isTrue();
        assertThat(LabelSelector.parse("a").matchesEverything()).isFalse();
        assertThat(LabelSelector.nothing().matches(Map.of())).isFalse();
        assertThat(LabelSelector.nothing().matchesEverything()).isFalse();
        assertThat(LabelSelector.everything().matches(null)).isTrue();
    }

    @Test
    void requiresExactMatch() {
        LabelSelector s = LabelSelector.parse("a=b,c in (d),e in (f,g),h!=i");
        assertThat(s.requiresExactMatch("a")).contains("b");
        assertThat(s.requiresExactMatch("c")).contains("d");
        assertThat(s.requiresExactMatch("e")).isEmpty();
        assertThat(s.requiresExactMatch("h")).isEmpty();
        assertThat(s.requiresExactMatch("zz")).isEmpty();
    }

    @Test
    void fromJsonObjectForm() {
        LabelSelector s = LabelSelector.fromJson(json("""
                {"matchLabels":{"app":"web","tier":"fe"},
                 "matchExpressions":[{"key":"env","operator":"In","values":["prod","qa"]},
                                     {"key":"legacy","operator":"DoesNotExist"},
                                     {"key":"zone","operator":"NotIn","values":["z1"]},
                                     {"key":"owner","operator":"Exists"}]}"""));
        assertThat(s.toString()).isEqualTo("app=web,env in (prod,qa),!legacy,owner,tier=fe,zone notin (z1)");
        assertThat(s.matches(Map.of("app", "web", "tier", "fe", "env", "qa", "owner", "me"))).isTrue();
        assertThat(s.matches(Map.of("app", "web", "tier", "fe", "env", "qa", "owner", "me", "legacy", "1"))).isFalse();
        assertThat(s.matches(Map.of("app", "web", "tier", "fe", "env", "dev", "owner", "me"))).isFalse();
        assertThat(s.matches(Map.of("app", "web", "tier", "fe", "env", "qa", "owner", "me", "zone", "z1"))).isFalse();
    }

    @Test
    void fromJsonEmptyAndNull() {
        assertThat(LabelSelector.fromJson(json("{}")).matchesEverything()).isTrue();
        assertThat(LabelSelector.fromJson(json("{\"matchLabels\":{}}")).matchesEverything()).isTrue();
        assertThat(LabelSelector.fromJson(null).matchesNothing()).isTrue();
        assertThat(LabelSelector.fromJson(json("null")).matchesNothing()).isTrue();
    }

    @Test
    void fromJsonValidation() {
        assertThatThrownBy(() -> LabelSelector.fromJson(json(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Gt\",\"values\":[\"1\"]}]}")))
                .isInstanceOf(SelectorParseException.class)
                .hasMessage("\"Gt\" is not a valid label selector operator");
        assertThatThrownBy(() -> LabelSelector.fromJson(json(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[]}]}")))
                .hasMessage("values: Invalid value: []string{}: for 'in', 'notin' operators, values set can't be empty");
        assertThatThrownBy(() -> LabelSelector.fromJson(json(
                "{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Exists\",\"values\":[\"x\"]}]}")))
                .hasMessage("values: Invalid value: []string{\"x\"}: values set must be empty for exists and does not exist");
        assertThatThrownBy(() -> LabelSelector.fromJson(json("{\"matchLabels\":{\"a b\":\"c\"}}")))
                .hasMessageStartingWith("key: Invalid value: \"a b\": name part must consist of");
        assertThatThrownBy(() -> LabelSelector.fromJson(json(
                "{\"matchExpressions\":[{\"key\":\"-a\",\"operator\":\"In\",\"values\":[]}]}")))
                .hasMessageStartingWith("[key: Invalid value: \"-a\"")
                .hasMessageContaining(", values: Invalid value: []string{}");
    }

    @Test
    void fromMapIsServiceStyleSelector() {
        LabelSelector s = LabelSelector.fromMap(Map.of("b", "2", "a", "1"));
        assertThat(s.toString()).isEqualTo("a=1,b=2");
        assertThat(s.matches(Map.of("a", "1", "b", "2", "c", "3"))).isTrue();
        assertThat(s.matches(Map.of("a", "1"))).isFalse();
        assertThat(LabelSelector.fromMap(Map.of()).matchesEverything()).isTrue();
    }

    @Test
    void parsedSelectorsCompareEqual() {
        assertThat(LabelSelector.parse("b=2,a=1")).isEqualTo(LabelSelector.parse("a=1, b=2"));
        assertThat(LabelSelector.parse("a=1")).isNotEqualTo(LabelSelector.parse("a==1"));
    }

    private static JsonNode json(String s) {
        return JSON.readTree(s);
    }
}
