package io.kube4j.proxy.kernel;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import static io.kube4j.proxy.kernel.KubeObjects.namespace;
import static io.kube4j.proxy.kernel.KubeObjects.pod;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** NetworkPolicy on a real kernel: three pods on one bridge of a "node" namespace, the proxy enforcing. */
@EnableKubernetesMockClient(crud = true)
class PolicyKernelTest {

    static KubernetesClient client;

    private final Netns netns = new Netns();
    private Proxy proxy;
    private String node;
    private String podA;
    private String podB;
    private String podC;
    private Path webRoot;

    @BeforeEach
    void buildNetwork() throws Exception {
        node = netns.create("node");
        netns.exec(node, "sysctl", "-qw", "net.ipv4.ip_forward=1");
        netns.exec(node, "ip", "link", "add", "br0", "type", "bridge");
        netns.exec(node, "ip", "addr", "add", "10.42.0.1/24", "dev", "br0");
        netns.exec(node, "ip", "link", "set", "br0", "up");
        webRoot = Files.createTempDirectory("kube4j-policy-web");
        podA = attachPod("a", "10.42.0.2");
        podB = attachPod("b", "10.42.0.3");
        podC = attachPod("c", "10.42.0.4");
        client.namespaces().resource(namespace("default", Map.of())).create();
        client.pods().resource(pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a"))).create();
        client.pods().resource(pod("default", "b", "10.42.0.3", "node-a", Map.of("app", "b"))).create();
        client.pods().resource(pod("default", "c", "10.42.0.4", "node-a", Map.of("role", "client"))).create();
        proxy = Proxy.start(client, ProxyOptions.defaults("node-a").withNodeIps(List.of("10.42.0.1"))
                .inNetns(node)
                .withMinSyncInterval(Duration.ofMillis(50)));
    }

    private String attachPod(String name, String ip) throws Exception {
        String ns = netns.create(name);
        netns.exec(node, "ip", "link", "add", "veth" + name, "type", "veth", "peer", "name", "eth0", "netns", ns);
        netns.exec(node, "ip", "link", "set", "veth" + name, "master", "br0");
        netns.exec(node, "ip", "link", "set", "veth" + name, "up");
        netns.exec(ns, "ip", "addr", "add", ip + "/24", "dev", "eth0");
        netns.exec(ns, "ip", "link", "set", "eth0", "up");
        netns.exec(ns, "ip", "route", "add", "default", "via", "10.42.0.1");
        Path dir = Files.createDirectories(webRoot.resolve(name));
        Files.writeString(dir.resolve("index.html"), "pod-" + name + "\n");
        netns.spawn(ns, "/bin/busybox", "httpd", "-f", "-p", "8080", "-h", dir.toString());
        return ns;
    }

    @AfterEach
    void tearDown() throws Exception {
        try {
            if (proxy != null) {
                proxy.close();
            }
            client.pods().inAnyNamespace().delete();
            client.namespaces().delete();
            client.network().v1().networkPolicies().inAnyNamespace().delete();
        } finally {
            netns.close();
            try (var files = Files.walk(webRoot)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** True when the request got an answer; a dropped connection runs into timeout(1) instead. */
    private boolean reaches(String from, String ip) {
        Netns.Result r = netns.tryExec(from, "timeout", "2", "/bin/busybox", "wget", "-q", "-O", "-",
                "http://" + ip + ":8080/");
        return r.exit() == 0 && r.output().startsWith("pod-");
    }

    @Test
    void defaultDenyBlocksAndAnAllowingPolicyReopensForTheSelectedPodsOnly() {
        assertThat(reaches(podC, "10.42.0.2")).isTrue();
        assertThat(reaches(podC, "10.42.0.3")).isTrue();

        client.network().v1().networkPolicies().resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("deny").withNamespace("default").endMetadata()
                .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress").endSpec().build())
                .create();
        await().atMost(Duration.ofSeconds(30)).until(() -> !reaches(podC, "10.42.0.2"));
        assertThat(reaches(podC, "10.42.0.3")).isFalse();

        client.network().v1().networkPolicies().resource(new NetworkPolicyBuilder().withNewMetadata()
                .withName("allow-clients").withNamespace("default").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "a").endPodSelector()
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("role", "client").endPodSelector()
                .endFrom().addNewPort().withProtocol("TCP").withPort(new IntOrString("web")).endPort().endIngress()
                .endSpec().build()).create();
        await().atMost(Duration.ofSeconds(30)).until(() -> reaches(podC, "10.42.0.2"));
        assertThat(reaches(podC, "10.42.0.3")).as("b is still isolated").isFalse();
        assertThat(reaches(podB, "10.42.0.2")).as("b is not a client").isFalse();
        // replies to a's own connections are not new connections: established traffic passes
        client.network().v1().networkPolicies().inNamespace("default").withName("deny").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> reaches(podA, "10.42.0.3"));
    }
}
