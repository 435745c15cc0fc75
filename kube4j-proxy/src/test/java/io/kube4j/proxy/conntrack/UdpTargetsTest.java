package io.kube4j.proxy.conntrack;

import io.kube4j.proxy.model.Endpoint;
import io.kube4j.proxy.model.Protocol;
import io.kube4j.proxy.model.ServicePortInfo;
import io.kube4j.proxy.model.ServicePortName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UdpTargetsTest {

    private static ServicePortInfo port(Protocol protocol, String clusterIp, int nodePort, Endpoint... endpoints) {
        return new ServicePortInfo(new ServicePortName("default", "svc", "p", protocol), clusterIp, 53, nodePort,
                List.of("192.0.2.50"), List.of(), false, false, 0, List.of(endpoints));
    }

    private static Endpoint ep(String ip, boolean ready, boolean serving) {
        return new Endpoint(ip, 5353, ready, serving, !ready, "n1");
    }

    @Test
    void parsesConntrackLines() {
        assertThat(UdpFlow.parse("udp      17 26 src=10.42.0.2 dst=10.43.0.10 sport=33628 dport=53 [UNREPLIED] "
                + "src=192.0.2.2 dst=10.42.0.2 sport=53 dport=33628 mark=0 use=1"))
                .isEqualTo(new UdpFlow("10.42.0.2", "10.43.0.10", 53, "192.0.2.2"));
        assertThat(UdpFlow.parse("tcp      6 82 TIME_WAIT src=127.0.0.1 dst=127.0.0.1 sport=1 dport=2 src=127.0.0.1 "
                + "dst=127.0.0.1 sport=2 dport=1")).isNull();
        assertThat(UdpFlow.parse("conntrack v1.4.7 (conntrack-tools): 3 flow entries have been shown.")).isNull();
    }

    @Test
    void flowsNotAnsweredByAServingEndpointAreStale() {
        UdpTargets targets = UdpTargets.of(List.of(
                port(Protocol.UDP, "10.43.0.10", 30053, ep("10.42.0.5", true, true), ep("10.42.0.6", false, true),
                        ep("10.42.0.7", false, false)),
                port(Protocol.TCP, "10.43.0.11", 0, ep("10.42.0.5", true, true))));
        UdpFlow toReady = new UdpFlow("10.42.0.2", "10.43.0.10", 53, "10.42.0.5");
        UdpFlow toTerminatingServing = new UdpFlow("10.42.0.2", "10.43.0.10", 53, "10.42.0.6");
        UdpFlow toNotServing = new UdpFlow("10.42.0.2", "10.43.0.10", 53, "10.42.0.7");
        UdpFlow neverDnated = new UdpFlow("10.42.0.2", "10.43.0.10", 53, "10.43.0.10");
        UdpFlow viaExternalIp = new UdpFlow("10.42.0.2", "192.0.2.50", 53, "10.42.0.9");
        UdpFlow viaNodePort = new UdpFlow("192.0.2.99", "192.0.2.2", 30053, "10.42.0.9");
        UdpFlow goneService = new UdpFlow("10.42.0.2", "10.43.0.99", 53, "10.42.0.5");
        UdpFlow tcpServiceAddressOtherPort = new UdpFlow("10.42.0.2", "10.43.0.11", 53, "10.42.0.5");
        UdpFlow unrelated = new UdpFlow("10.42.0.2", "8.8.8.8", 53, "8.8.8.8");

        assertThat(targets.stale(List.of(toReady, toTerminatingServing, toNotServing, neverDnated, viaExternalIp,
                viaNodePort, goneService, tcpServiceAddressOtherPort, unrelated), "10.43.0.0/16"))
                .containsExactly(toNotServing, neverDnated, viaExternalIp, viaNodePort, goneService,
                        tcpServiceAddressOtherPort);
    }
}
