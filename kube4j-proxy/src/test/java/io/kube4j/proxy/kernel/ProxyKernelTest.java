package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.kube4j.proxy.Proxy;
import io.kube4j.proxy.ProxyOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.kube4j.proxy.kernel.KubeObjects.endpoint;
import static io.kube4j.proxy.kernel.KubeObjects.service;
import static io.kube4j.proxy.kernel.KubeObjects.slice;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The proxy programs a real kernel: a "node" namespace with a bridge, two "pod" namespaces running busybox
 * httpd, and an "outside" namespace that reaches the node over a veth pair.
 */
@EnableKubernetesMockClient(crud = true)
class ProxyKernelTest {

    static KubernetesClient client;

    private final Netns netns = new Netns();
    private Proxy proxy;
    private String node;
    private String podA;
    private String podB;
    private String outside;
    private Path webRoot;

    @BeforeEach
    void buildNetwork() throws Exception {
        node = netns.create("node");
        podA = netns.create("a");
        podB = netns.create("b");
        outside = netns.create("out");
        netns.exec(node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        netns.exec(node, "ip", "link", "add", "br0", "type", "bridge");
        netns.exec(node, "ip", "addr", "add", "10.42.0.1/24", "dev", "br0");
        netns.exec(node, "ip", "link", "set", "br0", "up");
        webRoot = Files.createTempDirectory("kube4j-proxy-web");
        attachPod(podA, "a", "10.42.0.2");
        attachPod(podB, "b", "10.42.0.3");
        // the node's uplink: outside (192.168.77.2) <-> node (192.168.77.1), also the node's default route
        netns.exec(node, "ip", "link", "add", "uplink", "type", "veth", "peer", "name", "eth0", "netns", outside);
        netns.exec(node, "ip", "addr", "add", "192.168.77.1/24", "dev", "uplink");
        netns.exec(node, "ip", "link", "set", "uplink", "up");
        netns.exec(node, "ip", "route", "add", "default", "via", "192.168.77.2");
        netns.exec(outside, "ip", "addr", "add", "192.168.77.2/24", "dev", "eth0");
        netns.exec(outside, "ip", "link", "set", "eth0", "up");
    }

    private void attachPod(String ns, String name, String ip) throws Exception {
        String hostSide = "veth" + name;
        netns.exec(node, "ip", "link", "add", hostSide, "type", "veth", "peer", "name", "eth0", "netns", ns);
        netns.exec(node, "ip", "link", "set", hostSide, "master", "br0");
        netns.exec(node, "ip", "link", "set", hostSide, "up");
        netns.exec(node, "ip", "link", "set", hostSide, "type", "bridge_slave", "hairpin", "on");
        netns.exec(ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        netns.exec(ns, "ip", "link", "set", "eth0", "up");
        netns.exec(ns, "ip", "route", "add", "default", "via", "10.42.0.1");
        Path dir = Files.createDirectories(webRoot.resolve(name));
        Files.writeString(dir.resolve("index.html"), "pod-" + name + "\n");
        netns.spawn(ns, "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", dir.toString());
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            client.services().inAnyNamespace().delete();
            client.discovery().v1().endpointSlices().inAnyNamespace().delete();
        } finally {
            netns.close();
            if (webRoot != null) {
                try (var files = Files.walk(webRoot)) {
                    files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    private Proxy startProxy() throws Exception {
        ProxyOptions options = ProxyOptions.defaults("node-a")
                .withNodeIps(List.of("192.168.77.1"))
                .inNetns(node)
                .withMinSyncInterval(Duration.ofMillis(50));
        return Proxy.start(client, options);
    }

    private Netns.Result get(String ns, String url) {
        // busybox-static's wget crashes with -T: bound it with timeout(1) instead (exit 124 = timed out)
        return netns.tryExec(ns, "timeout", "10", "/bin/busybox", "wget", "-q", "-O", "-", url);
    }

    @Test
    void clusterIpBalancesOverReadyPodsAndRejectsWhenScaledToZero() throws Exception {
        client.services().resource(service("web", "10.43.0.20", "NodePort", 80, 30080)).create();
        client.discovery().v1().endpointSlices().resource(slice("web", 8080, List.of(
                endpoint("10.42.0.2", "node-a", true), endpoint("10.42.0.3", "node-a", true)))).create();
        proxy = startProxy();

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(node, "http://10.43.0.20/").output()).startsWith("pod-"));
        Set<String> fromNode = new HashSet<>();
        Set<String> fromPod = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            fromNode.add(get(node, "http://10.43.0.20/").output().strip());
            // pod a reaching itself through the service is the hairpin case
            fromPod.add(get(podA, "http://10.43.0.20/").output().strip());
        }
        assertThat(fromNode).containsExactlyInAnyOrder("pod-a", "pod-b");
        assertThat(fromPod).containsExactlyInAnyOrder("pod-a", "pod-b");
        // NodePort from a namespace that is not a node
        assertThat(get(outside, "http://192.168.77.1:30080/").output()).startsWith("pod-");

        // an endpoint that is not ready leaves the rotation
        client.discovery().v1().endpointSlices().resource(slice("web", 8080, List.of(
                endpoint("10.42.0.2", "node-a", false), endpoint("10.42.0.3", "node-a", true)))).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(get(node, "http://10.43.0.20/").output().strip());
            }
            assertThat(seen).containsExactly("pod-b");
        });

