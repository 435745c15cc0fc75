package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.proxy.routes.PodNetworkOptions;
import io.kube4j.proxy.routes.PodRoutes;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two "nodes" (network namespaces on one link, 192.168.90.0/24), each with one "pod" namespace behind it in its
 * own pod CIDR. Both nodes run the pod route component against the same Node objects; a third Node exists only
 * in the API. The pods' web servers print the client address they see, so the test tells routed from
 * masqueraded traffic.
 */
@EnableKubernetesMockClient(crud = true)
class PodRoutesKernelTest {

    static KubernetesClient client;

    private final Netns netns = new Netns();
    private String node1;
    private String node2;
    private String pod1;
    private String pod2;
    private Path webRoot;
    private PodRoutes routes1;
    private PodRoutes routes2;

    @BeforeEach
    void buildNetwork() throws Exception {
        node1 = netns.create("n1");
        node2 = netns.create("n2");
        pod1 = netns.create("p1");
        pod2 = netns.create("p2");
        netns.exec(node1, "ip", "link", "add", "lan", "type", "veth", "peer", "name", "lan", "netns", node2);
        netns.exec(node1, "ip", "addr", "add", "192.168.90.1/24", "dev", "lan");
        netns.exec(node2, "ip", "addr", "add", "192.168.90.2/24", "dev", "lan");
        netns.exec(node1, "ip", "link", "set", "lan", "up");
        netns.exec(node2, "ip", "link", "set", "lan", "up");
        webRoot = Files.createTempDirectory("kube4j-routes-web");
        attachPod(node1, pod1, "10.42.1");
        attachPod(node2, pod2, "10.42.2");
        // a server on node 2 itself, outside the cluster CIDR
        netns.spawn(node2, "/bin/busybox", "httpd", "-f", "-p", "8081", "-h", webRoot.toString());

        client.nodes().resource(node("n1", "10.42.1.0/24", "192.168.90.1")).create();
        client.nodes().resource(node("n2", "10.42.2.0/24", "192.168.90.2")).create();
        client.nodes().resource(node("n3", "10.42.3.0/24", "192.168.90.3")).create();
    }

    private void attachPod(String node, String pod, String net) {
        netns.exec(node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        netns.exec(node, "ip", "link", "add", "pod", "type", "veth", "peer", "name", "eth0", "netns", pod);
        netns.exec(node, "ip", "addr", "add", net + ".1/24", "dev", "pod");
        netns.exec(node, "ip", "link", "set", "pod", "up");
        netns.exec(pod, "ip", "addr", "add", net + ".2/24", "dev", "eth0");
        netns.exec(pod, "ip", "link", "set", "eth0", "up");
        netns.exec(pod, "ip", "route", "add", "default", "via", net + ".1");
        netns.spawn(pod, "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", webRoot.toString());
    }

    @BeforeEach
    void writeClientAddressScript() throws Exception {
        Path cgi = Files.createDirectories(webRoot.resolve("cgi-bin")).resolve("client");
        Files.writeString(cgi, "#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n%s\\n' \"$REMOTE_ADDR\"\n");
        Files.setPosixFilePermissions(cgi, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (routes1 != null) {
                routes1.close();
            }
            if (routes2 != null) {
                routes2.close();
            }
            client.nodes().delete();
        } finally {
            netns.close();
            try (var files = Files.walk(webRoot)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static Node node(String name, String podCidr, String ip) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr).endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress().endStatus().build();
    }

    private PodRoutes start(String nodeName, String ns) throws Exception {
        return PodRoutes.start(client, PodNetworkOptions.defaults(nodeName, "10.42.0.0/16").inNetns(ns));
    }

    private String routes(String ns) {
        return Netns.run("ip", "-n", ns, "-4", "route", "show", "proto", "75");
    }

    private String clientAddressSeenBy(String fromNs, String url) {
        String seen = netns.tryExec(fromNs, "timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", url).output().strip();
        // busybox httpd listens on IPv6 and prints IPv4 clients as [::ffff:a.b.c.d]
        return seen.replace("[::ffff:", "").replace("]", "");
    }

    @Test
    void everyOtherNodesPodCidrIsRoutedViaItsAddressAndPodsTalkWithTheirOwnAddresses() throws Exception {
        routes1 = start("n1", node1);
        routes2 = start("n2", node2);

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(routes(node1)).contains("10.42.2.0/24 via 192.168.90.2", "10.42.3.0/24 via 192.168.90.3")
                    .doesNotContain("10.42.1.0/24");
            assertThat(routes(node2)).contains("10.42.1.0/24 via 192.168.90.1", "10.42.3.0/24 via 192.168.90.3")
                    .doesNotContain("10.42.2.0/24 via");
        });
        // pod to pod across nodes: routed, not masqueraded (the server sees the pod's address)
        assertThat(clientAddressSeenBy(pod1, "http://10.42.2.2:8080/cgi-bin/client")).isEqualTo("10.42.1.2");
        assertThat(clientAddressSeenBy(pod2, "http://10.42.1.2:8080/cgi-bin/client")).isEqualTo("10.42.2.2");
        // leaving the cluster CIDR: masqueraded to the node's address
        assertThat(clientAddressSeenBy(pod1, "http://192.168.90.2:8081/cgi-bin/client")).isEqualTo("192.168.90.1");
    }

    @Test
    void routesFollowNodesThatChangeOrGo() throws Exception {
        routes1 = start("n1", node1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(routes(node1)).contains("10.42.3.0/24 via 192.168.90.3"));

        client.nodes().withName("n3").edit(n -> new NodeBuilder(n).editSpec().withPodCIDR("10.42.4.0/24")
                .withPodCIDRs("10.42.4.0/24").endSpec().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(routes(node1)).contains("10.42.4.0/24 via 192.168.90.3").doesNotContain("10.42.3.0/24"));

        client.nodes().withName("n2").edit(n -> new NodeBuilder(n).editStatus().editFirstAddress()
                .withAddress("192.168.90.20").endAddress().endStatus().build());
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(routes(node1)).contains("10.42.2.0/24 via 192.168.90.20"));

        client.nodes().withName("n3").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(routes(node1)).doesNotContain("10.42.4.0/24").contains("10.42.2.0/24"));
    }

    @Test
    void aStartRemovesStaleRoutesButNotOthersAndCloseCleansUp() throws Exception {
        netns.exec(node1, "ip", "route", "add", "10.42.9.0/24", "via", "192.168.90.9", "proto", "75");
        netns.exec(node1, "ip", "route", "add", "10.99.0.0/24", "via", "192.168.90.9");
        routes1 = start("n1", node1);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(routes(node1)).contains("10.42.2.0/24").doesNotContain("10.42.9.0/24"));
        assertThat(Netns.run("ip", "-n", node1, "route")).contains("10.99.0.0/24 via 192.168.90.9");
        assertThat(netns.exec(node1, "nft", "list", "table", "ip", "kube4j-podnet")).contains("masquerade");

        routes1.close();
        routes1 = null;
        assertThat(routes(node1)).isBlank();
        assertThat(Netns.run("ip", "-n", node1, "route")).contains("10.99.0.0/24 via 192.168.90.9");
        assertThat(netns.tryExec(node1, "nft", "list", "table", "ip", "kube4j-podnet").exit()).isNotZero();
    }
}
