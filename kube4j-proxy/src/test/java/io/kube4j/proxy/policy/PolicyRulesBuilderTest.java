package io.kube4j.proxy.policy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.kube4j.proxy.nft.NftExecutor;
import io.kube4j.proxy.nft.NftRenderer;
import io.kube4j.proxy.nft.Ruleset;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static io.kube4j.proxy.kernel.KubeObjects.namespace;
import static io.kube4j.proxy.kernel.KubeObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;

class PolicyRulesBuilderTest {

    private final List<Pod> pods = List.of(
            pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a")),
            pod("default", "b", "10.42.0.3", "node-a", Map.of("app", "b")),
            pod("default", "c", "10.42.1.4", "node-b", Map.of("role", "client")),
            pod("other", "d", "10.42.1.5", "node-b", Map.of("role", "client")));
    private final List<Namespace> namespaces = List.of(namespace("default", Map.of()),
            namespace("other", Map.of("team", "x")));

    private Ruleset build(NetworkPolicy... policies) {
        Ruleset rs = new Ruleset();
        new PolicyRulesBuilder("node-a", pods, namespaces, List.of(policies)).addTo(rs);
        return rs;
    }

    @Test
    void defaultDenyIsolatesEveryLocalPod() {
        Ruleset rs = build(new NetworkPolicyBuilder().withNewMetadata().withName("deny").withNamespace("default")
                .endMetadata().withNewSpec().withNewPodSelector().endPodSelector().endSpec().build());
        assertThat(rs.elements("policy-ingress-pods")).containsOnlyKeys("10.42.0.2", "10.42.0.3");
        assertThat(rs.elements("policy-egress-pods")).isEmpty();
        assertThat(rs.chains().values()).allSatisfy(rules -> assertThat(rules).containsExactly("drop"));
    }

    @Test
    void peersPortsAndIpBlocksBecomeReturnRules() throws Exception {
        NetworkPolicy allow = new NetworkPolicyBuilder().withNewMetadata().withName("allow").withNamespace("default")
                .endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", "a").endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress()
                .addNewFrom().withNewPodSelector().addToMatchLabels("role", "client").endPodSelector().endFrom()
                .addNewFrom().withNewNamespaceSelector().addToMatchLabels("team", "x").endNamespaceSelector().endFrom()
                .addNewFrom().withNewIpBlock().withCidr("192.168.0.0/16").withExcept("192.168.1.0/24").endIpBlock()
                .endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString("web")).endPort()
                .endIngress()
                .addNewEgress().addNewPort().withProtocol("UDP").withPort(new IntOrString(53)).endPort()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString(30000)).withEndPort(30010).endPort()
                .endEgress()
                .endSpec().build();
        Ruleset rs = build(allow);
        String ingress = rs.elements("policy-ingress-pods").get("10.42.0.2").substring("jump ".length());
        assertThat(rs.chains().get(ingress)).containsExactly(
                "ip saddr { 10.42.1.4, 10.42.1.5 } meta l4proto tcp th dport 8080 return",
                "ip saddr 192.168.0.0/16 ip saddr != { 192.168.1.0/24 } meta l4proto tcp th dport 8080 return",
                "drop");
        String egress = rs.elements("policy-egress-pods").get("10.42.0.2").substring("jump ".length());
        assertThat(rs.chains().get(egress)).containsExactly(
                "meta l4proto udp th dport 53 return",
                "meta l4proto tcp th dport 30000-30010 return",
                "drop");
        assertThat(rs.elements("policy-ingress-pods")).doesNotContainKey("10.42.0.3");

        new NftExecutor(List.of("nft")).check(new NftRenderer("kube4j", "10.43.0.0/16").full(rs));
    }

    @Test
    void emptyFromAllowsEverySourceAndPolicyTypesDefaultFromTheRules() {
        NetworkPolicy open = new NetworkPolicyBuilder().withNewMetadata().withName("open").withNamespace("default")
                .endMetadata().withNewSpec().withNewPodSelector().addToMatchLabels("app", "b").endPodSelector()
                .addNewIngress().endIngress().endSpec().build();
        Ruleset rs = build(open);
        String chain = rs.elements("policy-ingress-pods").get("10.42.0.3").substring("jump ".length());
        assertThat(rs.chains().get(chain)).containsExactly("return", "drop");
        assertThat(PolicyRulesBuilder.policyTypes(open)).containsExactly("Ingress");
    }
}
