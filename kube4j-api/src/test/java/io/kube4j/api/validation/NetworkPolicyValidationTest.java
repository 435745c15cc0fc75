package io.kube4j.api.validation;

import static io.kube4j.api.validation.Objects.defaulted;
import static io.kube4j.api.validation.Objects.messages;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** NetworkPolicy rules are validated as upstream's ValidateNetworkPolicySpec: peers, ipBlocks and ports. */
class NetworkPolicyValidationTest {

    private static List<String> create(String spec) {
        return messages(Validators.forKind("networking.k8s.io", "NetworkPolicy").validateCreate(defaulted(
                "networking.k8s.io", "NetworkPolicy", "{'metadata':{'name':'p','namespace':'d'},'spec':" + spec + "}")));
    }

    @Test
    void aValidPolicyPasses() {
        assertThat(create("{'podSelector':{},'ingress':[{'from':[{'ipBlock':{'cidr':'10.0.0.0/16','except':['10.0.1.0/24']}},"
                + "{'podSelector':{'matchLabels':{'a':'b'}},'namespaceSelector':{}}],'ports':[{'port':80,'endPort':90},"
                + "{'protocol':'UDP','port':'dns'}]}],'egress':[{'to':[{'ipBlock':{'cidr':'2001:db8::/64'}}]}]}")).isEmpty();
    }

    @Test
    void anInvalidCidrIsRefused() {
        assertThat(create("{'podSelector':{},'ingress':[{'from':[{'ipBlock':{'cidr':'10.0.0.0/33'}}]}],"
                + "'egress':[{'to':[{'ipBlock':{'cidr':'nope'}}, {'ipBlock':{'cidr':''}}]}]}")).containsExactly(
                "spec.ingress[0].from[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, "
                        + "(e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"nope\": must be a valid CIDR value, "
                        + "(e.g. 10.9.8.0/24 or 2001:db8::/64)",
                "spec.egress[0].to[1].ipBlock.cidr: Required value");
    }

    @Test
    void anExceptMustBeAStrictSubsetOfTheCidr() {
        assertThat(create("{'podSelector':{},'ingress':[{'from':[{'ipBlock':{'cidr':'10.0.0.0/16',"
                + "'except':['10.0.0.0/16','10.1.0.0/24','10.0.0.0/8','10.0.3.0/24','fd00::/64','10.0.0.0/40']}}]}]}"))
                .containsExactly(
                        "spec.ingress[0].from[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`",
                        "spec.ingress[0].from[0].ipBlock.except[1]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`",
                        "spec.ingress[0].from[0].ipBlock.except[2]: Invalid value: \"10.0.0.0/8\": must be a strict subset of `cidr`",
                        "spec.ingress[0].from[0].ipBlock.except[4]: Invalid value: \"fd00::/64\": must be a strict subset of `cidr`",
                        "spec.ingress[0].from[0].ipBlock.except[5]: Invalid value: \"10.0.0.0/40\": must be a valid CIDR value, "
                                + "(e.g. 10.9.8.0/24 or 2001:db8::/64)");
    }

    @Test
    void peersAndPortsFollowUpstreamsRules() {
        assertThat(create("{'podSelector':{},'ingress':[{'from':[{},{'ipBlock':{'cidr':'10.0.0.0/8'},'podSelector':{}}],"
                + "'ports':[{'protocol':'ICMP'},{'port':0},{'port':80,'endPort':70},{'port':'http','endPort':90},{'endPort':9}]}]}"))
                .containsExactly(
                        "spec.ingress[0].ports[0].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
                        "spec.ingress[0].ports[1].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                        "spec.ingress[0].ports[2].endPort: Invalid value: 80: must be greater than or equal to `port`",
                        "spec.ingress[0].ports[3].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
                        "spec.ingress[0].ports[4].endPort: Invalid value: 9: may not be specified when `port` is not specified",
                        "spec.ingress[0].from[0]: Required value: must specify a peer",
                        "spec.ingress[0].from[1]: Forbidden: may not specify both ipBlock and another peer");
    }
}