        // the same number of endpoints, another pod: only the endpoint map's elements change
        client.discovery().v1().endpointSlices().resource(slice("web", 8080, List.of(
                endpoint("10.42.0.2", "node-a", true), endpoint("10.42.0.3", "node-a", false)))).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                seen.add(get(node, "http://10.43.0.20/").output().strip());
                // pod a now reaches itself through the service: still hairpin
                seen.add(get(podA, "http://10.43.0.20/").output().strip());
            }
            assertThat(seen).containsExactly("pod-a");
        });

        assertThat(proxy.metricsText()).doesNotContain("kubeproxy_sync_partial_proxy_rules_duration_seconds_count 0");

        // scale to zero: refused at once rather than a timeout
        client.discovery().v1().endpointSlices().resource(slice("web", 8080, List.of())).update();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Netns.Result r = get(node, "http://10.43.0.20/");
            assertThat(r.exit()).isNotZero();
            assertThat(r.output()).contains("Connection refused");
        });
        Netns.Result fromOutside = get(outside, "http://192.168.77.1:30080/");
        assertThat(fromOutside.output()).contains("Connection refused");
        Netns.Result fromPodA = get(podA, "http://10.43.0.20/");
        assertThat(fromPodA.output()).contains("Connection refused");

        // delete: the service's rules go away
        client.discovery().v1().endpointSlices().inNamespace("default").withName("web-abcde").delete();
        client.services().inNamespace("default").withName("web").delete();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(netns.exec(node, "nft", "list", "table", "ip", "kube4j")).doesNotContain("10.43.0.20")
                        .doesNotContain("default/web"));

        proxy.close();
        proxy = null;
        assertThat(netns.tryExec(node, "nft", "list", "table", "ip", "kube4j").exit()).isNotZero();
    }

    @Test
    void aRestartedProxyTakesOverWithoutFailingConnections() throws Exception {
        client.services().resource(service("web", "10.43.0.20", "ClusterIP", 80, 0)).create();
        client.discovery().v1().endpointSlices().resource(slice("web", 8080, List.of(
                endpoint("10.42.0.2", "node-a", true), endpoint("10.42.0.3", "node-a", true)))).create();
        proxy = startProxy();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(get(node, "http://10.43.0.20/").output()).startsWith("pod-"));

        List<Netns.Result> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        Thread load = new Thread(() -> {
            while (running.get()) {
                results.add(get(podA, "http://10.43.0.20/"));
            }
        });
        load.start();
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> results.size() >= 3);
            proxy.detach();
            proxy = startProxy();
            int before = results.size();
            await().atMost(Duration.ofSeconds(20)).until(() -> results.size() >= before + 3);
        } finally {
            running.set(false);
            load.join();
        }
        assertThat(results).allSatisfy(r -> assertThat(r.output()).startsWith("pod-"));
    }

    @Test
    void metricsReportSyncs() throws Exception {
        proxy = startProxy();
        assertThat(proxy.syncCount()).isPositive();
        assertThat(proxy.metricsText())
                .contains("kubeproxy_sync_proxy_rules_duration_seconds_count 1")
                .contains("kubeproxy_sync_full_proxy_rules_duration_seconds_count 1")
                .contains("kubeproxy_sync_proxy_rules_nftables_rules 25")
                .containsPattern("kubeproxy_sync_proxy_rules_last_timestamp_seconds [0-9.]+");
    }
}
