package io.kube4j.apiserver.authz;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyRuleTest {

    private static List<String> list(String text) {
        return text == null || text.isEmpty() ? List.of() : List.of(text.split(" "));
    }

    @ParameterizedTest(name = "{0} {1} {2}/{3} name={4} by verbs={5} groups={6} resources={7} names={8} -> {9}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            // verb | group | resource | subresource | name | rule verbs | rule groups | rule resources | names | allowed
            "get    | -     | pods | -      | -   | get          | ''   | pods          | -     | true",
            "list   | -     | pods | -      | -   | get          | ''   | pods          | -     | false",
            "list   | -     | pods | -      | -   | *            | ''   | pods          | -     | true",
            "get    | apps  | pods | -      | -   | get          | ''   | pods          | -     | false",
            "get    | apps  | deployments | - | - | get          | *    | deployments   | -     | true",
            "get    | -     | pods | log    | -   | get          | ''   | pods          | -     | false",
            "get    | -     | pods | log    | -   | get          | ''   | pods/log      | -     | true",
            "get    | -     | pods | -      | -   | get          | ''   | pods/log      | -     | false",
            "update | apps  | deployments | scale | x | update   | apps | */scale       | -     | true",
            "update | apps  | deployments | status | x | update  | apps | */scale       | -     | false",
            "get    | -     | pods | exec   | -   | get          | ''   | *             | -     | true",
            "get    | -     | secrets | -   | s1  | get          | ''   | secrets       | s1 s2 | true",
            "get    | -     | secrets | -   | s3  | get          | ''   | secrets       | s1 s2 | false",
            "list   | -     | secrets | -   | -   | list         | ''   | secrets       | s1    | false",
    })
    void resourceRules(String verb, String group, String resource, String subresource, String name,
                       String verbs, String groups, String resources, String names, boolean allowed) {
        PolicyRule rule = new PolicyRule(list(verbs), List.of(groups), list(resources), list(names), List.of());
        assertThat(rule.allows(Attributes.resource(verb, group, resource, subresource, "ns", name)))
                .isEqualTo(allowed);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "get  | /healthz          | /healthz        | true",
            "get  | /healthz/etcd     | /healthz        | false",
            "get  | /healthz/etcd     | /healthz/*      | true",
            "get  | /apis/apps/v1     | /apis/*         | true",
            "get  | /apis             | /apis/*         | false",
            "get  | /anything         | *               | true",
            "post | /healthz          | /healthz        | false",
    })
    void nonResourceRules(String verb, String path, String url, boolean allowed) {
        PolicyRule rule = new PolicyRule(List.of("get"), List.of(), List.of(), List.of(), List.of(url));
        assertThat(rule.allows(Attributes.nonResource(verb, path))).isEqualTo(allowed);
    }

    @org.junit.jupiter.api.Test
    void resourceRulesDoNotMatchNonResourceRequestsAndViceVersa() {
        PolicyRule everythingResource = new PolicyRule(List.of("*"), List.of("*"), List.of("*"), List.of(), List.of());
        assertThat(everythingResource.allows(Attributes.nonResource("get", "/healthz"))).isFalse();
        PolicyRule everyUrl = new PolicyRule(List.of("*"), List.of(), List.of(), List.of(), List.of("*"));
        assertThat(everyUrl.allows(Attributes.resource("get", "", "pods", "", "", ""))).isFalse();
    }
}
