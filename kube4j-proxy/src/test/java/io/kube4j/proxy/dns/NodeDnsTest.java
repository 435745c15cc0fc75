package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class NodeDnsTest {

    static KubernetesClient client;

    @AfterEach
    void cleanUp() {
        client.services().inAnyNamespace().delete();
        client.discovery().v1().endpointSlices().inAnyNamespace().delete();
    }

    @Test
    void theDnsAddressIsTheTenthOfTheServiceNetwork() {
        assertThat(KubeDnsService.clusterIp("10.43.0.0/16")).isEqualTo("10.43.0.10");
        assertThat(KubeDnsService.clusterIp("10.96.0.0/12")).isEqualTo("10.96.0.10");
        assertThat(KubeDnsService.clusterIp("172.20.5.17/24")).isEqualTo("172.20.5.10");
        assertThatThrownBy(() -> KubeDnsService.clusterIp("10.43.0.0/30")).hasMessageContaining("too small");
        assertThatThrownBy(() -> KubeDnsService.clusterIp("10.43.0.0")).hasMessageContaining("not an IPv4 CIDR");
    }

    @Test
    void publishesTheServiceAndThisNodesEndpointAndWithdrawsItOnClose() throws Exception {
        NodeDns dns = NodeDns.start(client, "n1", "10.43.0.0/16", options());
        try {
            Service svc = client.services().inNamespace("kube-system").withName("kube-dns").get();
            assertThat(svc.getSpec().getClusterIP()).isEqualTo("10.43.0.10");
            assertThat(svc.getSpec().getSelector()).isNullOrEmpty();
            assertThat(svc.getSpec().getPorts()).extracting(ServicePort::getName, ServicePort::getProtocol,
                    ServicePort::getPort).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("dns", "UDP", 53),
                    org.assertj.core.groups.Tuple.tuple("dns-tcp", "TCP", 53));

            EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("kube-system")
                    .withName("kube-dns-n1").get();
            assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kube-dns")
                    .containsEntry("endpointslice.kubernetes.io/managed-by", "kube4j-dns");
            assertThat(slice.getEndpoints()).singleElement().satisfies(e -> {
                assertThat(e.getAddresses()).containsExactly("127.0.0.1");
                assertThat(e.getNodeName()).isEqualTo("n1");
                assertThat(e.getConditions().getReady()).isTrue();
            });
            // the slice names the port the server really listens on, which the proxy DNATs to
            assertThat(slice.getPorts()).allSatisfy(p -> assertThat(p.getPort()).isEqualTo(dns.address().getPort()));

            // and the server answers for its own Service
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(resolve(dns.address(), "kube-dns.kube-system.svc.cluster.local"))
                            .containsExactly("10.43.0.10"));
        } finally {
            dns.close();
        }
        assertThat(client.discovery().v1().endpointSlices().inNamespace("kube-system").withName("kube-dns-n1").get())
                .isNull();
        assertThat(client.services().inNamespace("kube-system").withName("kube-dns").get()).isNotNull();
    }

    @Test
    void aSecondStartReplacesTheSliceAndKeepsAnExistingService() throws Exception {
        client.services().resource(new ServiceBuilder(KubeDnsService.desiredService("10.43.0.10"))
                .editMetadata().addToLabels("edited", "by-admin").endMetadata().build()).create();
        try (NodeDns first = NodeDns.start(client, "n1", "10.43.0.0/16", options())) {
            try (NodeDns second = NodeDns.start(client, "n1", "10.43.0.0/16", options())) {
                EndpointSlice slice = client.discovery().v1().endpointSlices().inNamespace("kube-system")
                        .withName("kube-dns-n1").get();
                assertThat(slice.getPorts().get(0).getPort()).isEqualTo(second.address().getPort())
                        .isNotEqualTo(first.address().getPort());
            }
        }
        assertThat(client.services().inNamespace("kube-system").withName("kube-dns").get().getMetadata().getLabels())
                .containsEntry("edited", "by-admin");
    }

    @Test
    void aTakenPortIsAClearError() throws Exception {
        try (NodeDns first = NodeDns.start(client, "n1", "10.43.0.0/16", options())) {
            int port = first.address().getPort();
            assertThatThrownBy(() -> NodeDns.start(client, "n2", "10.43.0.0/16",
                    options().withBind("127.0.0.1", port)))
                    .hasMessageContaining("cannot serve cluster DNS on 127.0.0.1:" + port)
                    .hasMessageContaining("--disable-dns");
            assertThat(client.discovery().v1().endpointSlices().inNamespace("kube-system").withName("kube-dns-n2")
                    .get()).isNull();
        }
    }

    private static DnsOptions options() {
        return DnsOptions.defaults().withBind("127.0.0.1", 0).withUpstreams(List.of());
    }

    private static List<String> resolve(InetSocketAddress server, String name) throws Exception {
        SimpleResolver resolver = new SimpleResolver(server);
        resolver.setTimeout(Duration.ofSeconds(2));
        Message m = resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), Type.A, DClass.IN)));
        return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }
}
