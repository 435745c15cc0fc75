package io.kube4j.proxy.rules;

import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServicePortName;
import io.kube4j.proxy.nft.NftRenderer;
import io.kube4j.proxy.nft.Ruleset;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.kube4j.proxy.rules.Fixtures.NODE;
import static io.kube4j.proxy.rules.Fixtures.clusterIp;
import static io.kube4j.proxy.rules.Fixtures.nodePort;
import static io.kube4j.proxy.rules.Fixtures.ready;
import static io.kube4j.proxy.rules.Fixtures.terminating;
import static io.kube4j.proxy.rules.Fixtures.withAffinity;
import static org.assertj.core.api.Assertions.assertThat;

class RulesetBuilderTest {

    private final RulesetBuilder builder = new RulesetBuilder(NODE, "10.42.0.0/16", List.of("192.168.5.10"));
    private final NftRenderer renderer = new NftRenderer("kube4j", "10.43.0.0/16");

    /** The service-port fixtures of the golden files, by file name. */
    static List<ServicePortInfo> scenario(String name) {
        return switch (name) {
            case "clusterip" -> List.of(clusterIp("web", "10.43.0.20", 80, List.of(
                    ready("10.42.0.5", 8080, NODE), ready("10.42.1.6", 8080, "node-b"),
                    terminating("10.42.0.7", 8080, NODE))));
            case "nodeport" -> List.of(nodePort("np", "10.43.0.30", 80, 30080, false, List.of(
                    ready("10.42.0.5", 8080, NODE), ready("10.42.1.6", 8080, "node-b"))));
            case "local" -> List.of(nodePort("lp", "10.43.0.40", 80, 30040, true, List.of(
                    ready("10.42.0.5", 8080, NODE), ready("10.42.1.6", 8080, "node-b"))));
            case "affinity" -> List.of(withAffinity(clusterIp("sticky", "10.43.0.50", 80, List.of(
                    ready("10.42.0.5", 8080, NODE), ready("10.42.1.6", 8080, "node-b"))), 600));
            case "noendpoints" -> List.of(nodePort("empty", "10.43.0.60", 53, 30053, false, List.of()),
                    new ServicePortInfo(new ServicePortName("default", "dns", "dns", Protocol.UDP), "10.43.0.10", 53,
                            0, List.of(), List.of(), false, false, 0, List.of()));
            default -> throw new IllegalArgumentException(name);
        };
    }

    static final List<String> SCENARIOS = List.of("clusterip", "nodeport", "local", "affinity", "noendpoints");

    @Test
    void clusterIpWithTwoReadyAndOneTerminatingEndpoint() throws IOException {
        assertGolden("clusterip");
    }

    @Test
    void nodePortWithClusterPolicy() throws IOException {
        assertGolden("nodeport");
    }

    @Test
    void externalTrafficPolicyLocal() throws IOException {
        assertGolden("local");
    }

    @Test
    void sessionAffinity() throws IOException {
        assertGolden("affinity");
    }

    @Test
    void noEndpointsRejects() throws IOException {
        assertGolden("noendpoints");
    }

    @Test
    void terminatingEndpointsServeOnlyWhenNoneIsReady() {
        Ruleset rs = builder.build(List.of(clusterIp("web", "10.43.0.20", 80, List.of(
                terminating("10.42.0.7", 8080, NODE), new io.kube4j.proxy.model.Endpoint("10.42.0.8", 8080, false,
                        false, true, NODE)))));
        // the rules send traffic to the serving endpoint only (the hairpin set lists every endpoint, harmlessly)
        String rules = rs.chains().values().toString();
        assertThat(rs.maps()).hasSize(1);
        String map = rs.maps().keySet().iterator().next();
        assertThat(rules).contains("dnat to numgen random mod 1 map @" + map).doesNotContain("10.42.0.8");
        assertThat(rs.elements(map)).containsExactly(java.util.Map.entry("0", "10.42.0.7 . 8080"));
    }

    @Test
    void internalTrafficPolicyLocalDropsWhenNoLocalEndpoint() {
        ServicePortInfo p = clusterIp("itp", "10.43.0.70", 80, List.of(ready("10.42.1.6", 8080, "node-b")));
        ServicePortInfo itp = new ServicePortInfo(p.name(), p.clusterIp(), p.port(), 0, List.of(), List.of(), false,
                true, 0, p.endpoints());
        Ruleset rs = builder.build(List.of(itp));
        assertThat(rs.elements("no-endpoint-services")).containsEntry("10.43.0.70 . tcp . 80", "drop");
        assertThat(rs.chains()).isEmpty();
    }

    @Test
    void externalIpsAndLoadBalancerIpsGoThroughTheExternalChain() {
        ServicePortInfo p = clusterIp("lb", "10.43.0.80", 443, List.of(ready("10.42.0.5", 8443, NODE)));
        ServicePortInfo lb = new ServicePortInfo(p.name(), p.clusterIp(), p.port(), 31443, List.of("203.0.113.9"),
                List.of("192.168.5.10"), false, false, 0, p.endpoints());
        Ruleset rs = builder.build(List.of(lb));
        String external = ChainNames.external(lb.name());
        assertThat(rs.elements("service-ips"))
                .containsEntry("203.0.113.9 . tcp . 443", "goto " + external)
                .containsEntry("192.168.5.10 . tcp . 443", "goto " + external)
                .containsEntry("10.43.0.80 . tcp . 443", "goto " + ChainNames.service(lb.name()));
        assertThat(rs.elements("service-nodeports")).containsEntry("tcp . 31443", "goto " + external);
    }

    private void assertGolden(String name) throws IOException {
        String text = renderer.full(builder.build(scenario(name)));
        String golden = golden(name);
        if (golden == null || Boolean.getBoolean("kube4j.updateGolden")) {
            Path out = Path.of("src/test/resources/golden", name + ".nft");
            Files.writeString(out, text);
            golden = text;
        }
        assertThat(text).isEqualTo(golden);
    }

    static String golden(String name) throws IOException {
        try (InputStream in = RulesetBuilderTest.class.getResourceAsStream("/golden/" + name + ".nft")) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
