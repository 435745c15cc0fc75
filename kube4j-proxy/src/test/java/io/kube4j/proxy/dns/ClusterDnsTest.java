package io.kube4j.proxy.dns;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class ClusterDnsTest {

    static KubernetesClient client;

    private FakeUpstream upstream;
    private ClusterDns dns;

    @BeforeEach
    void start() throws Exception {
        upstream = new FakeUpstream();
        dns = ClusterDns.start(client, DnsOptions.defaults().withBind("127.0.0.1", 0)
                .withUpstreams(List.of(upstream.address())).withForwardTimeout(Duration.ofSeconds(2)));
        client.services().resource(new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default")
                .endMetadata().withNewSpec().withClusterIP("10.43.0.20").withType("ClusterIP")
                .addNewPort().withName("http").withProtocol("TCP").withPort(80).endPort()
                .addNewPort().withProtocol("TCP").withPort(81).endPort().endSpec().build()).create();
        client.services().resource(new ServiceBuilder().withNewMetadata().withName("db").withNamespace("default")
                .endMetadata().withNewSpec().withClusterIP("None").withType("ClusterIP")
                .addNewPort().withName("pg").withProtocol("TCP").withPort(5432).endPort().endSpec().build()).create();
        client.discovery().v1().endpointSlices().resource(new EndpointSliceBuilder().withNewMetadata()
                .withName("db-x1").withNamespace("default").addToLabels("kubernetes.io/service-name", "db")
                .endMetadata().withAddressType("IPv4")
                .addNewPort().withName("pg").withProtocol("TCP").withPort(5432).endPort()
                .withEndpoints(
                        new EndpointBuilder().withAddresses("10.42.0.11").withHostname("db-0")
                                .withNewConditions().withReady(true).endConditions().build(),
                        new EndpointBuilder().withAddresses("10.42.1.12")
                                .withNewConditions().withReady(true).endConditions().build(),
                        new EndpointBuilder().withAddresses("10.42.1.13").withHostname("db-2")
                                .withNewConditions().withReady(false).endConditions().build())
                .build()).create();
        client.pods().resource(new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
                .withNewStatus().withPodIP("10.42.0.9").endStatus().build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(addresses(query("web.default.svc.cluster.local", Type.A))).containsExactly("10.43.0.20");
            assertThat(addresses(query("db.default.svc.cluster.local", Type.A))).isNotEmpty();
            assertThat(query("10-42-0-9.default.pod.cluster.local", Type.A).getRcode()).isEqualTo(Rcode.NOERROR);
        });
    }

    @AfterEach
    void stop() {
        dns.close();
        upstream.close();
        client.services().inAnyNamespace().delete();
        client.discovery().v1().endpointSlices().inAnyNamespace().delete();
        client.pods().inAnyNamespace().delete();
    }

    private Message query(String name, int type) throws Exception {
        return query(name, type, false);
    }

    private Message query(String name, int type, boolean tcp) throws Exception {
        SimpleResolver resolver = new SimpleResolver(dns.address());
        resolver.setTimeout(Duration.ofSeconds(3));
        resolver.setTCP(tcp);
        return resolver.send(Message.newQuery(Record.newRecord(Name.fromString(name + "."), type, DClass.IN)));
    }

    private static List<String> addresses(Message m) {
        return m.getSection(Section.ANSWER).stream().filter(r -> r instanceof ARecord)
                .map(r -> ((ARecord) r).getAddress().getHostAddress()).toList();
    }

    @Test
    void serviceNameResolvesToItsClusterIpWithTheDefaultTtl() throws Exception {
        Message m = query("web.default.svc.cluster.local", Type.A);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getHeader().getFlag(Flags.AA)).isTrue();
        assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(r -> assertThat(r.getTTL()).isEqualTo(5));
        assertThat(addresses(query("WEB.Default.svc.cluster.local", Type.A))).containsExactly("10.43.0.20");
    }

    @Test
    void headlessServiceResolvesToReadyEndpoints() throws Exception {
        assertThat(addresses(query("db.default.svc.cluster.local", Type.A)))
                .containsExactlyInAnyOrder("10.42.0.11", "10.42.1.12");
        assertThat(addresses(query("db-0.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.0.11");
        assertThat(addresses(query("10-42-1-12.db.default.svc.cluster.local", Type.A))).containsExactly("10.42.1.12");
        assertThat(query("db-2.db.default.svc.cluster.local", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void srvRecordsForNamedPorts() throws Exception {
        Message m = query("_http._tcp.web.default.svc.cluster.local", Type.SRV);
        assertThat(m.getSection(Section.ANSWER)).singleElement().satisfies(r -> {
            SRVRecord srv = (SRVRecord) r;
            assertThat(srv.getPort()).isEqualTo(80);
            assertThat(srv.getTarget().toString()).isEqualTo("web.default.svc.cluster.local.");
        });
        assertThat(addresses(m)).isEmpty();
        assertThat(m.getSection(Section.ADDITIONAL).stream().filter(r -> r instanceof ARecord).toList()).hasSize(1);

        Message headless = query("_pg._tcp.db.default.svc.cluster.local", Type.SRV);
        assertThat(headless.getSection(Section.ANSWER).stream().map(r -> ((SRVRecord) r).getTarget().toString()))
                .containsExactlyInAnyOrder("db-0.db.default.svc.cluster.local.",
                        "10-42-1-12.db.default.svc.cluster.local.");
        assertThat(query("_nope._tcp.web.default.svc.cluster.local", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query("_http._udp.web.default.svc.cluster.local", Type.SRV).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void podRecordsAreAnsweredForExistingPods() throws Exception {
        assertThat(addresses(query("10-42-0-9.default.pod.cluster.local", Type.A))).containsExactly("10.42.0.9");
        assertThat(query("10-42-0-99.default.pod.cluster.local", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
        assertThat(query("10-42-0-9.other.pod.cluster.local", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void unknownNamesInTheClusterZoneAreNxdomainWithSoa() throws Exception {
        for (String name : List.of("nope.default.svc.cluster.local", "web.other.svc.cluster.local",
                "web.default.svc.cluster.local.default.svc.cluster.local", "foo.cluster.local")) {
            Message m = query(name, Type.A);
            assertThat(m.getRcode()).as(name).isEqualTo(Rcode.NXDOMAIN);
            assertThat(m.getSection(Section.AUTHORITY)).as(name).singleElement().isInstanceOf(SOARecord.class);
        }
        assertThat(upstream.queries()).isZero();
    }

    @Test
    void aaaaForAKnownNameIsEmptyNoError() throws Exception {
        Message m = query("web.default.svc.cluster.local", Type.AAAA);
        assertThat(m.getRcode()).isEqualTo(Rcode.NOERROR);
        assertThat(m.getSection(Section.ANSWER)).isEmpty();
        assertThat(m.getSection(Section.AUTHORITY)).singleElement().isInstanceOf(SOARecord.class);
    }

    @Test
    void ptrForServiceIps() throws Exception {
        Message m = query("20.0.43.10.in-addr.arpa", Type.PTR);
        assertThat(m.getSection(Section.ANSWER)).singleElement()
                .satisfies(r -> assertThat(((PTRRecord) r).getTarget().toString())
                        .isEqualTo("web.default.svc.cluster.local."));
    }

    @Test
    void otherNamesAreForwardedToTheUpstream() throws Exception {
        Message m = query("example.org", Type.A);
        assertThat(addresses(m)).containsExactly(FakeUpstream.ANSWER);
        assertThat(upstream.queries()).isEqualTo(1);
    }

    @Test
    void answersOverTcp() throws Exception {
        assertThat(addresses(query("web.default.svc.cluster.local", Type.A, true))).containsExactly("10.43.0.20");
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndCompleteOverTcp() throws Exception {
        client.services().resource(new ServiceBuilder().withNewMetadata().withName("big").withNamespace("default")
                .endMetadata().withNewSpec().withClusterIP("None").withType("ClusterIP")
                .addNewPort().withName("p").withPort(1).endPort().endSpec().build()).create();
        var slice = new EndpointSliceBuilder().withNewMetadata().withName("big-1").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", "big").endMetadata().withAddressType("IPv4")
                .addNewPort().withName("p").withPort(1).endPort();
        for (int i = 1; i <= 120; i++) {
            slice.addToEndpoints(new EndpointBuilder().withAddresses("10.42.2." + i).build());
        }
        client.discovery().v1().endpointSlices().resource(slice.build()).create();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(addresses(query("big.default.svc.cluster.local", Type.A, true))).hasSize(120));

        SimpleResolver udpOnly = new SimpleResolver(dns.address());
        udpOnly.setIgnoreTruncation(true);
        Message truncated = udpOnly.send(Message.newQuery(Record.newRecord(
                Name.fromString("big.default.svc.cluster.local."), Type.A, DClass.IN)));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(addresses(truncated).size()).isLessThan(120);
    }

    @Test
    void updatesFollowTheApi() throws Exception {
        client.services().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(query("web.default.svc.cluster.local", Type.A).getRcode()).isEqualTo(Rcode.NXDOMAIN));
    }
}
