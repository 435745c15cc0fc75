package io.kube4j.proxy.nft;

import io.kube4j.proxy.kernel.Netns;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.rules.RulesetBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.kube4j.proxy.rules.Fixtures.NODE;
import static io.kube4j.proxy.rules.Fixtures.clusterIp;
import static io.kube4j.proxy.rules.Fixtures.nodePort;
import static io.kube4j.proxy.rules.Fixtures.ready;
import static io.kube4j.proxy.rules.Fixtures.terminating;
import static io.kube4j.proxy.rules.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** nft itself judges the rendered text: check mode for full syncs, a scratch namespace for incremental ones. */
class NftCheckTest {

    private final RulesetBuilder builder = new RulesetBuilder(NODE, "10.42.0.0/16", List.of("192.168.5.10"));
    private final NftRenderer renderer = new NftRenderer("kube4j", "10.43.0.0/16");
    private final Netns netns = new Netns();

    @AfterEach
    void cleanUp() {
        netns.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"clusterip", "nodeport", "local", "affinity", "noendpoints"})
    void nftAcceptsTheGoldenRulesets(String name) throws Exception {
        String text = new String(getClass().getResourceAsStream("/golden/" + name + ".nft").readAllBytes());
        new NftExecutor(List.of("nft")).check(text);
    }

    @Test
    void nftRejectsBrokenText() {
        assertThatThrownBy(() -> new NftExecutor(List.of("nft")).check("add rule ip kube4j nowhere drop\n"))
                .isInstanceOf(NftException.class);
    }

    @Test
    void incrementalTransactionsReachTheSameTableAsAFullSync() {
        String ns = netns.create("inc");
        NftExecutor nft = new NftExecutor(List.of("ip", "netns", "exec", ns, "nft"));
        List<List<ServicePortInfo>> steps = List.of(
                List.of(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE))),
                        udp(clusterIp("dns", "10.43.0.10", 53, List.of(ready("10.42.0.5", 53, NODE))))),
                List.of(clusterIp("web", "10.43.0.20", 80, List.of(ready("10.42.0.5", 8080, NODE),
                                ready("10.42.1.6", 8080, "node-b"), terminating("10.42.0.7", 8080, NODE))),
                        udp(clusterIp("dns", "10.43.0.10", 53, List.of(ready("10.42.0.5", 53, NODE),
                                ready("10.42.1.6", 53, "node-b")))),
                        withAffinity(nodePort("np", "10.43.0.30", 80, 30080, true,
                                List.of(ready("10.42.0.5", 8080, NODE))), 60)),
                List.of(clusterIp("web", "10.43.0.20", 80, List.of()),
                        nodePort("np", "10.43.0.30", 80, 30080, false, List.of(ready("10.42.1.6", 8080, "node-b")))),
                List.of(nodePort("np", "10.43.0.30", 80, 30081, false, List.of(ready("10.42.1.6", 8080, "node-b")))),
                // same endpoint count: only the named endpoint map's elements change
                List.of(nodePort("np", "10.43.0.30", 80, 30081, false, List.of(ready("10.42.1.9", 9090, "node-b")))),
                List.of());
        Ruleset before = builder.build(steps.get(0));
        apply(nft, renderer.full(before));
        for (List<ServicePortInfo> step : steps.subList(1, steps.size())) {
            Ruleset after = builder.build(step);
            apply(nft, renderer.incremental(before, after));
            List<String> incremental = listing(nft);
            apply(nft, renderer.full(after));
            assertThat(incremental).containsExactlyInAnyOrderElementsOf(listing(nft));
            before = after;
        }
        assertThat(renderer.incremental(before, builder.build(List.of()))).isEmpty();
    }

    /** The same port over UDP: a table mixing protocols must still take every transaction. */
    private static ServicePortInfo udp(ServicePortInfo p) {
        return new ServicePortInfo(new ServicePortName(p.name().namespace(), p.name().name(), "dns",
                Protocol.UDP), p.clusterIp(), p.port(), p.nodePort(), p.externalIps(), p.loadBalancerIps(),
                p.externalPolicyLocal(), p.internalPolicyLocal(), p.affinityTimeoutSeconds(), p.endpoints());
    }

    private static void apply(NftExecutor nft, String text) {
        try {
            if (!text.isEmpty()) {
                nft.apply(text);
            }
        } catch (NftException e) {
            throw new AssertionError(e.getMessage() + "\n" + text, e);
        }
    }

    /** The table's lines, without handles, for an order-independent comparison. */
    private static List<String> listing(NftExecutor nft) {
        try {
            String out = nft.run(List.of("list", "table", "ip", "kube4j"), null);
            return new ArrayList<>(Arrays.stream(out.split("\n")).map(String::strip).filter(l -> !l.isEmpty()).toList());
        } catch (NftException e) {
            throw new AssertionError(e);
        }
    }
}
