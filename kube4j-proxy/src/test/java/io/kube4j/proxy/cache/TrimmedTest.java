package io.kube4j.proxy.cache;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import io.kube4j.proxy.nft.NftRenderer;
import io.kube4j.proxy.nft.Ruleset;
import io.kube4j.proxy.policy.PolicyRulesBuilder;
import io.kube4j.proxy.routes.DesiredRoutes;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TrimmedTest {

    /** A pod as the API serves it after the kubelet ran it: managedFields, volumes, conditions, statuses. */
    private static Pod pod(String ns, String name, String ip, String node, Map<String, String> labels, String phase,
                           boolean hostNetwork) {
        return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).withUid(name + "-uid")
                .withResourceVersion("7").withLabels(labels).addToAnnotations("a", "b")
                .addNewManagedField().withManager("kubelet").withOperation("Update").withNewFieldsV1()
                .addToAdditionalProperties("f:status", Map.of("f:podIP", Map.of())).endFieldsV1().endManagedField()
                .endMetadata()
                .withNewSpec().withNodeName(node).withHostNetwork(hostNetwork)
                .addNewContainer().withName("sidecar").withImage("busybox").endContainer()
                .addNewContainer().withName("web").withImage("busybox")
                .addNewPort().withName("http").withContainerPort(8080).endPort()
                .addNewPort().withName("dns").withProtocol("UDP").withContainerPort(5353).endPort()
                .addNewVolumeMount().withName("data").withMountPath("/data").endVolumeMount().endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewToleration().withKey("k").withOperator("Exists").endToleration().endSpec()
                .withNewStatus().withPhase(phase).withPodIP(ip).addNewPodIP().withIp(ip).endPodIP()
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName("web").withReady(true).withRestartCount(0).endContainerStatus()
                .endStatus().build();
    }

    private static Namespace namespace(String name, Map<String, String> labels) {
        return new NamespaceBuilder().withNewMetadata().withName(name).withLabels(labels).withResourceVersion("3")
                .addNewManagedField().withManager("kubectl").endManagedField().endMetadata()
                .withNewSpec().addToFinalizers("kubernetes").endSpec().withNewStatus().withPhase("Active").endStatus()
                .build();
    }

    private static String rules(List<Pod> pods, List<Namespace> namespaces, List<NetworkPolicy> policies) {
        Ruleset rs = new Ruleset();
        new PolicyRulesBuilder("node-a", pods, namespaces, policies).addTo(rs);
        return new NftRenderer("kube4j", "10.43.0.0/16").full(rs);
    }

    @Test
    void networkPolicyRulesFromTrimmedPodsAndNamespacesAreTheSameAsFromWholeOnes() {
        List<Pod> pods = List.of(
                pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a"), "Running", false),
                pod("default", "b", "10.42.0.3", "node-a", Map.of("app", "b"), "Running", false),
                pod("default", "done", "10.42.0.9", "node-a", Map.of("app", "b"), "Succeeded", false),
                pod("default", "host", "192.168.1.10", "node-a", Map.of("app", "a"), "Running", true),
                pod("other", "c", "10.42.1.4", "node-b", Map.of("role", "client"), "Running", false));
        List<Namespace> namespaces = List.of(namespace("default", Map.of()), namespace("other", Map.of("team", "x")));
        List<NetworkPolicy> policies = List.of(new NetworkPolicyBuilder().withNewMetadata().withName("p")
                .withNamespace("default").endMetadata().withNewSpec().withNewPodSelector().endPodSelector()
                .withPolicyTypes("Ingress", "Egress")
                .addNewIngress()
                .addNewFrom().withNewNamespaceSelector().addToMatchLabels("team", "x").endNamespaceSelector().endFrom()
                .addNewFrom().withNewPodSelector().addToMatchLabels("app", "b").endPodSelector().endFrom()
                .addNewPort().withProtocol("TCP").withPort(new IntOrString("http")).endPort().endIngress()
                .addNewEgress().addNewTo().withNewNamespaceSelector().endNamespaceSelector().endTo()
                .addNewPort().withProtocol("UDP").withPort(new IntOrString("dns")).endPort().endEgress()
                .endSpec().build());

        String whole = rules(pods, namespaces, policies);
        String trimmed = rules(pods.stream().map(Trimmed::pod).toList(),
                namespaces.stream().map(Trimmed::namespace).toList(), policies);

        // the rules must use the named ports and pod addresses, or the comparison proves nothing
        assertThat(whole).contains("10.42.0.3", "10.42.1.4", "th dport 8080", "th dport 5353");
        assertThat(trimmed).isEqualTo(whole);
    }

    @Test
    void aTrimmedPodKeepsIdentityPlacementAndAddressesOnly() {
        Pod full = pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a"), "Running", false);

        Pod lean = Trimmed.pod(full);

        assertThat(lean.getMetadata().getName()).isEqualTo("a");
        assertThat(lean.getMetadata().getNamespace()).isEqualTo("default");
        assertThat(lean.getMetadata().getUid()).isEqualTo("a-uid");
        assertThat(lean.getMetadata().getResourceVersion()).isEqualTo("7");
        assertThat(lean.getMetadata().getLabels()).containsExactly(Map.entry("app", "a"));
        assertThat(lean.getMetadata().getManagedFields()).isEmpty();
        assertThat(lean.getMetadata().getAnnotations()).isEmpty();
        assertThat(lean.getSpec().getNodeName()).isEqualTo("node-a");
        assertThat(lean.getSpec().getVolumes()).isEmpty();
        assertThat(lean.getSpec().getTolerations()).isEmpty();
        assertThat(lean.getSpec().getContainers()).singleElement().satisfies(c -> {
            assertThat(c.getName()).isEqualTo("web");
            assertThat(c.getImage()).isNull();
            assertThat(c.getVolumeMounts()).isEmpty();
            assertThat(c.getPorts()).extracting(p -> p.getName()).containsExactly("http", "dns");
        });
        assertThat(lean.getStatus().getPhase()).isEqualTo("Running");
        assertThat(lean.getStatus().getPodIP()).isEqualTo("10.42.0.2");
        assertThat(lean.getStatus().getPodIPs()).extracting(ip -> ip.getIp()).containsExactly("10.42.0.2");
        assertThat(lean.getStatus().getConditions()).isEmpty();
        assertThat(lean.getStatus().getContainerStatuses()).isEmpty();
    }

    @Test
    void trimmedNodesGiveTheSameRoutes() {
        List<Node> nodes = List.of(node("node-a", "10.42.0.0/24", "192.168.1.1"),
                node("node-b", "10.42.1.0/24", "192.168.1.2"), node("node-c", null, "192.168.1.3"));

        Map<String, String> whole = DesiredRoutes.of(nodes, "node-a");
        Map<String, String> trimmed = DesiredRoutes.of(nodes.stream().map(Trimmed::node).toList(), "node-a");

        assertThat(whole).containsExactly(Map.entry("10.42.1.0/24", "192.168.1.2"));
        assertThat(trimmed).isEqualTo(whole);
        assertThat(Trimmed.node(nodes.get(0)).getStatus().getImages()).isEmpty();
        // only Ready, without its ever-changing heartbeat and transition times (the load balancer status reads it)
        assertThat(Trimmed.node(nodes.get(0)).getStatus().getConditions()).singleElement().satisfies(c -> {
            assertThat(c.getType()).isEqualTo("Ready");
            assertThat(c.getStatus()).isEqualTo("True");
            assertThat(c.getLastHeartbeatTime()).isNull();
            assertThat(c.getReason()).isNull();
        });
    }

    @Test
    void kindsReadWholeLoseOnlyTheirManagedFields() {
        Namespace ns = namespace("web", Map.of("team", "a"));
        Namespace same = Trimmed.withoutManagedFields(ns);
        assertThat(same.getMetadata().getManagedFields()).isNull();
        assertThat(same.getMetadata().getLabels()).containsEntry("team", "a");
        assertThat(same.getSpec().getFinalizers()).containsExactly("kubernetes");
        assertThat(same.getStatus().getPhase()).isEqualTo("Active");
    }

    private static Node node(String name, String podCidr, String ip) {
        return new NodeBuilder().withNewMetadata().withName(name).withResourceVersion("5").endMetadata()
                .withNewSpec().withPodCIDR(podCidr).withPodCIDRs(podCidr == null ? List.of() : List.of(podCidr))
                .endSpec()
                .withNewStatus().addNewAddress().withType("InternalIP").withAddress(ip).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
                .withLastHeartbeatTime("2026-01-01T00:00:00Z").endCondition()
                .addNewCondition().withType("MemoryPressure").withStatus("False").endCondition()
                .addNewImage().withNames("busybox:latest").withSizeBytes(1000L).endImage().endStatus().build();
    }

    @Test
    void theStoreKeepsTrimmedCopiesUnderTheInformersKeys() {
        TrimmingStore<Pod> store = new TrimmingStore<>(Trimmed::pod);
        Pod first = pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a"), "Pending", false);
        Pod second = pod("default", "a", "10.42.0.2", "node-a", Map.of("app", "a"), "Running", false);

        String key = store.getKey(first);
        assertThat(key).isEqualTo("default/a");
        assertThat(store.put(key, first)).isNull();
        Pod previous = store.put(key, second);

        assertThat(previous.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(previous.getSpec().getVolumes()).isEmpty();
        assertThat(store.get(key).getStatus().getPhase()).isEqualTo("Running");
        assertThat(store.get(key).getMetadata().getManagedFields()).isEmpty();
        assertThat(store.size()).isEqualTo(1);
        assertThat(store.keySet()).containsExactly("default/a");
        Pod stored = store.get(key);
        assertThat(store.values()).containsExactly(stored);
        assertThat(store.remove(key)).isSameAs(stored);
        assertThat(store.size()).isZero();
    }
}
