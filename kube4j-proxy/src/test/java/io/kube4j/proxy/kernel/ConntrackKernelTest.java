package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.proxy.Proxy;
import io.kube4j.proxy.ProxyOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static io.kube4j.proxy.kernel.KubeObjects.endpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * UDP flows through a ClusterIP outlive their endpoint unless the proxy deletes them: a "node" namespace sends
 * UDP to two services whose endpoints live in a "pod" namespace, and the test reads the node's conntrack table.
 */
@EnableKubernetesMockClient(crud = true)
class ConntrackKernelTest {

    static KubernetesClient client;

    private final Netns netns = new Netns();
    private String node;
    private Proxy proxy;

    @BeforeEach
    void buildNetwork() {
        node = netns.create("node");
        String pod = netns.create("pod");
        netns.exec(node, "ip", "link", "add", "br0", "type", "bridge");
        netns.exec(node, "ip", "addr", "add", "10.42.0.1/24", "dev", "br0");
        netns.exec(node, "ip", "link", "set", "br0", "up");
        // a route for the service network, as a node's default route gives it: without one nothing is sent
        netns.exec(node, "ip", "route", "add", "default", "dev", "br0");
        netns.exec(node, "ip", "link", "add", "vethp", "type", "veth", "peer", "name", "eth0", "netns", pod);
        netns.exec(node, "ip", "link", "set", "vethp", "master", "br0");
        netns.exec(node, "ip", "link", "set", "vethp", "up");
        netns.exec(pod, "ip", "addr", "add", "10.42.0.3/24", "dev", "eth0");
        netns.exec(pod, "ip", "addr", "add", "10.42.0.4/24", "dev", "eth0");
        netns.exec(pod, "ip", "link", "set", "eth0", "up");
    }

    @AfterEach
    void tearDown() {
        try {
            if (proxy != null) {
                proxy.close();
            }
            client.services().inAnyNamespace().delete();
            client.discovery().v1().endpointSlices().inAnyNamespace().delete();
        } finally {
            netns.close();
        }
    }

    private static Service udpService(String name, String clusterIp) {
        return new ServiceBuilder().withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec().withType("ClusterIP").withClusterIP(clusterIp).withClusterIPs(clusterIp)
                .addNewPort().withName("dns").withProtocol("UDP").withPort(53).endPort().endSpec().build();
    }

    private static EndpointSlice udpSlice(String service, String ip) {
        return new EndpointSliceBuilder().withNewMetadata().withName(service + "-abcde").withNamespace("default")
                .addToLabels("kubernetes.io/service-name", service).endMetadata()
                .withAddressType("IPv4")
                .addNewPort().withName("dns").withProtocol("UDP").withPort(5353).endPort()
                .withEndpoints(endpoint(ip, "node-a", true)).build();
    }

    /**
     * Keeps sending datagrams from one socket on the node, as a resolver that keeps its socket does: such a flow
     * never times out, so only the proxy can move it to a new endpoint.
     */
    private void keepSending(String ip) {
        netns.spawn(node, "bash", "-c", "exec 3<>/dev/udp/" + ip + "/53; while true; do echo query >&3; sleep 0.2; done");
    }

    private String flows(String serviceIp) {
        return netns.tryExec(node, "conntrack", "-L", "-p", "udp", "--orig-dst", serviceIp).output();
    }

    @Test
    void flowsToAGoneEndpointOrAGoneServiceAreDeletedAndOthersKept() throws Exception {
        client.services().resource(udpService("dns", "10.43.0.30")).create();
        client.discovery().v1().endpointSlices().resource(udpSlice("dns", "10.42.0.3")).create();
        client.services().resource(udpService("other", "10.43.0.31")).create();
        client.discovery().v1().endpointSlices().resource(udpSlice("other", "10.42.0.3")).create();
        proxy = Proxy.start(client, ProxyOptions.defaults("node-a").withNodeIps(List.of("10.42.0.1"))
                .inNetns(node).withMinSyncInterval(Duration.ofMillis(50)));

        keepSending("10.43.0.30");
        keepSending("10.43.0.31");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(flows("10.43.0.30")).contains("src=10.42.0.3 dst=10.42.0.1 sport=5353");
            assertThat(flows("10.43.0.31")).contains("src=10.42.0.3 dst=10.42.0.1 sport=5353");
        });

        // the endpoint moves: the sender's next datagram goes to the new one; the other service's flow stays
        client.discovery().v1().endpointSlices().resource(udpSlice("dns", "10.42.0.4")).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(flows("10.43.0.30")).doesNotContain("src=10.42.0.3")
                        .contains("src=10.42.0.4 dst=10.42.0.1 sport=5353"));
        assertThat(flows("10.43.0.31")).contains("src=10.42.0.3 dst=10.42.0.1 sport=5353");

        // the service goes: its flow goes too (and new datagrams to the unallocated address are dropped)
        client.services().inNamespace("default").withName("other").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(flows("10.43.0.31")).doesNotContain("src=10.42.0.3"));
        assertThat(flows("10.43.0.30")).contains("src=10.42.0.4");
    }
}
