package io.kube4j.proxy.nft;

import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.rules.RulesetBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.kube4j.proxy.rules.Fixtures.NODE;
import static io.kube4j.proxy.rules.Fixtures.clusterIp;
import static io.kube4j.proxy.rules.Fixtures.ready;
import static io.kube4j.proxy.rules.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

/** The shape of incremental transactions: what nft is asked to do, and in which order. */
class NftRendererTest {

    private final RulesetBuilder builder = new RulesetBuilder(NODE, "10.42.0.0/16", List.of("192.168.5.10"));
    private final NftRenderer renderer = new NftRenderer("kube4j", "10.43.0.0/16");

    private Ruleset web(ServicePortInfo... ports) {
        return builder.buildService(List.of(ports));
    }

    @Test
    void sameEndpointCountChangesOnlyMapElements() {
        Ruleset before = web(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE),
                ready("10.42.1.6", 8080, "node-b"))));
        Ruleset after = web(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE),
                ready("10.42.1.7", 8080, "node-b"))));
        List<String> tx = renderer.incremental(before, after).lines().toList();
        // element-only: no chain is flushed and no rule re-added, so nft need not read the table's rules first
        assertThat(tx).allMatch(l -> l.startsWith("delete element ") || l.startsWith("add element "));
        assertThat(tx).anyMatch(l -> l.startsWith("delete element ip kube4j service-") && l.endsWith("{ 1 }"));
        assertThat(tx).anyMatch(l -> l.startsWith("add element ip kube4j service-")
                && l.endsWith("{ 1 : 10.42.1.7 . 8080 }"));
    }

    @Test
    void changedEndpointCountRewritesTheRule() {
        Ruleset before = web(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE))));
        Ruleset after = web(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE),
                ready("10.42.1.6", 8080, "node-b"))));
        String tx = renderer.incremental(before, after);
        assertThat(tx).contains("flush chain ip kube4j service-")
                .contains("dnat to numgen random mod 2 map @service-")
                .contains(": 10.42.1.6 . 8080")
                .doesNotContain("add map ");
    }

    @Test
    void mapsAreCreatedBeforeTheirRuleAndDeletedAfterIt() {
        ServicePortInfo plain = clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE)));
        String added = renderer.incremental(new Ruleset(), web(plain));
        assertThat(added.indexOf("add map ")).isNotNegative().isLessThan(added.indexOf("add rule "));
        assertThat(added.indexOf("add rule ")).isLessThan(added.indexOf("http-endpoints { 0 : 10.42.0.5 . 8080 }"));

        String removed = renderer.incremental(web(plain), new Ruleset());
        assertThat(removed).contains("delete map ip kube4j service-").doesNotContain("http-endpoints { 0 }");
        assertThat(removed.indexOf("delete map ")).isGreaterThan(removed.lastIndexOf("delete chain "));

        // switching to affinity keeps the chain but drops the map once the rule no longer uses it
        String sticky = renderer.incremental(web(plain), web(withAffinity(plain, 60)));
        assertThat(sticky.indexOf("delete map ")).isGreaterThan(sticky.indexOf("flush chain ip kube4j service-"));
        assertThat(sticky).contains(" vmap { 0 : goto endpoint-");
    }
}
