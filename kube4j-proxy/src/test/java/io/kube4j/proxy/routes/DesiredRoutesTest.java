package io.kube4j.proxy.routes;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class DesiredRoutesTest {

    private static NodeBuilder node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    }

    @Test
    void routesEveryOtherNodeWithACidrAndAnIpv4InternalAddress() {
        List<Node> nodes = List.of(
                node("self").withNewSpec().withPodCIDR("10.42.0.0/24").endSpec()
                        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.0.2.1").endAddress()
                        .endStatus().build(),
                node("b").withNewSpec().withPodCIDR("10.42.1.0/24").withPodCIDRs("fd00::/64", "10.42.1.0/24").endSpec()
                        .withNewStatus().addNewAddress().withType("Hostname").withAddress("b").endAddress()
                        .addNewAddress().withType("InternalIP").withAddress("fd00::2").endAddress()
                        .addNewAddress().withType("InternalIP").withAddress("192.0.2.2").endAddress().endStatus().build(),
                // no CIDR yet (the IPAM controller has not got to it): nothing to route
                node("c").withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.0.2.3").endAddress()
                        .endStatus().build(),
                // not registered its address yet
                node("d").withNewSpec().withPodCIDR("10.42.3.0/24").endSpec().build(),
                // a host address in the CIDR is taken as its network, as the kernel would print it
                node("e").withNewSpec().withPodCIDR("10.42.4.9/24").endSpec()
                        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.0.2.5").endAddress()
                        .endStatus().build(),
                node("f").withNewSpec().withPodCIDR("not-a-cidr").endSpec()
                        .withNewStatus().addNewAddress().withType("InternalIP").withAddress("192.0.2.6").endAddress()
                        .endStatus().build());

        assertThat(DesiredRoutes.of(nodes, "self")).isEqualTo(Map.of(
                "10.42.1.0/24", "192.0.2.2",
                "10.42.4.0/24", "192.0.2.5"));
    }
}
