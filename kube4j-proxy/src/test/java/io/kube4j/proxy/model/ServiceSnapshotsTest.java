package io.kube4j.proxy.model;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServiceSnapshotsTest {

    private static ServiceBuilder service(String name, String type) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("ns").endMetadata()
                .withNewSpec().withType(type).withClusterIP("10.43.0.5")
                .addNewPort().withName("http").withPort(80).withNodePort(30080).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort()
                .endSpec();
    }

    private static EndpointSlice slice(String service, String name) {
        return new EndpointSliceBuilder().withNewMetadata().withName(name).withNamespace("ns")
                .addToLabels("kubernetes.io/service-name", service).endMetadata().withAddressType("IPv4")
                .addNewPort().withName("http").withPort(8080).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withPort(5353).endPort()
                .withEndpoints(new EndpointBuilder().withAddresses("10.42.0.3").withNodeName("n1").build(),
                        new EndpointBuilder().withAddresses("10.42.0.2").withNodeName("n2")
                                .withNewConditions().withReady(false).withServing(true).withTerminating(true)
                                .endConditions().build())
                .build();
    }

    @Test
    void portsGetTheirEndpointsFromAllSlicesOfTheService() {
        EndpointSlice second = new EndpointSliceBuilder(slice("web", "web-2")).withEndpoints(
                new EndpointBuilder().withAddresses("10.42.0.3").build(),
                new EndpointBuilder().withAddresses("10.42.0.10").build()).build();
        List<ServicePortInfo> ports = ServiceSnapshots.build(List.of(service("web", "NodePort").build()),
                List.of(slice("web", "web-1"), second, slice("other", "other-1")), List.of("192.168.1.1"));

        assertThat(ports).extracting(p -> p.name().display()).containsExactly("ns/web/tcp/http", "ns/web/udp/dns");
        ServicePortInfo http = ports.get(0);
        assertThat(http.nodePort()).isEqualTo(30080);
        assertThat(http.endpoints()).extracting(Endpoint::ipPort)
                .containsExactly("10.42.0.2:8080", "10.42.0.3:8080", "10.42.0.10:8080");
        Endpoint terminating = http.endpoints().get(0);
        assertThat(terminating.ready()).isFalse();
        assertThat(terminating.serving()).isTrue();
        assertThat(terminating.terminating()).isTrue();
        assertThat(http.endpoints().get(1).ready()).as("unset conditions mean ready").isTrue();
        assertThat(http.loadBalancerIps()).isEmpty();
        assertThat(ports.get(1).endpoints()).extracting(Endpoint::port).containsOnly(5353);
    }

    @Test
    void headlessAndExternalNameServicesGetNoRules() {
        Service headless = new ServiceBuilder(service("h", "ClusterIP").build()).editSpec().withClusterIP("None")
                .endSpec().build();
        Service external = new ServiceBuilder(service("e", "ExternalName").build()).editSpec()
                .withExternalName("example.org").endSpec().build();
        assertThat(ServiceSnapshots.build(List.of(headless, external), List.of(), List.of())).isEmpty();
    }

    @Test
    void clusterIpServicesIgnoreNodePortsAndLoadBalancersServeOnNodeIps() {
        ServicePortInfo clusterIp = ServiceSnapshots.build(List.of(service("c", "ClusterIP").build()), List.of(),
                List.of("192.168.1.1")).get(0);
        assertThat(clusterIp.nodePort()).isZero();
        assertThat(clusterIp.externallyAccessible()).isFalse();

        Service lb = new ServiceBuilder(service("lb", "LoadBalancer").build()).editSpec()
                .withExternalTrafficPolicy("Local").withSessionAffinity("ClientIP").withExternalIPs("203.0.113.4")
                .endSpec().build();
        ServicePortInfo port = ServiceSnapshots.build(List.of(lb), List.of(), List.of("192.168.1.1")).get(0);
        assertThat(port.loadBalancerIps()).containsExactly("192.168.1.1");
        assertThat(port.externalIps()).containsExactly("203.0.113.4");
        assertThat(port.externalPolicyLocal()).isTrue();
        assertThat(port.affinityTimeoutSeconds()).isEqualTo(10800);
    }
}
